package dev.pontus.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * What S3Proxy 4.1.0 does with {@code If-None-Match: *}, pinned: it refuses a PutObject onto an existing key (412)
 * but lets a CopyObject overwrite one. A promotion that relies on the copy's condition to let only one of two racing
 * instances win does not get that guarantee from this store (docs/benchmarks.md, the event benchmark).
 */
@ExtendWith(LocalS3Extension.class)
class S3ProxyCopyConditionsIT {

    @Test
    void putHonoursIfNoneMatchButCopyIgnoresIt(LocalS3 s3) {
        String bucket = s3.newBucket();
        s3.client().putObject(b -> b.bucket(bucket).key("source"), RequestBody.fromString("new"));
        s3.client().putObject(b -> b.bucket(bucket).key("target"), RequestBody.fromString("old"));

        assertThatThrownBy(() -> s3.client()
                        .putObject(b -> b.bucket(bucket).key("target").ifNoneMatch("*"), RequestBody.fromString("x")))
                .isInstanceOfSatisfying(
                        S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
        s3.client()
                .copyObject(b -> b.sourceBucket(bucket)
                        .sourceKey("source")
                        .destinationBucket(bucket)
                        .destinationKey("target")
                        .ifNoneMatch("*"));

        assertThat(s3.client()
                        .getObjectAsBytes(b -> b.bucket(bucket).key("target"))
                        .asUtf8String())
                .as("S3Proxy 4.1.0 overwrote the target despite If-None-Match: *")
                .isEqualTo("new");
    }
}
