package dev.pontus.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pontus.test.Moto;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Promotion on a store that ignores the copy's conditions (moto 5.2.1 ignores {@code x-amz-copy-source-if-match}):
 * an upload replaced between its check and its copy must still never be promoted.
 */
class MotoPromotionIT {
    private static final String KEY = "unvalidated/id-1/cat.jpg";
    private static final String FINAL = "files/id-1/cat.jpg";
    private static final int MIB = 1024 * 1024;

    private S3Client s3;
    private String bucket;

    @BeforeEach
    void setUp() {
        s3 = Moto.shared().s3ClientBuilder().build();
        bucket = Moto.newName("promote");
        s3.createBucket(b -> b.bucket(bucket));
    }

    @AfterEach
    void tearDown() {
        s3.close();
    }

    private UploadPromoter promoter() {
        return UploadPromoter.builder()
                .s3(s3)
                .bucket(bucket)
                .unvalidatedPrefix("unvalidated/")
                .validatedPrefix("files/")
                .validators(Validators.allowTypes("image/jpeg"))
                .build();
    }

    private void put(byte[] content) {
        s3.putObject(b -> b.bucket(bucket).key(KEY).contentType("image/jpeg"), RequestBody.fromBytes(content));
    }

    private boolean exists(String key) {
        try {
            s3.headObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }

    @Test
    void motoCopiesWhateverTheSourceConditionSays() { // the fact the rest of this class guards against
        put(Samples.jpeg(32, 32));

        s3.copyObject(b -> b.sourceBucket(bucket)
                .sourceKey(KEY)
                .destinationBucket(bucket)
                .destinationKey(FINAL)
                .copySourceIfMatch("\"00000000000000000000000000000000\""));

        assertThat(exists(FINAL))
                .as("moto 5.2.1 ignores x-amz-copy-source-if-match")
                .isTrue();
    }

    @Test
    void anUploadReplacedAfterItsCheckIsNotPromotedWhereCopyConditionsAreIgnored() {
        put(Samples.jpeg(32, 32));
        UploadPromoter promoter = promoter();
        ValidationResult.Valid checked = (ValidationResult.Valid) promoter.check(KEY);
        put(Samples.html()); // replaced after the check: moto's copy will take it

        assertThatThrownBy(() -> promoter.promote(checked))
                .isInstanceOf(PromotionException.class)
                .hasMessageContaining("was replaced after it was checked");
        assertThat(exists(FINAL))
                .as("the copy of the unchecked file was removed")
                .isFalse();
        assertThat(s3.getObjectAsBytes(b -> b.bucket(bucket).key(KEY)).asByteArray())
                .isEqualTo(Samples.html());
    }

    @Test
    void aMultipartUploadReplacedAfterItsCheckIsNotPromotedEither() {
        multipart(Samples.jpeg(32, 32));
        UploadPromoter promoter = promoter();
        ValidationResult.Valid checked = (ValidationResult.Valid) promoter.check(KEY);
        multipart(Samples.html());

        assertThatThrownBy(() -> promoter.promote(checked))
                .isInstanceOf(PromotionException.class)
                .hasMessageContaining("was replaced after it was checked");
        assertThat(exists(FINAL)).isFalse();
    }

    @Test
    void anUnchangedMultipartUploadIsPromotedOnce() {
        multipart(Samples.jpeg(32, 32));

        ValidationResult.Valid valid = (ValidationResult.Valid) promoter().validateAndPromote(KEY);

        assertThat(valid.promoted()).isTrue();
        assertThat(exists(FINAL)).isTrue();
        PromotionFaultsIT.eventually("the original deleted", () -> !exists(KEY));
        assertThat(((ValidationResult.Valid) promoter().validateAndPromote(KEY)).repeated())
                .isTrue();
    }

    /** Two parts: {@code head} padded to 5 MiB, then {@code head} again; its ETag is a multipart one. */
    private void multipart(byte[] head) {
        String id = s3.createMultipartUpload(b -> b.bucket(bucket).key(KEY).contentType("image/jpeg"))
                .uploadId();
        byte[] first = new byte[5 * MIB];
        System.arraycopy(head, 0, first, 0, head.length);
        String one = s3.uploadPart(
                        b -> b.bucket(bucket).key(KEY).uploadId(id).partNumber(1), RequestBody.fromBytes(first))
                .eTag();
        String two = s3.uploadPart(
                        b -> b.bucket(bucket).key(KEY).uploadId(id).partNumber(2), RequestBody.fromBytes(head))
                .eTag();
        s3.completeMultipartUpload(b -> b.bucket(bucket)
                .key(KEY)
                .uploadId(id)
                .multipartUpload(m -> m.parts(List.of(
                        CompletedPart.builder().partNumber(1).eTag(one).build(),
                        CompletedPart.builder().partNumber(2).eTag(two).build()))));
    }
}
