package dev.pontus.validate;

import static dev.pontus.S3Refusals.refusal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pontus.StorageException;
import dev.pontus.validate.S3Calls.Refusal;
import dev.pontus.validate.S3Calls.Refused;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * The promoter's decisions, each from S3's answers alone: a store scripted in-process answers what the test says,
 * so every branch is reached (the same cases against a real S3Proxy are in PromotionFaultsIT).
 */
class PromotionDecisionsTest {
    private static final String KEY = "unvalidated/id/cat.jpg";
    private static final String TARGET = "id/cat.jpg";
    private static final String ETAG = "\"0123456789abcdef0123456789abcdef\"";

    private final Scripted s3 = new Scripted();
    private final List<String> cleanup = new ArrayList<>();

    private Promotion promotion() {
        return new Promotion(
                s3,
                "bucket",
                new ObjectReader(s3, "bucket", 64, 64),
                new Promotion.Settings(
                        null, true, false, Long.MAX_VALUE, 5L << 20, Duration.ofSeconds(1), cleanup::add));
    }

    private static UploadedObject upload(String eTag) {
        return new UploadedObject("bucket", KEY, 10, "image/jpeg", Map.of(), eTag, null, "image/jpeg", new byte[10]);
    }

    private static Deadline deadline() {
        return Deadline.after(Duration.ofSeconds(5), Duration.ofSeconds(1));
    }

    @Test
    void aFinalKeyHoldingTheSameUploadIsARepeatWithoutACopy() {
        HeadObjectResponse promoted =
                HeadObjectResponse.builder().eTag(ETAG).contentLength(10L).build();

        ValidationResult.Valid valid = promotion().promote(upload(ETAG), TARGET, promoted, deadline());

        assertThat(valid.repeated()).isTrue();
        assertThat(valid.warnings()).isEmpty();
        assertThat(s3.copies).hasValue(0);
    }

    @Test
    void aFinalKeyHoldingAnotherUploadLeavesTheNewerOneInPlace() {
        HeadObjectResponse promoted = HeadObjectResponse.builder()
                .eTag("\"other\"")
                .contentLength(10L)
                .build();

        ValidationResult.Valid valid = promotion().promote(upload(ETAG), TARGET, promoted, deadline());

        assertThat(valid.repeated()).isTrue();
        assertThat(valid.warnings()).singleElement().asString().contains("holds a later upload");
        assertThat(s3.copies).hasValue(0);
        assertThat(s3.deletes).isEmpty();
    }

    @Test
    void aCopyRefusedWith412AndNothingAtTheTargetIsAChangedUpload() {
        s3.copy = request -> {
            throw refusal(412, "PreconditionFailed");
        };

        assertThatThrownBy(() -> promotion().promote(upload(ETAG), TARGET, null, deadline()))
                .isInstanceOf(PromotionException.class)
                .hasMessageContaining("changed or vanished after it was checked");
        assertThat(s3.deletes).isEmpty();
    }

    @Test
    void aCopyRefusedBecauseTheTargetAppearedIsARepeat() {
        s3.copy = request -> {
            throw refusal(412, "PreconditionFailed");
        };
        s3.head = request ->
                HeadObjectResponse.builder().eTag(ETAG).contentLength(10L).build();

        ValidationResult.Valid valid = promotion().promote(upload(ETAG), TARGET, null, deadline());

        assertThat(valid.repeated()).isTrue();
    }

    @Test
    void aCopyOfAnotherObjectThanTheCheckedOneIsUndone() { // a store that ignores x-amz-copy-source-if-match
        s3.copy = request -> CopyObjectResponse.builder()
                .copyObjectResult(r -> r.eTag("\"newer\""))
                .build();

        assertThatThrownBy(() -> promotion().promote(upload(ETAG), TARGET, null, deadline()))
                .isInstanceOf(PromotionException.class)
                .hasMessageContaining("was replaced after it was checked");
        assertThat(s3.deletes).containsExactly(TARGET + " if " + "\"newer\"");
    }

    @Test
    void aGoodCopyIsAnsweredAndTheOriginalDeletedAfterwards() throws Exception {
        ValidationResult.Valid valid = promotion().promote(upload(ETAG), TARGET, null, deadline());

        assertThat(valid.promoted()).isTrue();
        assertThat(valid.repeated()).isFalse();
        PromotionFaultsIT.eventually("the delete", () -> !s3.deletes.isEmpty());
        assertThat(s3.deletes).containsExactly(KEY + " if " + ETAG);
    }

    @Test
    void aDeleteRefusedWith404IsDoneAnd412IsAReplacement() {
        s3.delete = request -> {
            throw refusal(404, "NoSuchKey");
        };
        assertThat(promotion().deleteChecked(upload(ETAG), "The original", deadline()))
                .isNull();

        s3.delete = request -> {
            throw refusal(412, "PreconditionFailed");
        };
        assertThat(promotion().deleteChecked(upload(ETAG), "The original", deadline()))
                .contains("newer upload replaced it");
    }

    @Test
    void statusCodesMeanOneThingEach() {
        assertThat(((Refused) S3Calls.translate("x", refusal(404, "NoSuchKey"))).refusal())
                .isEqualTo(Refusal.NOT_FOUND);
        assertThat(((Refused) S3Calls.translate("x", refusal(412, "PreconditionFailed"))).refusal())
                .isEqualTo(Refusal.CHANGED);
        assertThat(((Refused) S3Calls.translate("x", refusal(416, "InvalidRange"))).refusal())
                .isEqualTo(Refusal.RANGE_NOT_SATISFIABLE);
        assertThat(S3Calls.translate("x", refusal(409, "ConditionalRequestConflict")))
                .isInstanceOf(S3Calls.Conflict.class);
        assertThat(S3Calls.translate("x", refusal(409, "BucketAlreadyExists"))).isInstanceOf(StorageException.class);
        assertThat(((StorageException) S3Calls.translate("x", refusal(503, "SlowDown"))).throttled())
                .isTrue();
    }

    @Test
    void aConflictIsRetriedThenAFailure() {
        AtomicInteger calls = new AtomicInteger();
        assertThat(S3Calls.call("Copying", () -> {
                    if (calls.incrementAndGet() < 3) {
                        throw refusal(409, "ConditionalRequestConflict");
                    }
                    return "copied";
                }))
                .isEqualTo("copied");

        assertThatThrownBy(() -> S3Calls.call("Copying", () -> {
                    throw refusal(409, "ConditionalRequestConflict");
                }))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("409");
    }

    @Test
    void aShortOrMisplacedReadIsInconsistentNeverContent() {
        GetObjectResponse announced = (GetObjectResponse) GetObjectResponse.builder()
                .contentRange("bytes 0-63/1000")
                .contentLength(64L)
                .eTag(ETAG)
                .sdkHttpResponse(SdkHttpResponse.builder().statusCode(206).build())
                .build();
        RangedRead whole = new RangedRead("s3://b/k", announced, new byte[64], false);
        assertThat(whole.requireRange(0, 64).size()).isEqualTo(1000);

        assertThatThrownBy(() -> new RangedRead("s3://b/k", announced, new byte[40], false).requireRange(0, 64))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("sent 40 bytes");
        assertThatThrownBy(() -> new RangedRead("s3://b/k", announced, new byte[64], true).requireRange(0, 64))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("64+ bytes");
        assertThatThrownBy(() -> whole.requireRange(100, 64))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("announced bytes 0-63/1000");
        GetObjectResponse ignoredRange = (GetObjectResponse) announced.toBuilder()
                .contentRange(null)
                .sdkHttpResponse(SdkHttpResponse.builder().statusCode(200).build())
                .build();
        assertThatThrownBy(() -> new RangedRead("s3://b/k", ignoredRange, new byte[64], false).requireRange(0, 64))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("answered 200");
    }

    /** An S3 client whose HEAD, copy and delete answer what the test scripts; anything else is unsupported. */
    private static final class Scripted implements S3Client {
        Function<HeadObjectRequest, HeadObjectResponse> head = request -> {
            throw refusal(404, "NoSuchKey");
        };
        Function<CopyObjectRequest, CopyObjectResponse> copy = request ->
                CopyObjectResponse.builder().copyObjectResult(r -> r.eTag(ETAG)).build();
        Function<DeleteObjectRequest, DeleteObjectResponse> delete =
                request -> DeleteObjectResponse.builder().build();
        final AtomicInteger copies = new AtomicInteger();
        final List<String> deletes = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public HeadObjectResponse headObject(HeadObjectRequest request) {
            return head.apply(request);
        }

        @Override
        public CopyObjectResponse copyObject(CopyObjectRequest request) {
            copies.incrementAndGet();
            return copy.apply(request);
        }

        @Override
        public DeleteObjectResponse deleteObject(DeleteObjectRequest request) {
            DeleteObjectResponse response = delete.apply(request);
            deletes.add(request.key() + " if " + request.ifMatch());
            return response;
        }

        @Override
        public String serviceName() {
            return "s3";
        }

        @Override
        public void close() {}
    }
}
