package dev.pontus.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pontus.sign.PostPolicyRequest;
import dev.pontus.sign.PostSigner;
import dev.pontus.validate.UploadValidator;
import dev.pontus.validate.Validator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.support.SpringFactoriesLoader;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

class PontusAutoConfigurationTest {
    private static final AwsCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret-example"));

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PontusAutoConfiguration.class))
            .withBean(AwsCredentialsProvider.class, () -> CREDENTIALS)
            .withPropertyValues("pontus.bucket=photos", "pontus.region=eu-west-1");

    @Test
    void providesSignerValidatorTicketsAndClient() {
        runner.run(context -> {
            assertThat(context).hasNotFailed()
                    .hasSingleBean(PostSigner.class)
                    .hasSingleBean(UploadValidator.class)
                    .hasSingleBean(UploadKeys.class).hasSingleBean(dev.pontus.multipart.MultipartUploads.class)
                    .hasSingleBean(S3Client.class)
                    .doesNotHaveBean(PontusUploadController.class);
            PostSigner signer = context.getBean(PostSigner.class);
            assertThat(signer.unvalidatedPrefix()).isEqualTo("unvalidated/");
            assertThat(signer.sign(PostPolicyRequest.builder().bucket("photos").key("a.jpg").build()).url())
                    .hasToString("https://photos.s3.eu-west-1.amazonaws.com/");
        });
    }

    @Test
    void backsOffToUserBeans() {
        S3Client own = S3Client.builder().region(Region.US_WEST_2).credentialsProvider(CREDENTIALS).build();
        PostSigner ownSigner = PostSigner.builder().region(Region.US_WEST_2).credentialsProvider(CREDENTIALS).build();
        runner.withBean(S3Client.class, () -> own).withBean(PostSigner.class, () -> ownSigner).run(context -> {
            assertThat(context.getBean(S3Client.class)).isSameAs(own);
            assertThat(context.getBean(PostSigner.class)).isSameAs(ownSigner);
            assertThat(context.getBean(AwsCredentialsProvider.class)).isSameAs(CREDENTIALS);
        });
    }

    @Test
    void bindsProperties() {
        runner.withPropertyValues("pontus.max-file-size=5MB", "pontus.min-file-size=10B", "pontus.policy-expiry=2m",
                "pontus.allowed-content-types=image/*,application/pdf", "pontus.validated-prefix=files/",
                "pontus.unvalidated-prefix=incoming/", "pontus.web.base-path=/uploads", "pontus.scan=full",
                "pontus.full-scan-max-size=50MB").run(context -> {
                    PontusProperties properties = context.getBean(PontusProperties.class);
                    assertThat(properties.getMaxFileSize().toBytes()).isEqualTo(5 * 1024 * 1024);
                    assertThat(properties.getMinFileSize().toBytes()).isEqualTo(10);
                    assertThat(properties.getPolicyExpiry()).hasMinutes(2);
                    assertThat(properties.getAllowedContentTypes()).containsExactly("image/*", "application/pdf");
                    assertThat(properties.getWeb().getBasePath()).isEqualTo("/uploads");
                    assertThat(properties.getScan()).isEqualTo(PontusProperties.Scan.FULL);
                    assertThat(properties.getFullScanMaxSize().toMegabytes()).isEqualTo(50);
                    UploadValidator validator = context.getBean(UploadValidator.class);
                    assertThat(validator.unvalidatedPrefix()).isEqualTo("incoming/");
                    assertThat(validator.finalKey("incoming/id/a.jpg")).isEqualTo("files/id/a.jpg");
                });
    }

    @Test
    void collectsValidatorBeansInOrderAfterTheBuiltIns() {
        runner.withUserConfiguration(UserValidators.class).run(context -> {
            List<Validator> validators = context.getBean(UploadValidator.class).validators();
            assertThat(validators.subList(validators.size() - 2, validators.size()))
                    .containsExactly(UserValidators.FIRST, UserValidators.SECOND);
        });
    }

    @Test
    void servesEndpointsInServletAppsUnlessSwitchedOff() {
        WebApplicationContextRunner web = new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(PontusAutoConfiguration.class))
                .withBean(AwsCredentialsProvider.class, () -> CREDENTIALS)
                .withPropertyValues("pontus.bucket=photos", "pontus.region=eu-west-1");
        web.run(context -> assertThat(context).hasSingleBean(PontusUploadController.class));
        web.withPropertyValues("pontus.web.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(PontusUploadController.class));
    }

    @Test
    void countsOutcomesWithMicrometer() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        runner.withBean(SimpleMeterRegistry.class, () -> registry).run(context -> {
            context.getBean(UploadMetrics.class).record("validate", "valid");
            assertThat(registry.counter("pontus.uploads.validate", "outcome", "valid").count()).isEqualTo(1);
        });
    }

    @Test
    void explainsAMissingBucket() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(PontusAutoConfiguration.class))
                .withBean(AwsCredentialsProvider.class, () -> CREDENTIALS)
                .withPropertyValues("pontus.region=eu-west-1")
                .run(context -> {
                    FailureAnalysis analysis = analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("pontus.bucket: is not set");
                    assertThat(analysis.getAction()).contains("Set pontus.bucket");
                });
    }

    @Test
    void explainsUnusableSettings() {
        runner.withPropertyValues("pontus.min-file-size=2MB", "pontus.max-file-size=1MB").run(context ->
                assertThat(analyze(context.getStartupFailure()).getAction()).contains("pontus.min-file-size at most"));
        runner.withPropertyValues("pontus.key-secret=short").run(context ->
                assertThat(analyze(context.getStartupFailure()).getDescription()).contains("pontus.key-secret"));
        runner.withPropertyValues("pontus.acl=everyone").run(context ->
                assertThat(analyze(context.getStartupFailure()).getDescription()).contains("pontus.acl"));
        runner.withPropertyValues("pontus.bucket=Not_A_Bucket").run(context ->
                assertThat(analyze(context.getStartupFailure()).getDescription()).contains("not a valid bucket name"));
    }

    @Test
    void registersTheFailureAnalyzer() {
        var factories = SpringFactoriesLoader.forResourceLocation("META-INF/spring.factories");
        assertThat(factories.load(FailureAnalyzer.class, SpringFactoriesLoader.FailureHandler.logging(
                org.apache.commons.logging.LogFactory.getLog(getClass()))))
                .anyMatch(PontusFailureAnalyzer.class::isInstance);
    }

    private static FailureAnalysis analyze(Throwable failure) {
        assertThat(failure).isNotNull();
        FailureAnalysis analysis = new PontusFailureAnalyzer().analyze(failure);
        assertThat(analysis).as("analysis of %s", failure).isNotNull();
        return analysis;
    }

    @Configuration(proxyBeanMethods = false)
    static class UserValidators {
        static final Validator FIRST = upload -> List.of();
        static final Validator SECOND = upload -> List.of();

        @Bean
        @Order(2)
        Validator second() {
            return SECOND;
        }

        @Bean
        @Order(1)
        Validator first() {
            return FIRST;
        }
    }
}
