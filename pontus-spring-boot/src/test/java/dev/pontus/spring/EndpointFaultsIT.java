package dev.pontus.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pontus.spring.example.ExampleApp;
import dev.pontus.test.BrowserPost;
import dev.pontus.test.Fault;
import dev.pontus.test.FaultProxy;
import dev.pontus.test.LocalS3;
import dev.pontus.test.S3Operation;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The endpoints' answers when S3 misbehaves, with a {@link FaultProxy} between the app's S3 client and S3Proxy:
 * the right status in bounded time, warnings in the answer, one event per upload, and the bucket intact.
 */
@SpringBootTest(
        classes = {ExampleApp.class, EndpointFaultsIT.Store.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class EndpointFaultsIT extends EndpointsClient {
    private static final LocalS3 S3 = LocalS3.shared();
    private static final FaultProxy PROXY = FaultProxy.start(S3);
    private static final String BUCKET = S3.newBucket();

    @Autowired
    ExampleApp app;

    @Autowired
    RecordingMetrics metrics;

    @DynamicPropertySource
    static void pontus(DynamicPropertyRegistry registry) {
        store(registry, S3, BUCKET);
        registry.add("pontus.allowed-content-types", () -> "image/*");
        registry.add("pontus.s3-call-timeout", () -> "6s"); // room for the SDK's throttling back-off
        registry.add("pontus.validation-timeout", () -> "8s");
    }

    /** The app's S3 client goes through the fault proxy; the browser posts to the store directly. */
    @TestConfiguration(proxyBeanMethods = false)
    static class Store {
        @Bean
        AwsCredentialsProvider credentials() {
            return S3.credentialsProvider();
        }

        @Bean
        S3Client s3() {
            return PROXY.clientBuilder().build();
        }

        @Bean
        RecordingMetrics metrics() {
            return new RecordingMetrics();
        }
    }

    static final class RecordingMetrics implements UploadMetrics {
        final List<String> recorded = new CopyOnWriteArrayList<>();

        @Override
        public void record(String operation, String outcome) {
            recorded.add(operation + ":" + outcome);
        }
    }

    @AfterEach
    void clearFaults() {
        PROXY.clear();
    }

    private record Upload(String key) {
        String finalKey() {
            return IssuedKey.promoted(key);
        }
    }

    private Upload upload(byte[] content) {
        Answer params = get(query("cat.jpg", "image/jpeg"), "alice");
        Map<String, String> fields = fields(params.json());
        assertThat(BrowserPost.post(
                                URI.create(params.json().get("url").asString()),
                                fields,
                                "cat.jpg",
                                "image/jpeg",
                                content)
                        .status())
                .isEqualTo(201);
        return new Upload(fields.get("key"));
    }

    private Answer validate(Upload upload) {
        return validate(upload.key(), "alice");
    }

    private static boolean exists(String key) {
        try {
            S3.client().headObject(b -> b.bucket(BUCKET).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }

    @Test
    void aCopyFailingEveryTimeIs502AndTheUploadStays() {
        Upload upload = upload(jpeg());
        PROXY.inject(S3Operation.COPY, Fault.status(500, "InternalError"));

        Answer answer = validate(upload);

        assertThat(answer.status()).isEqualTo(502);
        assertThat(answer.json().get("detail").asString()).contains("nothing was promoted or deleted");
        assertThat(metrics.recorded)
                .as("counted under the endpoint's operation")
                .contains("validate:error");
        assertThat(exists(upload.key())).isTrue();
        assertThat(exists(upload.finalKey())).isFalse();
    }

    @Test
    void aShortReadIs502AndDeletesNothing() {
        Upload upload =
                upload("<html><script>alert(1)</script></html>".repeat(50).getBytes(StandardCharsets.UTF_8));
        PROXY.inject(S3Operation.RANGED_GET, Fault.truncateBody(64));

        assertThat(validate(upload).status()).isEqualTo(502);
        assertThat(exists(upload.key()))
                .as("an unchecked upload is never deleted")
                .isTrue();
    }

    @Test
    void throttlingIs503WithRetryAfter() throws Exception {
        Upload upload = upload(jpeg());
        PROXY.inject(S3Operation.RANGED_GET, Fault.status(503, "SlowDown"));

        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/s3/validate"))
                        .header("Content-Type", "application/json")
                        .header("X-User", "alice")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("key", upload.key()))))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(exists(upload.key())).isTrue();
    }

    @Test
    void aHangingStoreIsAnswered502WithinTheValidationTimeout() {
        Upload upload = upload(jpeg());
        PROXY.inject(S3Operation.RANGED_GET, Fault.hang());

        long start = System.nanoTime();
        Answer answer = validate(upload);

        assertThat(answer.status()).isEqualTo(502);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(exists(upload.key())).isTrue();
    }

    @Test
    void anUploadReplacedBeforeTheCopyIs409() {
        Upload upload = upload(jpeg());
        PROXY.inject(S3Operation.COPY, Fault.replaceObject("<svg onload=alert(1)>".getBytes(StandardCharsets.UTF_8)));

        Answer answer = validate(upload);

        assertThat(answer.status()).isEqualTo(409);
        assertThat(answer.json().get("detail").asString()).contains("changed or vanished after it was checked");
        assertThat(exists(upload.finalKey())).isFalse();
        assertThat(exists(upload.key())).isTrue();
    }

    @Test
    void aFailedDeleteAfterTheAnswerIsAMetricAndLeavesBothCopies() throws InterruptedException {
        Upload upload = upload(jpeg());
        PROXY.inject(S3Operation.DELETE, Fault.status(500, "InternalError"));

        Answer answer = validate(upload);

        assertThat(answer.status()).isEqualTo(200); // answered once the copy succeeded; the delete follows
        assertThat(app.events)
                .anyMatch(e ->
                        e instanceof UploadEvents.Validated v && v.finalKey().equals(upload.finalKey()));
        long until = System.nanoTime() + 10_000_000_000L;
        while (!metrics.recorded.contains("validate:warning") && System.nanoTime() < until) {
            Thread.sleep(20); // polls: the delete and the SDK's retries run after the answer
        }
        assertThat(metrics.recorded).contains("validate:warning");
        assertThat(exists(upload.finalKey())).isTrue();
        assertThat(exists(upload.key()))
                .as("left to the sweep and the lifecycle rule")
                .isTrue();
        assertThat(validate(upload).status())
                .as("a repeated validate answers the same")
                .isEqualTo(200);
    }

    @Test
    void imagesHidingTheirDimensionsBehindLargeMetadataAre422() {
        Map<Integer, String> expected = Map.of(
                2, "image-too-many-pixels", // found with one more small read: 65500x65500
                40, "image-unreadable"); // beyond the reads allowed: refused by default in the starter
        expected.forEach((segments, code) -> {
            Upload upload = upload(EndpointsClient.jpegBehindMetadata(segments, 65_500));

            Answer answer = validate(upload);

            assertThat(answer.status()).as("%d segments", segments).isEqualTo(422);
            assertThat(answer.json().get("violations").get(0).get("code").asString())
                    .isEqualTo(code);
            assertThat(exists(upload.finalKey())).isFalse();
        });
    }

    @Test
    void concurrentValidatesAllAnswer200WithTheFinalKeyAndOneEvent() {
        Upload upload = upload(jpeg());
        PROXY.inject(S3Operation.RANGED_GET, Fault.delay(Duration.ofMillis(300)));
        int validBefore =
                (int) metrics.recorded.stream().filter("validate:valid"::equals).count();

        List<CompletableFuture<Answer>> answers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            answers.add(CompletableFuture.supplyAsync(() -> validate(upload)));
        }

        for (CompletableFuture<Answer> answer : answers) {
            assertThat(answer.join().status()).isEqualTo(200);
            assertThat(answer.join().json().get("key").asString()).isEqualTo(upload.finalKey());
        }
        assertThat(app.events)
                .filteredOn(e ->
                        e instanceof UploadEvents.Validated v && v.finalKey().equals(upload.finalKey()))
                .hasSize(1);
        assertThat(metrics.recorded.stream().filter("validate:valid"::equals).count())
                .isEqualTo(validBefore + 1);
    }

    @Test
    void aFailingMultipartCompleteIs502AndARetryCompletesAndPromotesOnce() throws Exception {
        Answer created = post("/s3/multipart", Map.of("filename", "scan.jpg", "type", "image/jpeg"), "alice");
        String key = created.json().get("key").asString();
        String query = "?key=" + URLEncoder.encode(key, StandardCharsets.UTF_8);
        String upload = "/s3/multipart/" + created.json().get("uploadId").asString();
        String url = get(upload + "/1" + query, "alice").json().get("url").asString();
        HttpResponse<String> put = HTTP.send(
                HttpRequest.newBuilder(URI.create(url))
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(jpeg()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        Map<String, Object> parts = Map.of(
                "parts",
                List.of(Map.of(
                        "PartNumber",
                        1,
                        "ETag",
                        put.headers().firstValue("ETag").orElseThrow())));
        PROXY.inject(S3Operation.COMPLETE_MULTIPART, Fault.status(500, "InternalError"));

        Answer failed = post(upload + "/complete" + query, parts, "alice");

        assertThat(failed.status()).isEqualTo(502);
        assertThat(metrics.recorded).contains("multipart:error");
        assertThat(exists(key)).isFalse();
        assertThat(get(upload + query, "alice").json().findValuesAsString("ETag"))
                .hasSize(1); // parts kept
        PROXY.clear();
        Answer retried = post(upload + "/complete" + query, parts, "alice");
        assertThat(retried.status()).isEqualTo(200);
        String finalKey = retried.json().get("key").asString();
        assertThat(exists(finalKey)).isTrue();
        assertThat(post(upload + "/complete" + query, parts, "alice")
                        .json()
                        .get("key")
                        .asString())
                .isEqualTo(finalKey);
        assertThat(app.events)
                .filteredOn(e ->
                        e instanceof UploadEvents.Validated v && v.finalKey().equals(finalKey))
                .hasSize(1);
    }
}
