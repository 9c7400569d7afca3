package dev.pontus.test;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

class LocalS3IT {
    private static final Path TMP = Path.of(System.getProperty("java.io.tmpdir"));

    @Test
    void removesItsWorkFolderWithTheSecretWhenStopped() throws IOException {
        String secret;
        try (LocalS3 first = LocalS3.builder().build().start();
                LocalS3 second = LocalS3.builder().build().start()) {
            secret = first.secretKey();
            assertThat(workFoldersHolding(secret)).hasSize(1);
            String bucket = second.newBucket();
            second.client().putObject(b -> b.bucket(bucket).key("a.txt"), RequestBody.fromString("hi"));
        }
        assertThat(workFoldersHolding(secret)).isEmpty();
    }

    /**
     * A JVM that starts two servers and exits without closing them: it registers one shutdown hook (counted in the
     * JVM's own table), and when it exits both servers stop and their work folders, which hold the secret, go.
     */
    @Test
    void aJvmThatExitsWithoutClosingStopsItsServersThroughOneShutdownHook() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(
                        java.toString(),
                        "--add-opens=java.base/java.lang=ALL-UNNAMED",
                        "-Dpontus.s3proxy.classpath=" + S3ProxyClasspath.resolve(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        ExitingWithoutClose.class.getName())
                .redirectErrorStream(true)
                .start();
        String out = new String(child.getInputStream().readAllBytes(), UTF_8);
        assertThat(child.waitFor(3, TimeUnit.MINUTES)).as(out).isTrue();
        assertThat(child.exitValue()).as(out).isZero();

        List<String> lines = out.lines().toList();
        assertThat(lines).as(out).contains("hooks added: 1");
        List<String> servers = lines.stream()
                .filter(l -> l.startsWith("server "))
                .map(l -> l.substring("server ".length()))
                .toList();
        assertThat(servers).as(out).hasSize(2);
        for (String server : servers) {
            String[] endpointAndSecret = server.split(" ");
            assertThat(answers(URI.create(endpointAndSecret[0])))
                    .as("%s still answers", endpointAndSecret[0])
                    .isFalse();
            assertThat(workFoldersHolding(endpointAndSecret[1])).isEmpty();
        }
    }

    @Test
    void faultProxyForwardsUntouchedRequestsAndCountsThemByOperation() {
        LocalS3 s3 = LocalS3.shared();
        String bucket = s3.newBucket();
        try (FaultProxy proxy = FaultProxy.start(s3);
                var client = proxy.clientBuilder().build()) {
            client.putObject(b -> b.bucket(bucket).key("a.txt"), RequestBody.fromString("hello"));
            assertThat(client.getObjectAsBytes(
                                    b -> b.bucket(bucket).key("a.txt").range("bytes=0-1"))
                            .asUtf8String())
                    .isEqualTo("he");
            client.copyObject(b -> b.sourceBucket(bucket)
                    .sourceKey("a.txt")
                    .destinationBucket(bucket)
                    .destinationKey("b.txt"));
            client.deleteObject(b -> b.bucket(bucket).key("a.txt"));

            assertThat(proxy.requests())
                    .containsEntry(S3Operation.PUT, 1)
                    .containsEntry(S3Operation.RANGED_GET, 1)
                    .containsEntry(S3Operation.COPY, 1)
                    .containsEntry(S3Operation.DELETE, 1);
            assertThat(s3.client()
                            .getObjectAsBytes(b -> b.bucket(bucket).key("b.txt"))
                            .asUtf8String())
                    .isEqualTo("hello");
        }
    }

    /** LocalS3's work folders (in the temporary directory) whose properties hold {@code secret}. */
    private static List<Path> workFoldersHolding(String secret) throws IOException {
        try (Stream<Path> folders = Files.list(TMP)) {
            return folders.filter(f -> f.getFileName().toString().startsWith("pontus-s3proxy"))
                    .filter(f -> holds(f.resolve("s3proxy.properties"), secret))
                    .toList();
        }
    }

    private static boolean holds(Path file, String text) {
        try {
            return Files.readString(file, UTF_8).contains(text);
        } catch (IOException gone) {
            return false;
        }
    }

    private static boolean answers(URI endpoint) {
        try {
            HttpURLConnection c = (HttpURLConnection) endpoint.toURL().openConnection();
            c.setConnectTimeout(2000);
            c.setReadTimeout(2000);
            c.getResponseCode();
            c.disconnect();
            return true;
        } catch (IOException refused) {
            return false;
        }
    }
}
