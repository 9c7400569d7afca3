package dev.pontus.test;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * A local S3: S3Proxy in a child JVM on a free loopback port, with AWS Signature V4 authorization, so it
 * checks POST policies (signature, expiry, every condition, size range) as S3 does.
 *
 * <pre>{@code
 * try (LocalS3 s3 = LocalS3.builder().build().start()) {
 *     String bucket = s3.newBucket();
 *     s3.client().putObject(b -> b.bucket(bucket).key("a.txt"), RequestBody.fromString("hi"));
 * }
 * }</pre>
 *
 * In JUnit tests use {@link LocalS3Extension}, which shares one server across all test classes of a run.
 */
public final class LocalS3 implements AutoCloseable {
    private static final String MAIN = "org.gaul.s3proxy.Main";

    private final int requestedPort;
    private final Path dataDirectory;
    private final String accessKey;
    private final String secretKey;
    private final List<String> corsOrigins;
    private Process process;
    private Path work;
    private URI endpoint;
    private S3Client client;

    private LocalS3(Builder b) {
        this.requestedPort = b.port;
        this.dataDirectory = b.dataDirectory;
        this.accessKey = b.accessKey;
        this.secretKey = b.secretKey;
        this.corsOrigins = List.copyOf(b.corsOrigins);
    }

    public static Builder builder() {
        return new Builder();
    }

    private static LocalS3 shared;
    /** Servers still running; one shutdown hook for all of them stops them when the JVM exits. */
    private static final Set<LocalS3> RUNNING = ConcurrentHashMap.newKeySet();

    private static final AtomicBoolean HOOKED = new AtomicBoolean();

    /**
     * The server this JVM shares, started on first use and stopped when the JVM exits (or when the JUnit run
     * ends, under {@link LocalS3Extension}). For places that run before JUnit hands out parameters, such as
     * Spring's {@code @DynamicPropertySource}.
     */
    public static synchronized LocalS3 shared() {
        if (shared == null || shared.process == null) {
            shared = builder().build().start();
        }
        return shared;
    }

    /** Starts the server and returns once it answers HTTP; fails with the server's output if it cannot. */
    public synchronized LocalS3 start() {
        if (process != null) {
            return this;
        }
        String classpath = S3ProxyClasspath.resolve();
        try {
            work = Files.createTempDirectory("pontus-s3proxy");
            int port = requestedPort > 0 ? requestedPort : LoopbackPorts.free();
            endpoint = URI.create("http://127.0.0.1:" + port);
            Path properties = work.resolve("s3proxy.properties");
            try (var out = Files.newBufferedWriter(properties)) {
                properties(port).store(out, "Pontus LocalS3");
            }
            Path logback = work.resolve("logback.xml");
            try (InputStream in = LocalS3.class.getResourceAsStream("s3proxy-logback.xml")) {
                Files.copy(in, logback);
            }
            Path log = work.resolve("s3proxy.log");
            process = new ProcessBuilder(
                            java(),
                            "-Xmx512m",
                            "-Dlogback.configurationFile=" + logback,
                            "-cp",
                            classpath,
                            MAIN,
                            "--properties",
                            properties.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            RUNNING.add(this);
            if (HOOKED.compareAndSet(false, true)) {
                Runtime.getRuntime()
                        .addShutdownHook(new Thread(() -> RUNNING.forEach(LocalS3::close), "pontus-local-s3-stop"));
            }
            awaitReady(log);
            return this;
        } catch (IOException e) {
            close();
            throw new IllegalStateException("S3Proxy " + S3ProxyClasspath.VERSION + " could not start: " + e, e);
        }
    }

    private Properties properties(int port) {
        Properties p = new Properties();
        p.setProperty("s3proxy.endpoint", endpoint.toString());
        p.setProperty("s3proxy.authorization", "aws-v4");
        p.setProperty("s3proxy.identity", accessKey);
        p.setProperty("s3proxy.credential", secretKey);
        if (!corsOrigins.isEmpty()) {
            p.setProperty("s3proxy.cors-allow-origins", String.join(" ", corsOrigins));
            p.setProperty("s3proxy.cors-allow-methods", "GET PUT POST HEAD DELETE");
            p.setProperty("s3proxy.cors-allow-headers", "*");
            p.setProperty("s3proxy.cors-exposed-headers", "ETag Location");
        }
        if (dataDirectory != null) {
            p.setProperty("jclouds.provider", "filesystem");
            p.setProperty(
                    "jclouds.filesystem.basedir", dataDirectory.toAbsolutePath().toString());
        } else {
            p.setProperty("jclouds.provider", "transient");
        }
        p.setProperty("jclouds.identity", "local");
        p.setProperty("jclouds.credential", "local");
        return p;
    }

    private void awaitReady(Path log) {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                String output = S3ProxyClasspath.tail(log);
                int code = process.exitValue();
                close();
                throw new IllegalStateException(
                        "S3Proxy exited with code " + code + " before it answered; its" + " output:\n" + output);
            }
            try {
                HttpURLConnection c = (HttpURLConnection) endpoint.toURL().openConnection();
                c.setConnectTimeout(500);
                c.setReadTimeout(2000);
                c.getResponseCode();
                c.disconnect();
                return;
            } catch (IOException notYet) {
                awaitExit(Duration.ofMillis(100));
            }
        }
        String output = S3ProxyClasspath.tail(log);
        close();
        throw new IllegalStateException(
                "S3Proxy did not answer on " + endpoint + " within 90 s; its output:\n" + output);
    }

    /** The server's base URL, e.g. {@code http://127.0.0.1:43125}. */
    public URI endpoint() {
        return endpoint;
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    /** S3Proxy does not check the region; the SDK needs one. */
    public Region region() {
        return Region.US_EAST_1;
    }

    public StaticCredentialsProvider credentialsProvider() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
    }

    /** An SDK client for this server (path-style), made once. */
    public synchronized S3Client client() {
        if (client == null) {
            client = clientBuilder().build();
        }
        return client;
    }

    /** A client builder set up for this server, to add interceptors such as {@link ByteCounter}. */
    public S3ClientBuilder clientBuilder() {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .region(region())
                .credentialsProvider(credentialsProvider())
                .forcePathStyle(true);
    }

    /** A presigner for this server (path-style), for presigned UploadPart and GET URLs. */
    public S3Presigner.Builder presignerBuilder() {
        return S3Presigner.builder()
                .endpointOverride(endpoint)
                .region(region())
                .credentialsProvider(credentialsProvider())
                .serviceConfiguration(
                        S3Configuration.builder().pathStyleAccessEnabled(true).build());
    }

    /** Creates the bucket unless it exists already. */
    public String createBucket(String bucket) {
        try {
            client().createBucket(b -> b.bucket(bucket));
        } catch (BucketAlreadyOwnedByYouException exists) {
            // fine: the bucket is ours
        }
        return bucket;
    }

    /** Creates a bucket with a fresh random name, so tests sharing the server never see each other's objects. */
    public String newBucket() {
        return createBucket("test-" + UUID.randomUUID().toString().substring(0, 18));
    }

    /** Stops the server. */
    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
            client = null;
        }
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            process = null;
        }
        RUNNING.remove(this);
        deleteWorkDirectory();
    }

    /** The work folder holds the S3 secret in its properties file: it goes when the server stops. */
    private void deleteWorkDirectory() {
        if (work == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(work)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // best effort; the folder is in the temp directory
        }
        work = null;
    }

    @Override
    public String toString() {
        return "LocalS3[endpoint=" + endpoint + ", accessKey=" + accessKey + "]";
    }

    private static String java() {
        return ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** Waits for the next try, or less if the server exits meanwhile (then the loop reports its output). */
    private void awaitExit(Duration atMost) {
        try {
            process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for S3Proxy", e);
        }
    }

    /** Builds a {@link LocalS3}. */
    public static final class Builder {
        private int port;
        private Path dataDirectory;
        private String accessKey = "local-access-key";
        private String secretKey = "local-secret-key-" + UUID.randomUUID();
        private final List<String> corsOrigins = new ArrayList<>();

        private Builder() {}

        /** The port (default: a free one). */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Keep objects in files under this directory, so they survive a restart (default: in memory). */
        public Builder dataDirectory(Path dataDirectory) {
            this.dataDirectory = requireNonNull(dataDirectory, "dataDirectory");
            return this;
        }

        public Builder credentials(String accessKey, String secretKey) {
            this.accessKey = requireNonNull(accessKey, "accessKey");
            this.secretKey = requireNonNull(secretKey, "secretKey");
            return this;
        }

        /** Browser origins allowed by CORS, such as {@code http://localhost:8080}; ETag is exposed. */
        public Builder corsOrigin(String origin) {
            corsOrigins.add(requireNonNull(origin, "origin"));
            return this;
        }

        public LocalS3 build() {
            return new LocalS3(this);
        }
    }
}
