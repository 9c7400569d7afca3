package dev.pontus.spring;

import static dev.pontus.spring.StoreFailureAnalyzerTest.analysis;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pontus.test.LocalS3;
import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Start-up against S3Proxy: a store that cannot be used fails it with a failure analysis naming the fix. */
class StoreStartupIT {
    private static final LocalS3 S3 = LocalS3.shared();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PontusAutoConfiguration.class))
            .withPropertyValues(
                    "pontus.endpoint=" + S3.endpoint(),
                    "pontus.path-style-access=true",
                    "pontus.access-key=" + S3.accessKey(),
                    "pontus.secret-key=" + S3.secretKey());

    @Test
    void startsWhenTheBucketIsThere() {
        runner.withPropertyValues("pontus.bucket=" + S3.newBucket())
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(StoreCheck.class));
    }

    @Test
    void aMissingBucketFailsStartUpNamingTheBucketAndTheFix() {
        runner.withPropertyValues("pontus.bucket=pontus-missing-bucket")
                .run(context -> analysis(context.getStartupFailure(), a -> {
                    assertThat(a.getDescription())
                            .startsWith("The bucket 'pontus-missing-bucket' does not exist at " + S3.endpoint() + ".")
                            .contains("The store answered HTTP 404");
                    assertThat(a.getAction())
                            .contains("Create the bucket")
                            .contains("pontus.bucket")
                            .contains("pontus.fail-fast=false");
                }));
    }

    @Test
    void refusedCredentialsFailStartUp() {
        runner.withPropertyValues("pontus.bucket=" + S3.newBucket(), "pontus.secret-key=not-the-secret")
                .run(context -> analysis(context.getStartupFailure(), a -> {
                    assertThat(a.getDescription())
                            .contains("refused access to the bucket")
                            .contains("HTTP 403");
                    assertThat(a.getAction()).contains("pontus.access-key and pontus.secret-key");
                    assertThat(a.getDescription() + a.getAction()).doesNotContain("not-the-secret");
                }));
    }

    @Test
    void anUnreachableStoreFailsStartUp() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        runner.withPropertyValues("pontus.bucket=photos", "pontus.endpoint=http://127.0.0.1:" + closed)
                .run(context -> analysis(context.getStartupFailure(), a -> {
                    assertThat(a.getDescription())
                            .startsWith("The store at http://127.0.0.1:" + closed
                                    + " could not be reached for the bucket 'photos'.");
                    assertThat(a.getDescription())
                            .contains("The AWS SDK said: ")
                            .contains("Connection refused");
                    assertThat(a.getAction()).contains("pontus.endpoint").contains("pontus.fail-fast=false");
                }));
    }

    @Test
    void failFastFalseStartsWithoutTheStore() {
        runner.withPropertyValues("pontus.bucket=pontus-missing-bucket", "pontus.fail-fast=false")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(StoreCheck.class));
    }
}
