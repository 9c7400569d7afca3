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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The demo, open to anyone, against hostile input: file paths out of S3's range or carrying line breaks answer 404
 * and forge no log line, abandoned uploads are swept on a schedule, a connection that stalls or trickles is cut.
 */
@SpringBootTest(
        classes = {DemoApplication.class, DemoHardeningIT.SlowAnswers.class},
        webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
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

    @Test
    void clientsTricklingTheirRequestAreCutAtTheDeadlineWhileOthersAreServed(CapturedOutput log) throws Exception {
        String json = "Content-Type: application/json\r\nAccept: application/json\r\n";
        List<Trickle> trickles = new ArrayList<>();
        for (int i = 0; i < 40; i++) { // headers that never end
            trickles.add(new Trickle("GET /api/config HTTP/1.1\r\nHost: x\r\n", "X-Slow: " + "a".repeat(100)));
        }
        for (int i = 0; i < 10; i++) { // a body the app reads, a byte a second
            trickles.add(new Trickle(
                    "POST /s3/validate HTTP/1.1\r\nHost: x\r\n" + json + "Content-Length: 5000\r\n\r\n",
                    "{\"key\":\"unvalidated/" + "a".repeat(200)));
        }
        for (int i = 0; i < 5; i++) { // a chunked body, a byte a second
            trickles.add(new Trickle(
                    "POST /s3/validate HTTP/1.1\r\nHost: x\r\n" + json + "Transfer-Encoding: chunked\r\n\r\n",
                    ("{\"key\":\"unvalidated/" + "a".repeat(100))
                            .chars() // JSON the app reads, a byte a chunk
                            .mapToObj(c -> "1\r\n" + (char) c + "\r\n")
                            .collect(Collectors.joining())));
        }
        for (int i = 0; i < 5; i++) { // a body the app does not read: Tomcat drains it after the answer
            trickles.add(new Trickle(
                    "GET /api/config HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n", "x".repeat(100)));
        }
        ExecutorService threads = Executors.newFixedThreadPool(trickles.size() + 1);
        try {
            List<Future<Duration>> held = new ArrayList<>();
            for (Trickle trickle : trickles) {
                held.add(threads.submit(trickle::send));
            }
            Future<Integer> slowToAnswer = threads.submit(() -> new Trickle( // arrived at once, answered after 12 s
                            "POST /test/slow HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 2\r\n\r\n",
                            "{}")
                    .answerStatus(Duration.ZERO));
            Future<Integer> slowButInTime = threads.submit(
                    () -> new Trickle("GET /api/config HTTP/1.1\r\nHost: x\r\nConnection: close\r\n", "X-A: b\r\n\r\n")
                            .answerStatus(Duration.ofSeconds(2)));
            for (int i = 0; i < 5; i++) { // others are served meanwhile
                long start = System.nanoTime();
                HttpResponse<String> answer = HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/api/config"))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).isEqualTo(200);
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
                Thread.sleep(1000);
            }
            assertThat(slowToAnswer.get(30, TimeUnit.SECONDS))
                    .as("a request that arrived may take longer than the deadline to answer")
                    .isEqualTo(200);
            assertThat(slowButInTime.get(30, TimeUnit.SECONDS))
                    .as("a request sent slowly but within the deadline is answered")
                    .isEqualTo(200);
            List<Duration> kept = new ArrayList<>();
            for (Future<Duration> connection : held) {
                kept.add(connection.get(40, TimeUnit.SECONDS));
            }
            assertThat(kept)
                    .as("how long the server kept each trickling client after its first byte")
                    .allSatisfy(d -> assertThat(d).isBetween(Duration.ofSeconds(9), Duration.ofSeconds(17)));
            System.out.printf(
                    "%d trickling clients cut after %s .. %s%n",
                    kept.size(),
                    kept.stream().min(Duration::compareTo).orElseThrow(),
                    kept.stream().max(Duration::compareTo).orElseThrow());
        } finally {
            threads.shutdownNow();
        }
        assertThat(log.getOut()).contains("its request had not arrived PT10S after its first byte");
    }

    /** A route that takes longer to answer than clients have to send a request. */
    @RestController
    static class SlowAnswers {
        @PostMapping("/test/slow")
        String slow(@RequestBody String body) throws InterruptedException {
            Thread.sleep(12_000);
            return "answered " + body;
        }
    }

    /** A client that sends {@code start}, then {@code rest} a byte a second until the server closes the connection. */
    private record Trickle(String start, String rest) {
        /** How long the connection stayed open after the request's first byte. */
        Duration send() throws IOException {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", PORT));
                socket.setSoTimeout(1000);
                long first = System.nanoTime();
                OutputStream out = socket.getOutputStream();
                out.write(start.getBytes(StandardCharsets.US_ASCII));
                byte[] bytes = rest.getBytes(StandardCharsets.US_ASCII);
                for (int i = 0; Duration.ofNanos(System.nanoTime() - first).toSeconds() < 30; i++) {
                    try {
                        out.write(bytes[i % bytes.length]);
                        out.flush();
                        if (socket.getInputStream().read(new byte[4096]) == -1) {
                            return Duration.ofNanos(System.nanoTime() - first);
                        }
                    } catch (SocketTimeoutException stillOpen) {
                        // a second has passed: send the next byte
                    } catch (IOException closed) {
                        return Duration.ofNanos(System.nanoTime() - first);
                    }
                }
                throw new AssertionError(
                        "the server kept a client trickling '" + start.replace("\r\n", " / ") + "' for 30 s");
            }
        }

        /** Sends {@code start}, then {@code rest} in one piece after {@code pause}, and answers the status. */
        int answerStatus(Duration pause) throws Exception {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", PORT));
                socket.setSoTimeout(20_000);
                socket.getOutputStream().write(start.getBytes(StandardCharsets.US_ASCII));
                Thread.sleep(pause.toMillis());
                socket.getOutputStream().write(rest.getBytes(StandardCharsets.US_ASCII));
                String statusLine = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
                return Integer.parseInt(statusLine.substring(9, 12));
            }
        }
    }
}
