package dev.pontus.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;

/**
 * Finds S3Proxy: its one self-contained jar ({@code org.gaul:s3proxy:<version>:jar-with-dependencies}), run in a
 * child JVM. In order: the {@code pontus.s3proxy.classpath} system property; a copy bundled on the class path
 * (the demo's runnable jar carries one, so it runs with Java alone, offline); the local Maven repository (where
 * this project's build puts it); else one download from Maven Central, checked against its SHA-1. Nothing runs
 * {@code mvn}.
 */
final class S3ProxyClasspath {
    static final String VERSION = version();
    static final String JAR = "s3proxy-" + VERSION + "-jar-with-dependencies.jar";
    /** Where a bundled copy sits on the class path. */
    static final String BUNDLED = "/dev/pontus/test/s3proxy/" + JAR;

    private static final String PROPERTY = "pontus.s3proxy.classpath";
    private static final String CENTRAL =
            "https://repo.maven.apache.org/maven2/org/gaul/s3proxy/" + VERSION + "/" + JAR;

    private S3ProxyClasspath() {}

    static synchronized String resolve() {
        String given = System.getProperty(PROPERTY);
        if (given != null && !given.isBlank()) {
            return given;
        }
        try {
            Path cached = cacheDirectory().resolve(JAR);
            try (InputStream bundled = S3ProxyClasspath.class.getResourceAsStream(BUNDLED)) {
                if (bundled != null) {
                    if (!Files.isRegularFile(cached)) {
                        copy(bundled, cached);
                    }
                    return cached.toString();
                }
            }
            Path local = localRepository().resolve("org/gaul/s3proxy/" + VERSION + "/" + JAR);
            if (Files.isRegularFile(local)) {
                return local.toString();
            }
            if (!Files.isRegularFile(cached)) {
                download(cached);
            }
            return cached.toString();
        } catch (IOException e) {
            throw new IllegalStateException(
                    "S3Proxy " + VERSION + " was not found (bundled, in the local Maven"
                            + " repository or at Maven Central: " + e.getMessage() + "); give its jar with -D"
                            + PROPERTY
                            + "=<path to " + JAR + ">",
                    e);
        }
    }

    /** ~/.cache/pontus, or a folder under the temporary directory when the home folder is not writable. */
    private static Path cacheDirectory() throws IOException {
        Path home = Path.of(System.getProperty("user.home"), ".cache", "pontus");
        try {
            return Files.createDirectories(home);
        } catch (IOException e) {
            return Files.createDirectories(
                    Path.of(System.getProperty("java.io.tmpdir"), "pontus-" + System.getProperty("user.name")));
        }
    }

    private static Path localRepository() {
        String configured = System.getProperty("maven.repo.local");
        return configured != null && !configured.isBlank()
                ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    private static void copy(InputStream in, Path target) throws IOException {
        Path part = Files.createTempFile(target.getParent(), JAR, ".part");
        Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void download(Path target) throws IOException {
        System.getLogger(S3ProxyClasspath.class.getName())
                .log(System.Logger.Level.INFO, "Downloading S3Proxy " + VERSION + " (55 MB, once) from " + CENTRAL);
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(20))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        try {
            String sha1 = http.send(
                            HttpRequest.newBuilder(URI.create(CENTRAL + ".sha1"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body()
                    .strip()
                    .split("\\s+")[0];
            Path part = Files.createTempFile(target.getParent(), JAR, ".part");
            HttpResponse<Path> jar = http.send(
                    HttpRequest.newBuilder(URI.create(CENTRAL)).build(), HttpResponse.BodyHandlers.ofFile(part));
            if (jar.statusCode() != 200 || !sha1.equalsIgnoreCase(sha1(part))) {
                Files.deleteIfExists(part);
                throw new IOException(
                        CENTRAL + " answered " + jar.statusCode() + " or a file whose SHA-1 is not " + sha1);
            }
            Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static String sha1(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-1");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    private static String version() {
        try (InputStream in = S3ProxyClasspath.class.getResourceAsStream("s3proxy.properties")) {
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException | NullPointerException e) {
            throw new UncheckedIOException(
                    "pontus-test is missing its s3proxy.properties resource",
                    e instanceof IOException io ? io : new IOException(e));
        }
    }
}
