package dev.pontus.multipart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pontus.test.LocalS3;
import dev.pontus.test.LocalS3Extension;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartCopyResponse;

/**
 * What S3Proxy 4.1.0 answers to the multipart calls Pontus relies on, so that a later S3Proxy that changes one is
 * noticed: UploadPartCopy honours {@code x-amz-copy-source-if-match}; CompleteMultipartUpload honours
 * {@code If-None-Match: *}; ListMultipartUploads lists open uploads; ListParts ignores {@code max-parts} (one page)
 * and still answers after an abort (AWS: 404 NoSuchUpload).
 */
@ExtendWith(LocalS3Extension.class)
class S3ProxyMultipartFactsIT {
    private static final int MIB = 1024 * 1024;

    @Test
    void pinsWhatS3ProxyAnswers(LocalS3 local) {
        S3Client s3 = local.client();
        String bucket = local.newBucket();
        s3.putObject(b -> b.bucket(bucket).key("src"), RequestBody.fromBytes(new byte[12 * MIB]));
        String eTag = s3.headObject(b -> b.bucket(bucket).key("src")).eTag();
        String id = s3.createMultipartUpload(b ->
                        b.bucket(bucket).key("dst").contentType("image/png").metadata(Map.of("owner", "42")))
                .uploadId();
        assertThat(s3.listMultipartUploads(b -> b.bucket(bucket)).uploads())
                .extracting(MultipartUpload::uploadId)
                .containsExactly(id);

        assertThatThrownBy(() -> copyPart(s3, bucket, id, 1, 0, 5 * MIB - 1, "\"nope\""))
                .isInstanceOfSatisfying(
                        S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
        String part1 = copyPart(s3, bucket, id, 1, 0, 5 * MIB - 1, eTag)
                .copyPartResult()
                .eTag();
        String part2 = copyPart(s3, bucket, id, 2, 5 * MIB, 12 * MIB - 1, eTag)
                .copyPartResult()
                .eTag();
        var page = s3.listParts(b -> b.bucket(bucket).key("dst").uploadId(id).maxParts(1));
        assertThat(page.parts()).hasSize(2);
        assertThat(page.isTruncated()).isFalse();

        s3.putObject(b -> b.bucket(bucket).key("dst"), RequestBody.fromBytes(new byte[1]));
        assertThatThrownBy(() -> s3.completeMultipartUpload(b -> b.bucket(bucket)
                        .key("dst")
                        .uploadId(id)
                        .ifNoneMatch("*")
                        .multipartUpload(m -> m.parts(
                                CompletedPart.builder()
                                        .partNumber(1)
                                        .eTag(part1)
                                        .build(),
                                CompletedPart.builder()
                                        .partNumber(2)
                                        .eTag(part2)
                                        .build()))))
                .isInstanceOfSatisfying(
                        S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
        assertThat(s3.headObject(b -> b.bucket(bucket).key("dst")).contentLength())
                .isEqualTo(1);

        s3.abortMultipartUpload(b -> b.bucket(bucket).key("dst").uploadId(id));
        assertThat(s3.listMultipartUploads(b -> b.bucket(bucket)).uploads()).isEmpty();
        assertThat(s3.listParts(b -> b.bucket(bucket).key("dst").uploadId(id)).parts())
                .isEmpty();
    }

    private static UploadPartCopyResponse copyPart(
            S3Client s3, String bucket, String id, int number, long first, long last, String ifMatch) {
        return s3.uploadPartCopy(b -> b.sourceBucket(bucket)
                .sourceKey("src")
                .destinationBucket(bucket)
                .destinationKey("dst")
                .uploadId(id)
                .partNumber(number)
                .copySourceRange("bytes=" + first + "-" + last)
                .copySourceIfMatch(ifMatch));
    }
}
