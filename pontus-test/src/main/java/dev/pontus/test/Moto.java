package dev.pontus.test;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * A local AWS: moto's server ({@code moto_server -H 127.0.0.1 -p PORT}) on a free loopback port, one endpoint for
 * S3, SQS and SNS, with bucket notifications to its own queues shaped as S3 sends them. Unlike {@link LocalS3} it
 * does not enforce POST policies nor copy conditions; use it for event flows.
 *
 * <pre>{@code
 * try (Moto moto = Moto.start()) {
 *     S3Client s3 = moto.s3ClientBuilder().build();
 *     SqsClient sqs = SqsClient.builder()
 *             .endpointOverride(moto.endpoint())
 *             .region(moto.region())
 *             .credentialsProvider(moto.credentialsProvider())
 *             .build();
 * }
 * }</pre>
 *
 * {@code moto_server} must be on the {@code PATH} (or named by the {@code pontus.moto.command} system property);
 * when it is not, {@link #start()} fails and says what to install. Every server is stopped by {@link #close()},
 * and those still running when the JVM exits by one shutdown hook. In JUnit tests use {@link MotoExtension}.
 */
public final class Moto implements AutoCloseable {
    /** System property naming the moto_server executable, when it is not on the PATH. */
    public static final String COMMAND_PROPERTY = "pontus.moto.command";

    private static final String INSTALL = "install moto's server: pip install 'moto[server]==5.2.1'"
            + " (it provides the moto_server command), or name the executable with -D" + COMMAND_PROPERTY + "=PATH";
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final Set<Moto> RUNNING = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean HOOKED = new AtomicBoolean();
    private static Moto shared;

    private final URI endpoint;
    private final Path log;
    private Process process;

    private Moto(URI endpoint, Path log, Process process) {
        this.endpoint = endpoint;
        this.log = log;
        this.process = process;
    }

    /** Starts a new server on a free port and returns once it answers HTTP; fails with its output if it cannot. */
    public static Moto start() {
        String command = command();
        try {
            int port = LoopbackPorts.free();
            Path log = Files.createTempFile("pontus-moto", ".log");
            Process process = new ProcessBuilder(command, "-H", "127.0.0.1", "-p", Integer.toString(port))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            Moto moto = new Moto(URI.create("http://127.0.0.1:" + port), log, process);
            RUNNING.add(moto);
            if (HOOKED.compareAndSet(false, true)) {
                Runtime.getRuntime()
                        .addShutdownHook(new Thread(() -> RUNNING.forEach(Moto::close), "pontus-moto-stop"));
            }
            moto.awaitReady();
            return moto;
        } catch (IOException e) {
            throw new IllegalStateException("moto_server (" + command + ") could not start: " + e + "; " + INSTALL, e);
        }
    }

    /**
     * The server this JVM shares, started on first use and stopped when the JVM exits (or when the JUnit run ends,
     * under {@link MotoExtension}). Tests sharing it keep apart by using fresh bucket and queue names.
     */
    public static synchronized Moto shared() {
        if (shared == null || shared.process == null) {
            shared = start();
        }
        return shared;
    }

    /** The server's base URL for every service, e.g. {@code http://127.0.0.1:43125}. */
    public URI endpoint() {
        return endpoint;
    }

    /** The region moto's ARNs and events name; any region works. */
    public Region region() {
        return Region.US_EAST_1;
    }

    /** moto accepts any credentials; these are fixed test values. */
    public StaticCredentialsProvider credentialsProvider() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
    }

    /** An S3 client builder set up for this server (path-style). */
    public S3ClientBuilder s3ClientBuilder() {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .region(region())
                .credentialsProvider(credentialsProvider())
                .forcePathStyle(true);
    }

    /** A fresh name for a bucket or queue, so that tests sharing the server never see each other's. */
    public static String newName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 18);
    }

    /** Whether the server process is still running. */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Stops the server (and any process it started). */
    @Override
    public synchronized void close() {
        if (process == null) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        process = null;
        RUNNING.remove(this);
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            // best effort; the log is in the temp directory
        }
    }

    @Override
    public String toString() {
        return "Moto[endpoint=" + endpoint + "]";
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                String output = S3ProxyClasspath.tail(log);
                int code = process.exitValue();
                close();
                throw new IllegalStateException(
                        "moto_server exited with code " + code + " before it answered; its output:\n" + output);
            }
            if (answers()) {
                return;
            }
            sleep();
        }
        String output = S3ProxyClasspath.tail(log);
        close();
        throw new IllegalStateException("moto_server did not answer on " + endpoint + " within " + STARTUP.toSeconds()
                + " s; its output:\n" + output);
    }

    private boolean answers() {
        try {
            HttpURLConnection c =
                    (HttpURLConnection) endpoint.resolve("/moto-api/").toURL().openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(2000);
            c.getResponseCode();
            c.disconnect();
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    /** The executable: the system property, else {@code moto_server} found on the PATH; else a clear failure. */
    static String command() {
        String given = System.getProperty(COMMAND_PROPERTY);
        if (given != null && !given.isBlank()) {
            if (!Files.isExecutable(Path.of(given))) {
                throw new IllegalStateException(
                        "-D" + COMMAND_PROPERTY + "=" + given + " is not an executable file; " + INSTALL);
            }
            return given;
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "moto_server"))) {
                return Path.of(dir, "moto_server").toString();
            }
        }
        throw new IllegalStateException("moto_server was not found on the PATH; " + INSTALL);
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for moto_server", e);
        }
    }
}
