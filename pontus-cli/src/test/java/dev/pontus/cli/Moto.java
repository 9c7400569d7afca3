package dev.pontus.cli;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * moto's S3 ({@code moto_server}) on a free loopback port, for what S3Proxy does not do: object tagging. Fails, never
 * skips, when moto is not installed.
 */
final class Moto implements AutoCloseable {
    static final String ACCESS_KEY = "moto-access-key";
    static final String SECRET_KEY = "moto-secret-key";

    private final Process process;
    final URI endpoint;

    private Moto(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    static Moto start() throws IOException, InterruptedException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Path log = Files.createTempFile("pontus-moto", ".log");
        Process process;
        try {
            process = new ProcessBuilder("moto_server", "-H", "127.0.0.1", "-p", String.valueOf(port))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("moto_server is not installed: pip install 'moto[server]'", e);
        }
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try {
                HttpURLConnection c = (HttpURLConnection) endpoint.toURL().openConnection();
                c.setConnectTimeout(500);
                c.getResponseCode();
                return new Moto(process, endpoint);
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    break;
                }
                Thread.sleep(200);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("moto_server did not answer on " + endpoint + ": " + Files.readString(log));
    }

    S3Client client() {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
