package dev.pontus.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

class LocalS3IT {
    @Test
    void removesItsWorkFolderWithTheSecretWhenStoppedAndHooksShutdownOnce() {
        Path work;
        try (LocalS3 first = LocalS3.builder().build().start();
                LocalS3 second = LocalS3.builder().build().start()) {
            work = first.workDirectory();
            assertThat(work.resolve("s3proxy.properties")).content().contains(first.secretKey());
            String bucket = second.newBucket();
            second.client().putObject(b -> b.bucket(bucket).key("a.txt"), RequestBody.fromString("hi"));
            assertThat(LocalS3.shutdownHooks()).isEqualTo(1);
        }
        assertThat(Files.exists(work)).isFalse();
    }

    @Test
    void faultProxyForwardsUntouchedRequestsAndCountsThemByOperation() {
        LocalS3 s3 = LocalS3.shared();
        String bucket = s3.newBucket();
        try (FaultProxy proxy = FaultProxy.start(s3);
                var client = proxy.clientBuilder().build()) {
            client.putObject(b -> b.bucket(bucket).key("a.txt"), RequestBody.fromString("hello"));
            assertThat(client.getObjectAsBytes(
                                    b -> b.bucket(bucket).key("a.txt").range("bytes=0-1"))
                            .asUtf8String())
                    .isEqualTo("he");
            client.copyObject(b -> b.sourceBucket(bucket)
                    .sourceKey("a.txt")
                    .destinationBucket(bucket)
                    .destinationKey("b.txt"));
            client.deleteObject(b -> b.bucket(bucket).key("a.txt"));

            assertThat(proxy.requests())
                    .containsEntry(S3Operation.PUT, 1)
                    .containsEntry(S3Operation.RANGED_GET, 1)
                    .containsEntry(S3Operation.COPY, 1)
                    .containsEntry(S3Operation.DELETE, 1);
            assertThat(s3.client()
                            .getObjectAsBytes(b -> b.bucket(bucket).key("b.txt"))
                            .asUtf8String())
                    .isEqualTo("hello");
        }
    }
}
