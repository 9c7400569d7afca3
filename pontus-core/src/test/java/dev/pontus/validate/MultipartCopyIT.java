package dev.pontus.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pontus.StorageException;
import dev.pontus.test.Fault;
import dev.pontus.test.FaultProxy;
import dev.pontus.test.LocalS3;
import dev.pontus.test.LocalS3Extension;
import dev.pontus.test.S3Operation;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Promotion of objects above the single-copy limit by a multipart copy (threshold lowered to 6 MiB, 5 MiB parts):
 * type and metadata kept, every part conditional on the checked ETag, and any failure aborted with the original
 * left where it was.
 */
@ExtendWith(LocalS3Extension.class)
class MultipartCopyIT {
    private static final int MIB = 1024 * 1024;
    private static final String KEY = "unvalidated/id-1/scan.jpg";
    private static final String FINAL = "files/id-1/scan.jpg";

    private final byte[] content = Arrays.copyOf(Samples.jpeg(64, 64), 12 * MIB + 123);
    private LocalS3 s3;
    private FaultProxy proxy;
    private S3Client client;
    private String bucket;

    @BeforeEach
    void setUp(LocalS3 s3) {
        this.s3 = s3;
        this.bucket = s3.newBucket();
        this.proxy = FaultProxy.start(s3);
        this.client = proxy.clientBuilder().build();
        content[content.length - 1] = 42;
        s3.client()
                .putObject(
                        b -> b.bucket(bucket).key(KEY).contentType("image/jpeg").metadata(Map.of("owner", "42")),
                        RequestBody.fromBytes(content));
    }

    @AfterEach
    void tearDown() {
        client.close();
        proxy.close();
    }

    private UploadPromoter validator() {
        return UploadPromoter.builder()
                .s3(client)
                .bucket(bucket)
                .unvalidatedPrefix("unvalidated/")
                .validatedPrefix("files/")
                .multipartCopy(6 * MIB, 5 * MIB)
                .validators(Validators.allowTypes("image/jpeg"))
                .build();
    }

    private byte[] content(String key) {
        try {
            return s3.client().getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
        } catch (NoSuchKeyException e) {
            return null;
        }
    }

    private int openMultipartUploads() {
        return s3.client().listMultipartUploads(b -> b.bucket(bucket)).uploads().size();
    }

    @Test
    void copiesInConditionalPartsKeepingTypeAndMetadata() {
        ValidationResult result = validator().validateAndPromote(KEY);

        assertThat(result.isValid()).isTrue();
        assertThat(proxy.requests())
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        S3Operation.RANGED_GET,
                        2,
                        S3Operation.HEAD,
                        1,
                        S3Operation.CREATE_MULTIPART,
                        1,
                        S3Operation.UPLOAD_PART_COPY,
                        3,
                        S3Operation.COMPLETE_MULTIPART,
                        1,
                        S3Operation.DELETE,
                        1));
        var head = s3.client().headObject(b -> b.bucket(bucket).key(FINAL));
        assertThat(head.contentType()).isEqualTo("image/jpeg");
        assertThat(head.metadata()).containsEntry("owner", "42");
        assertThat(content(FINAL)).isEqualTo(content);
        assertThat(content(KEY)).isNull();
        assertThat(openMultipartUploads()).isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {40, 12 * MIB + 123}) // shorter than a part (416 on the range), or as long (412 on the ETag)
    void neverPromotesAnObjectReplacedBetweenCheckAndCopy(int length) {
        byte[] html =
                Arrays.copyOf("<html><script>alert(1)</script></html>".getBytes(StandardCharsets.US_ASCII), length);
        proxy.injectOnce(S3Operation.UPLOAD_PART_COPY, Fault.replaceObject(html));

        assertThatThrownBy(() -> validator().validateAndPromote(KEY)).isInstanceOf(PromotionException.class);

        assertThat(content(FINAL)).isNull();
        assertThat(content(KEY)).isEqualTo(html); // the replacement stays, for its own validation
        assertThat(openMultipartUploads()).isZero();
    }

    @Test
    void abortsTheCopyAndKeepsTheOriginalWhenAPartFails() {
        proxy.inject(S3Operation.UPLOAD_PART_COPY, Fault.status(500, "InternalError"));

        assertThatThrownBy(() -> validator().validateAndPromote(KEY)).isInstanceOf(StorageException.class);

        assertThat(content(FINAL)).isNull();
        assertThat(content(KEY)).isEqualTo(content);
        assertThat(openMultipartUploads()).isZero();
        proxy.clear();
        assertThat(validator().validateAndPromote(KEY).isValid()).isTrue(); // and a retry promotes it
        assertThat(content(FINAL)).isEqualTo(content);
    }
}
