package dev.pontus.multipart;

import dev.pontus.StorageException;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The S3 calls multipart uploads make, each with its timeout and S3's errors translated: {@code NoSuchUpload}
 * becomes {@link MultipartException} {@code no-such-upload}, anything else a {@link StorageException}.
 */
final class MultipartCalls {
    final S3Client s3;
    final String bucket;
    private final AwsRequestOverrideConfiguration timeout;

    MultipartCalls(S3Client s3, String bucket, Duration callTimeout) {
        this.s3 = s3;
        this.bucket = bucket;
        this.timeout = AwsRequestOverrideConfiguration.builder()
                .apiCallTimeout(callTimeout)
                .build();
    }

    /** The per-call timeout, for each request's override configuration. */
    AwsRequestOverrideConfiguration timeout() {
        return timeout;
    }

    <T> T call(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (S3Exception e) {
            if ("NoSuchUpload".equals(errorCode(e))) {
                throw new MultipartException(
                        "no-such-upload",
                        what + " failed: there is no such upload; it was"
                                + " completed, aborted or never started. Start again.");
            }
            throw StorageException.of(what, e);
        } catch (SdkException e) {
            throw StorageException.of(what, e);
        }
    }

    void abort(String key, String uploadId) {
        call(
                "Aborting the multipart upload to " + uri(key),
                () -> s3.abortMultipartUpload(
                        b -> b.bucket(bucket).key(key).uploadId(uploadId).overrideConfiguration(timeout)));
    }

    /**
     * Hands each multipart upload under {@code prefix} to {@code visit}, all pages, until it answers false; a store
     * that answers the same page again ends the listing rather than loop.
     */
    void eachUpload(String prefix, Predicate<MultipartUpload> visit) {
        String keyMarker = null;
        String idMarker = null;
        while (true) {
            String k = keyMarker;
            String i = idMarker;
            ListMultipartUploadsResponse page = call(
                    "Listing the multipart uploads under " + uri(prefix),
                    () -> s3.listMultipartUploads(b -> b.bucket(bucket)
                            .prefix(prefix)
                            .keyMarker(k)
                            .uploadIdMarker(i)
                            .overrideConfiguration(timeout)));
            for (MultipartUpload upload : page.uploads()) {
                if (!visit.test(upload)) {
                    return;
                }
            }
            if (!Boolean.TRUE.equals(page.isTruncated())
                    || page.nextKeyMarker() == null
                    || (page.nextKeyMarker().equals(k) && Objects.equals(page.nextUploadIdMarker(), i))) {
                return;
            }
            keyMarker = page.nextKeyMarker();
            idMarker = page.nextUploadIdMarker();
        }
    }

    static String errorCode(S3Exception e) {
        return e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    }

    String uri(String key) {
        return "s3://" + bucket + "/" + key;
    }
}
