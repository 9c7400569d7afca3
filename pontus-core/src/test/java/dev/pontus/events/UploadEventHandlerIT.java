package dev.pontus.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pontus.test.Fault;
import dev.pontus.test.FaultProxy;
import dev.pontus.test.LocalS3;
import dev.pontus.test.LocalS3Extension;
import dev.pontus.test.S3Operation;
import dev.pontus.validate.UploadPromoter;
import dev.pontus.validate.Validators;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The handler against S3Proxy (which honours the copy's source condition and conditional deletes): every shape
 * promotes, and duplicates, stale events, foreign keys and store failures change nothing.
 */
@ExtendWith(LocalS3Extension.class)
class UploadEventHandlerIT {
    private static final String PREFIX = "unvalidated/";
    /** Keys "issued" in these tests carry ".issued/"; the owner comes from the metadata, as the starter's does. */
    static final IssuedKeys ISSUED = (key, metadata) ->
            key.contains(".issued/") ? Optional.of(metadata.getOrDefault("uploader", "")) : Optional.empty();

    private LocalS3 s3;
    private String bucket;

    @BeforeEach
    void setUp(LocalS3 s3) {
        this.s3 = s3;
        this.bucket = s3.newBucket();
    }

    private UploadEventHandler handler(S3Client client) {
        UploadPromoter promoter = UploadPromoter.builder()
                .s3(client)
                .bucket(bucket)
                .unvalidatedPrefix(PREFIX)
                .validatedPrefix("files/")
                .validators(Validators.allowTypes("image/png"))
                .deleteInvalid(true)
                .build();
        return UploadEventHandler.builder()
                .promoter(promoter)
                .issuedKeys(ISSUED)
                .build();
    }

    static byte[] png(int width) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(new BufferedImage(width, 8, BufferedImage.TYPE_INT_RGB), "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String put(String key, byte[] content) {
        return s3.client()
                .putObject(
                        b -> b.bucket(bucket).key(key).contentType("image/png").metadata(Map.of("uploader", "alice")),
                        RequestBody.fromBytes(content))
                .eTag();
    }

    private boolean exists(String key) {
        try {
            s3.client().headObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }

    /** An S3 → SQS body for {@code key}, encoded as S3 encodes keys in notifications. */
    private String event(String key, String eTag) {
        return S3EventMessageTest.s3Message("ObjectCreated:Post", URLEncoder.encode(key, StandardCharsets.UTF_8))
                .replace("my-uploads", bucket)
                .replace("0123456789abcdef0123456789abcdef", eTag.replace("\"", ""));
    }

    @Test
    void promotesOnceHoweverOftenTheEventIsDelivered() {
        String key = PREFIX + "a1.issued/photo.png";
        String eTag = put(key, png(8));
        UploadEventHandler handler = handler(s3.client());

        List<EventOutcome> first = handler.handle(event(key, eTag));
        List<EventOutcome> again = handler.handle(event(key, eTag));

        assertThat(first).singleElement().isInstanceOfSatisfying(EventOutcome.Validated.class, v -> {
            assertThat(v.owner()).isEqualTo("alice");
            assertThat(v.result().key()).isEqualTo("files/a1.issued/photo.png");
            assertThat(v.eventTime()).isNotNull();
        });
        assertThat(again).singleElement().isInstanceOf(EventOutcome.Duplicate.class);
        assertThat(again.get(0).acknowledged()).isTrue();
        assertThat(exists("files/a1.issued/photo.png")).isTrue();
        awaitGone(key);
    }

    @Test
    void aRedeliveryAfterACrashBetweenPromotionAndReportReportsTheUploadAgain() {
        String key = PREFIX + "a1.issued/crash.png";
        String eTag = put(key, png(8));
        UploadEventHandler handler = handler(s3.client());
        // the delivery that crashed: it promoted the upload, then died before reporting or deleting the message
        handler.handle(event(key, eTag));
        awaitGone(key);

        List<EventOutcome> redelivered = handler.handle(event(key, eTag), true);
        List<EventOutcome> duplicateFromS3 = handler.handle(event(key, eTag), false);

        assertThat(redelivered).singleElement().isInstanceOfSatisfying(EventOutcome.Validated.class, v -> {
            assertThat(v.owner()).isEqualTo("alice");
            assertThat(v.result().key()).isEqualTo("files/a1.issued/crash.png");
            assertThat(v.result().repeated())
                    .as("reported, not promoted, again")
                    .isFalse();
        });
        assertThat(duplicateFromS3).singleElement().isInstanceOf(EventOutcome.Duplicate.class);
        assertThat(handler.handle(event(PREFIX + "a1.issued/never.png", eTag), true))
                .as("a redelivery for an upload never promoted")
                .singleElement()
                .isInstanceOf(EventOutcome.Duplicate.class);
    }

    /** The original is deleted just after promotion; poll for it. */
    private void awaitGone(String key) {
        long until = System.nanoTime() + 10_000_000_000L;
        while (exists(key)) {
            assertThat(System.nanoTime())
                    .as("the original deleted after promotion")
                    .isLessThan(until);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void keyWithSpacesPlusAndNonAsciiIsDecodedAndPromoted() {
        String key = PREFIX + "a2.issued/my photo é 10:30 (1).png";
        String eTag = put(key, png(8));

        List<EventOutcome> outcomes = handler(s3.client()).handle(event(key, eTag));

        assertThat(event(key, eTag)).contains("my+photo+%C3%A9+10%3A30+%281%29.png");
        assertThat(outcomes).singleElement().isInstanceOf(EventOutcome.Validated.class);
        assertThat(exists("files/a2.issued/my photo é 10:30 (1).png")).isTrue();
    }

    @Test
    void snsEnvelopeAndEventBridgeShapesPromote() {
        String viaSns = PREFIX + "a3.issued/sns photo.png";
        String viaBridge = PREFIX + "a4.issued/bridge é.png";
        String snsTag = put(viaSns, png(8));
        String bridgeTag = put(viaBridge, png(9));
        String bridge = S3EventMessageTest.eventBridge(
                        "Object Created", URLEncoder.encode(viaBridge, StandardCharsets.UTF_8))
                .replace("my-uploads", bucket)
                .replace("b1946ac92492d2347c6235b4d2611184", bridgeTag.replace("\"", ""));
        UploadEventHandler handler = handler(s3.client());

        assertThat(handler.handle(S3EventMessageTest.snsEnvelope(event(viaSns, snsTag))))
                .singleElement()
                .isInstanceOf(EventOutcome.Validated.class);
        assertThat(handler.handle(bridge)).singleElement().isInstanceOf(EventOutcome.Validated.class);
        assertThat(exists("files/a3.issued/sns photo.png")).isTrue();
        assertThat(exists("files/a4.issued/bridge é.png")).isTrue();
    }

    @Test
    void testEventOtherPrefixOtherBucketAndOtherTypesAreSkipped() {
        String outside = "files/a5.issued/done.png";
        String eTag = put(outside, png(8));
        UploadEventHandler handler = handler(s3.client());
        String test = "{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\",\"Bucket\":\"" + bucket + "\"}";

        assertThat(handler.handle(test)).singleElement().isInstanceOf(EventOutcome.Skipped.class);
        assertThat(handler.handle(event(outside, eTag))).singleElement().isInstanceOf(EventOutcome.Skipped.class);
        assertThat(handler.handle(event(PREFIX + "a6.issued/x.png", eTag).replace(bucket, "another-bucket")))
                .singleElement()
                .isInstanceOf(EventOutcome.Skipped.class);
        assertThat(handler.handle(event(PREFIX + "a6.issued/x.png", eTag).replace("ObjectCreated", "ObjectRemoved")))
                .singleElement()
                .isInstanceOf(EventOutcome.Skipped.class);
        assertThat(exists(outside)).isTrue();
    }

    @Test
    void malformedMessageIsLeftForTheDeadLetterQueue() {
        List<EventOutcome> outcomes = handler(s3.client()).handle("{\"not\":\"an event\"}");

        assertThat(outcomes).singleElement().isInstanceOf(EventOutcome.Malformed.class);
        assertThat(outcomes.get(0).acknowledged()).isFalse();
    }

    @Test
    void keyThisApplicationDidNotIssueIsNeverPromoted() {
        String key = PREFIX + "forged/photo.png";
        String eTag = put(key, png(8));

        List<EventOutcome> outcomes = handler(s3.client()).handle(event(key, eTag));

        assertThat(outcomes).singleElement().isInstanceOf(EventOutcome.Skipped.class);
        assertThat(outcomes.get(0).acknowledged()).isTrue();
        assertThat(exists(key)).isTrue();
        assertThat(exists("files/forged/photo.png")).isFalse();
    }

    @Test
    void staleEventForAReplacedUploadChangesNothingAndTheNewerOnePromotes() {
        String key = PREFIX + "a7.issued/photo.png";
        String older = put(key, png(8));
        String newer = put(key, png(16));
        UploadEventHandler handler = handler(s3.client());

        // out of order: the newer upload's event first, then the older one's
        assertThat(handler.handle(event(key, newer))).singleElement().isInstanceOf(EventOutcome.Validated.class);
        assertThat(handler.handle(event(key, older))).singleElement().isInstanceOf(EventOutcome.Duplicate.class);
        assertThat(s3.client()
                        .headObject(b -> b.bucket(bucket).key("files/a7.issued/photo.png"))
                        .eTag())
                .isEqualTo(newer);
    }

    @Test
    void invalidUploadIsRejectedDeletedAndItsRedeliveryIsADuplicate() {
        String key = PREFIX + "a8.issued/fake.png";
        String eTag = s3.client()
                .putObject(
                        b -> b.bucket(bucket).key(key).contentType("image/png"),
                        RequestBody.fromString("<html><script>alert(1)</script></html>"))
                .eTag();
        UploadEventHandler handler = handler(s3.client());

        assertThat(handler.handle(event(key, eTag)))
                .singleElement()
                .isInstanceOfSatisfying(EventOutcome.Rejected.class, r -> {
                    assertThat(r.owner()).isEmpty();
                    assertThat(r.result().deleted()).isTrue();
                });
        assertThat(handler.handle(event(key, eTag))).singleElement().isInstanceOf(EventOutcome.Duplicate.class);
        assertThat(exists(key)).isFalse();
        assertThat(exists("files/a8.issued/fake.png")).isFalse();
    }

    @Test
    void storageFailureLeavesTheMessageAndTheNextDeliveryPromotesOnce() {
        String key = PREFIX + "a9.issued/photo.png";
        String eTag = put(key, png(8));
        try (FaultProxy proxy = FaultProxy.start(s3);
                S3Client client = proxy.clientBuilder().build()) {
            UploadEventHandler handler = handler(client);
            proxy.inject(S3Operation.COPY, Fault.status(500, "InternalError"), 10);

            List<EventOutcome> failed = handler.handle(event(key, eTag));

            assertThat(failed).singleElement().isInstanceOf(EventOutcome.RetryLater.class);
            assertThat(failed.get(0).acknowledged()).isFalse();
            assertThat(exists(key)).isTrue();
            assertThat(exists("files/a9.issued/photo.png")).isFalse();

            proxy.clear();
            assertThat(handler.handle(event(key, eTag))).singleElement().isInstanceOf(EventOutcome.Validated.class);
            assertThat(handler.handle(event(key, eTag))).singleElement().isInstanceOf(EventOutcome.Duplicate.class);
            assertThat(proxy.forwarded(S3Operation.COPY)).isEqualTo(1);
        }
    }

    @Test
    void anEventCostsThePromotersReadsAndCopyAndNoHeadOfItsOwn() {
        String key = PREFIX + "a10.issued/photo.png";
        String eTag = put(key, png(8));
        try (FaultProxy proxy = FaultProxy.start(s3);
                S3Client client = proxy.clientBuilder().build()) {
            UploadEventHandler handler = handler(client);

            assertThat(handler.handle(event(key, eTag))).singleElement().isInstanceOf(EventOutcome.Validated.class);

            assertThat(proxy.requests())
                    .as("the head and tail GETs and the final key's HEAD together, then one copy")
                    .containsEntry(S3Operation.RANGED_GET, 2)
                    .containsEntry(S3Operation.HEAD, 1)
                    .containsEntry(S3Operation.COPY, 1);
        }
    }
}
