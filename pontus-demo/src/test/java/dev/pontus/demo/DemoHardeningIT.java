package dev.pontus.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pontus.multipart.MultipartUploads;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The demo, open to anyone, against hostile input: file paths out of S3's range or carrying line breaks answer 404
 * and forge no log line, abandoned uploads are swept on a schedule, a connection that stalls is cut.
 */
@SpringBootTest(classes = DemoApplication.class, webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@ExtendWith(OutputCaptureExtension.class)
class DemoHardeningIT {
    private static final int PORT = DemoTests.freePort();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Autowired
    MultipartUploads uploads;

    @Autowired
    S3Client s3;

    @DynamicPropertySource
    static void demo(DynamicPropertyRegistry registry) throws IOException {
        DemoTests.demo(registry, PORT);
        registry.add("demo.sweep.age", () -> "PT0S");
        registry.add("demo.sweep.interval", () -> "PT1S");
        registry.add("demo.sweep.initial-delay", () -> "PT1S");
    }

    @Test
    void filePathsOutOfRangeOrWithLineBreaksAre404AndForgeNoLogLine(CapturedOutput log) throws Exception {
        List<String> paths = List.of(
                "/files/files/" + "k".repeat(1100) + ".jpg",
                "/files/files/" + "%C3%A9".repeat(600) + ".jpg",
                "/files/files/x%0d%0a2026-12-01T00:00:00Z%20ERROR%20forged-by-a-path.jpg",
                "/files/files/x%E2%80%A8FORGED-BY-A-SEPARATOR.jpg",
                "/files/files/a%00b.jpg",
                "/files/files/a/../../unvalidated/x.jpg");
        for (String path : paths) {
            int status = HTTP.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + path))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
            assertThat(status).as(path).isIn(400, 404);
        }
        assertThat(log.getAll().lines())
                .noneMatch(line -> line.startsWith("2026-12-01T00:00:00Z ERROR"))
                .noneMatch(line -> line.startsWith("FORGED"))
                .noneMatch(line -> line.contains("\tat "));
    }

    @Test
    void abandonedUploadsAreSweptOnASchedule() {
        String key = "unvalidated/sweep-test/abandoned.bin";
        uploads.create(key, "application/octet-stream", Map.of());

        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> s3.listMultipartUploads(b -> b.bucket(uploads.bucket())).uploads().stream()
                        .noneMatch(u -> u.key().equals(key)));
    }

    @Test
    void aConnectionThatStallsInItsHeadersIsCut() throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", PORT));
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /api/config HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long start = System.nanoTime();
            InputStream in = socket.getInputStream();
            int read;
            try {
                read = in.read();
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the server kept a stalled connection open for 30 s", e);
            } catch (IOException reset) {
                read = -1;
            }
            Duration held = Duration.ofNanos(System.nanoTime() - start);
            assertThat(read).isEqualTo(-1);
            assertThat(held).isBetween(Duration.ofSeconds(8), Duration.ofSeconds(15));
        }
    }
}
