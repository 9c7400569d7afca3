package dev.pontus.spring;

import java.net.URI;
import java.time.Duration;
import org.springframework.beans.factory.SmartInitializingSingleton;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Fails start-up when the store cannot be used (no credentials, a bucket that is missing or out of reach), so that
 * the first upload does not find out; off with {@code pontus.fail-fast=false} for stores that come up later.
 */
final class StoreCheck implements SmartInitializingSingleton {
    private final S3Client s3;
    private final String bucket;
    private final Duration timeout;

    StoreCheck(S3Client s3, String bucket, Duration timeout) {
        this.s3 = s3;
        this.bucket = bucket;
        this.timeout = timeout;
    }

    @Override
    public void afterSingletonsInstantiated() {
        check();
    }

    /**
     * Asks the store for the bucket (HeadBucket), which resolves the credentials first: the signer's are the same
     * (both from {@link StoreConnection}, or both Spring Cloud AWS's).
     */
    void check() {
        try {
            s3.headBucket(b -> b.bucket(bucket).overrideConfiguration(c -> c.apiCallTimeout(timeout)));
        } catch (SdkException e) {
            URI endpoint = s3.serviceClientConfiguration().endpointOverride().orElse(null);
            throw new StoreUnavailableException(problem(e), bucket, endpoint, e);
        }
    }

    /** HeadBucket answers without a body, so its status is all there is. */
    private static StoreProblem problem(SdkException e) {
        if (e instanceof S3Exception s3 && s3.statusCode() == 404) {
            return StoreProblem.NO_SUCH_BUCKET;
        }
        if (e instanceof S3Exception s3 && s3.statusCode() == 403) {
            return StoreProblem.ACCESS_REFUSED;
        }
        return StoreProblem.of(e).orElse(StoreProblem.UNREACHABLE);
    }
}
