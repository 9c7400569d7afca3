package dev.pontus.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pontus.spring.example.ExampleApp;
import dev.pontus.test.BrowserPost;
import dev.pontus.test.Fault;
import dev.pontus.test.FaultProxy;
import dev.pontus.test.LocalS3;
import dev.pontus.test.Moto;
import dev.pontus.test.S3Operation;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The consumer in running apps: S3 on S3Proxy (which enforces the POST policy, the pinned uploader included, and
 * honours the conditions exactly-once promotion relies on), the queue on moto's SQS, fed S3-shaped event messages
 * as S3 would send them for each upload. No client calls /validate.
 */
class UploadEventConsumerIT {
    private static final LocalS3 S3 = LocalS3.shared();
    private static final String SECRET = "0123456789abcdef0123456789abcdef-events";

    private final List<ConfigurableApplicationContext> apps = new ArrayList<>();
    private Moto moto;
    private SqsClient sqs;
    private String bucket;
    private String queueUrl;

    @BeforeEach
    void setUp() {
        moto = Moto.shared();
        sqs = SqsClient.builder()
                .endpointOverride(moto.endpoint())
                .region(moto.region())
                .credentialsProvider(moto.credentialsProvider())
                .build();
        bucket = S3.newBucket();
        queueUrl = sqs.createQueue(b -> b.queueName(Moto.newName("events"))).queueUrl();
    }

    @AfterEach
    void tearDown() {
        apps.forEach(ConfigurableApplicationContext::close);
        sqs.close();
    }

    /** An app consuming the queue, its S3 client at {@code s3Endpoint} (the store, or a fault proxy before it). */
    private ConfigurableApplicationContext app(URI s3Endpoint, String... more) {
        List<String> properties = new ArrayList<>(List.of(
                "server.port=0",
                "spring.main.banner-mode=off",
                "spring.cloud.aws.s3.enabled=false",
                "pontus.bucket=" + bucket,
                "pontus.endpoint=" + s3Endpoint,
                "pontus.path-style-access=true",
                "pontus.region=us-east-1",
                "pontus.validated-prefix=files/",
                "pontus.allowed-content-types=image/png",
                "pontus.key-secret=" + SECRET,
                "pontus.events.queue-url=" + queueUrl,
                "pontus.events.endpoint=" + moto.endpoint(),
                "pontus.events.wait-time=1s",
                "pontus.events.visibility-timeout=2s",
                "pontus.events.shutdown-timeout=20s"));
        properties.addAll(List.of(more));
        ConfigurableApplicationContext app = new SpringApplicationBuilder(ExampleApp.class)
                .initializers((GenericApplicationContext context) -> {
                    context.registerBean(AwsCredentialsProvider.class, S3::credentialsProvider);
                    context.registerBean(MeterRegistry.class, SimpleMeterRegistry::new);
                })
                .properties(properties.toArray(String[]::new))
                .run();
        apps.add(app);
        return app;
    }

    private static String url(ConfigurableApplicationContext app, String pathAndQuery) {
        int port = ((WebServerApplicationContext) app).getWebServer().getPort();
        return "http://127.0.0.1:" + port + pathAndQuery;
    }

    /** A browser upload as {@code user}: params from the app, then the POST to the store. Returns key and ETag. */
    private String[] upload(ConfigurableApplicationContext app, String user, String filename) {
        EndpointsClient.Answer params = EndpointsClient.send(
                HttpRequest.newBuilder(URI.create(url(app, EndpointsClient.query(filename, "image/png"))))
                        .header("X-User", user)
                        .GET()
                        .build());
        Map<String, String> fields = EndpointsClient.fields(params.json());
        BrowserPost.Response posted =
                BrowserPost.post(URI.create(S3.endpoint() + "/" + bucket), fields, filename, "image/png", png());
        assertThat(posted.status()).as(posted.body()).isEqualTo(201);
        String key = fields.get("key");
        assertThat(fields).containsEntry("x-amz-meta-pontus-uploader", UploadKeys.uploaderMetadata(user));
        String eTag = S3.client().headObject(b -> b.bucket(bucket).key(key)).eTag();
        return new String[] {key, eTag.replace("\"", "")};
    }

    /** The message S3 sends to SQS for an upload (ObjectCreated:Post), its key encoded as S3 encodes keys. */
    private String event(String key, String eTag) {
        return """
                {"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"us-east-1",
                "eventTime":"%s","eventName":"ObjectCreated:Post","userIdentity":{"principalId":"A1"},
                "requestParameters":{"sourceIPAddress":"127.0.0.1"},"responseElements":{"x-amz-request-id":"R",
                "x-amz-id-2":"H"},"s3":{"s3SchemaVersion":"1.0","configurationId":"uploads","bucket":{"name":"%s",
                "ownerIdentity":{"principalId":"A1"},"arn":"arn:aws:s3:::%s"},"object":{"key":"%s","size":100,
                "eTag":"%s","sequencer":"0055AED6DCD90281E5"}}}]}""".formatted(Instant.now(), bucket, bucket, URLEncoder.encode(key, StandardCharsets.UTF_8), eTag);
    }

    private void send(String body) {
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body));
    }

    private int queued(QueueAttributeName attribute) {
        return Integer.parseInt(sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(attribute))
                .attributes()
                .get(attribute));
    }

    /** Whether every message was deleted: none visible, none in flight. */
    private boolean drained() {
        return queued(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES) == 0
                && queued(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE) == 0;
    }

    private static void await(String what, BooleanSupplier condition) {
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("Timed out after 30 s waiting until " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private boolean exists(String key) {
        try {
            S3.client().headObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }

    private static String finalKey(String key) {
        return IssuedKey.promoted(key);
    }

    private static List<Object> events(ConfigurableApplicationContext app) {
        return app.getBean(ExampleApp.class).events;
    }

    private static double count(ConfigurableApplicationContext app, String outcome) {
        var counter = app.getBean(MeterRegistry.class)
                .find("pontus.events")
                .tag("outcome", outcome)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    static byte[] png() {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void uploadIsValidatedWithoutClientCallCarryingTheUploaderAndADuplicateChangesNothing() {
        ConfigurableApplicationContext app = app(S3.endpoint());
        String[] upload = upload(app, "zoe+admin@example.com", "my photo é.png");

        send(event(upload[0], upload[1]));
        await("the upload is promoted", () -> exists(finalKey(upload[0])));
        send(event(upload[0], upload[1]));
        await("both deliveries are handled", () -> count(app, "duplicate") == 1 && drained());

        assertThat(events(app)).singleElement().isInstanceOfSatisfying(UploadEvents.Validated.class, v -> {
            assertThat(v.principal()).isEqualTo("zoe+admin@example.com");
            assertThat(v.uploadedKey()).isEqualTo(upload[0]).endsWith("/my photo é.png");
            assertThat(v.finalKey()).isEqualTo(finalKey(upload[0]));
        });
        await("the original deleted after promotion", () -> !exists(upload[0]));
        assertThat(count(app, "received")).isEqualTo(2);
        assertThat(count(app, "valid")).isEqualTo(1);
        assertThat(app.getBean(MeterRegistry.class)
                        .find("pontus.events.age")
                        .timer()
                        .count())
                .isEqualTo(2);
        assertThat(app.getBean(UploadEventConsumer.class).state().running()).isTrue();
    }

    @Test
    void keyThisServerDidNotIssueIsNeverPromoted() {
        ConfigurableApplicationContext app = app(S3.endpoint());
        String key = "unvalidated/AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA/forged.png";
        String eTag = S3.client()
                .putObject(
                        b -> b.bucket(bucket)
                                .key(key)
                                .contentType("image/png")
                                .metadata(Map.of(UploadKeys.UPLOADER_METADATA, "alice")),
                        RequestBody.fromBytes(png()))
                .eTag();

        send(event(key, eTag.replace("\"", "")));
        await("the event is handled", () -> count(app, "skipped") == 1 && drained());

        assertThat(exists(key)).isTrue();
        assertThat(exists(finalKey(key))).isFalse();
        assertThat(events(app)).isEmpty();
    }

    @Test
    void twoConsumersEachGivenTheSameUploadPromoteItOnce() {
        ConfigurableApplicationContext one = app(S3.endpoint());
        String[] upload = upload(one, "alice", "photo.png");
        send(event(upload[0], upload[1]));
        await("the first consumer promotes it", () -> exists(finalKey(upload[0])) && drained());
        ConfigurableApplicationContext two = app(S3.endpoint());
        List<Object> first = events(one);
        one.close();

        send(event(upload[0], upload[1])); // the redelivery reaches the other instance
        await("the second consumer handles it", () -> count(two, "received") == 1 && drained());

        assertThat(first).singleElement().isInstanceOf(UploadEvents.Validated.class);
        assertThat(events(two)).isEmpty();
        assertThat(count(two, "duplicate")).isEqualTo(1);
    }

    @Test
    void twoConsumersHandlingTheSameUploadsAtOnceLoseNothing() {
        ConfigurableApplicationContext one = app(S3.endpoint(), "pontus.events.concurrency=2");
        ConfigurableApplicationContext two = app(S3.endpoint(), "pontus.events.concurrency=2");
        List<String[]> uploads = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            uploads.add(upload(one, "alice", "photo " + i + ".png"));
        }

        for (String[] upload : uploads) { // each delivered twice, to whichever consumer is free
            send(event(upload[0], upload[1]));
            send(event(upload[0], upload[1]));
        }
        await(
                "all ten deliveries are handled",
                () -> count(one, "received") + count(two, "received") == 10 && drained());

        for (String[] upload : uploads) {
            assertThat(exists(finalKey(upload[0]))).isTrue();
            await("the original deleted after promotion", () -> !exists(upload[0]));
        }
        double valid = count(one, "valid") + count(two, "valid");
        double duplicate = count(one, "duplicate") + count(two, "duplicate");
        assertThat(valid + duplicate).isEqualTo(10);
        assertThat(valid).isBetween(5.0, 10.0);
        // On AWS the copy's If-None-Match makes the slower instance's promotion a repeat: exactly 5 Validated.
        // S3Proxy ignores that condition; both copies land (same bytes) and the promoter counts a 404 on its own
        // conditional delete as success, so racing instances can each report a first promotion. See README.
        assertThat(events(one).size() + events(two).size()).isEqualTo((int) valid);
    }

    @Test
    void storageFailureReturnsTheMessageAndTheNextDeliveryPromotesOnce() {
        try (FaultProxy proxy = FaultProxy.start(S3)) {
            ConfigurableApplicationContext app = app(proxy.endpoint());
            String[] upload = upload(app, "alice", "photo.png");
            proxy.inject(S3Operation.COPY, Fault.status(500, "InternalError"));

            send(event(upload[0], upload[1]));
            await("a delivery fails", () -> count(app, "failed") >= 1);
            assertThat(exists(upload[0])).isTrue();
            assertThat(exists(finalKey(upload[0]))).isFalse();
            proxy.clear();
            await("the message comes back and is handled", () -> exists(finalKey(upload[0])) && drained());

            assertThat(events(app)).hasSize(1);
            assertThat(count(app, "valid")).isEqualTo(1);
            assertThat(count(app, "received")).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void shutdownLetsTheValidationInFlightFinishAndReturnsTheRestToTheQueue() {
        try (FaultProxy proxy = FaultProxy.start(S3)) {
            ConfigurableApplicationContext app = app(proxy.endpoint(), "pontus.events.concurrency=1");
            String[] first = upload(app, "alice", "first.png");
            String[] second = upload(app, "alice", "second.png");
            proxy.inject(S3Operation.RANGED_GET, Fault.delay(Duration.ofSeconds(3)), 1);
            UploadEventConsumer consumer = app.getBean(UploadEventConsumer.class);
            List<Object> events = events(app);

            send(event(first[0], first[1]));
            await("the first validation is in flight", () -> consumer.state().inFlight() == 1);
            send(event(second[0], second[1]));
            app.close();

            assertThat(consumer.state().running()).isFalse();
            assertThat(events).singleElement().isInstanceOf(UploadEvents.Validated.class);
            assertThat(exists(finalKey(first[0]))).isTrue();
            await("the original deleted after promotion", () -> !exists(first[0]));
            assertThat(exists(second[0])).as("not started: untouched").isTrue();
            assertThat(exists(finalKey(second[0]))).isFalse();
            await(
                    "the second message is back in the queue, the first deleted",
                    () -> queued(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES) == 1
                            && queued(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE) == 0);
        }
    }
}
