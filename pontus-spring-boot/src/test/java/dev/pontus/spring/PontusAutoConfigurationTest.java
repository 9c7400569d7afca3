package dev.pontus.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pontus.sign.PostPolicyRequest;
import dev.pontus.sign.PostSigner;
import dev.pontus.sign.PresignedPost;
import dev.pontus.validate.UploadPromoter;
import dev.pontus.validate.Validator;
import io.awspring.cloud.autoconfigure.core.AwsAutoConfiguration;
import io.awspring.cloud.autoconfigure.core.CredentialsProviderAutoConfiguration;
import io.awspring.cloud.autoconfigure.core.RegionProviderAutoConfiguration;
import io.awspring.cloud.autoconfigure.s3.S3AutoConfiguration;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

class PontusAutoConfigurationTest {
    private static final AwsCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret-example"));

    private final WebApplicationContextRunner web = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PontusAutoConfiguration.class))
            .withBean(AwsCredentialsProvider.class, () -> CREDENTIALS)
            .withPropertyValues("pontus.bucket=photos", "pontus.region=eu-west-1", "pontus.fail-fast=false");

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PontusAutoConfiguration.class))
            .withBean(AwsCredentialsProvider.class, () -> CREDENTIALS)
            .withPropertyValues("pontus.bucket=photos", "pontus.region=eu-west-1", "pontus.fail-fast=false");

    @Test
    void providesSignerPromoterKeysAndClients() {
        runner.run(context -> {
            assertThat(context)
                    .hasNotFailed()
                    .hasSingleBean(PostSigner.class)
                    .hasSingleBean(UploadPromoter.class)
                    .hasSingleBean(UploadKeys.class)
                    .hasSingleBean(dev.pontus.multipart.MultipartUploads.class)
                    .hasSingleBean(S3Client.class)
                    .doesNotHaveBean(PontusUploadController.class);
            PostSigner signer = context.getBean(PostSigner.class);
            assertThat(signer.unvalidatedPrefix()).isEqualTo("unvalidated/");
            assertThat(signer.sign(PostPolicyRequest.builder()
                                    .bucket("photos")
                                    .key("a.jpg")
                                    .build())
                            .url())
                    .hasToString("https://photos.s3.eu-west-1.amazonaws.com/");
        });
    }

    @Test
    void backsOffToUserBeans() {
        S3Client own = S3Client.builder()
                .region(Region.US_WEST_2)
                .credentialsProvider(CREDENTIALS)
                .build();
        PostSigner ownSigner = PostSigner.builder()
                .region(Region.US_WEST_2)
                .credentialsProvider(CREDENTIALS)
                .build();
        runner.withBean(S3Client.class, () -> own)
                .withBean(PostSigner.class, () -> ownSigner)
                .run(context -> {
                    assertThat(context.getBean(S3Client.class)).isSameAs(own);
                    assertThat(context.getBean(PostSigner.class)).isSameAs(ownSigner);
                    assertThat(context.getBean(AwsCredentialsProvider.class)).isSameAs(CREDENTIALS);
                });
    }

    @Test
    void bindsProperties() {
        runner.withPropertyValues(
                        "pontus.max-file-size=5MB",
                        "pontus.min-file-size=10B",
                        "pontus.policy-expiry=2m",
                        "pontus.allowed-content-types=image/*,application/pdf",
                        "pontus.validated-prefix=files/",
                        "pontus.unvalidated-prefix=incoming/",
                        "pontus.web.base-path=/uploads",
                        "pontus.scan=full",
                        "pontus.full-scan-max-size=50MB")
                .run(context -> {
                    PontusProperties properties = context.getBean(PontusProperties.class);
                    assertThat(properties.getMaxFileSize().toBytes()).isEqualTo(5 * 1024 * 1024);
                    assertThat(properties.getMinFileSize().toBytes()).isEqualTo(10);
                    assertThat(properties.getPolicyExpiry()).hasMinutes(2);
                    assertThat(properties.getAllowedContentTypes()).containsExactly("image/*", "application/pdf");
                    assertThat(properties.getWeb().getBasePath()).isEqualTo("/uploads");
                    assertThat(properties.getScan()).isEqualTo(PontusProperties.Scan.FULL);
                    assertThat(properties.getFullScanMaxSize().toMegabytes()).isEqualTo(50);
                    UploadPromoter validator = context.getBean(UploadPromoter.class);
                    assertThat(validator.unvalidatedPrefix()).isEqualTo("incoming/");
                    assertThat(validator.finalKey("incoming/id/a.jpg")).isEqualTo("files/id/a.jpg");
                });
    }

    @Test
    void collectsValidatorBeansInOrderAfterTheBuiltIns() {
        runner.withUserConfiguration(UserValidators.class).run(context -> {
            List<Validator> validators = context.getBean(UploadPromoter.class).validators();
            assertThat(validators.subList(validators.size() - 2, validators.size()))
                    .containsExactly(UserValidators.FIRST, UserValidators.SECOND);
        });
    }

    @Test
    void servesEndpointsInServletAppsUnlessSwitchedOff() {
        web.run(context -> assertThat(context).hasSingleBean(PontusUploadController.class));
        web.withPropertyValues("pontus.web.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(PontusUploadController.class));
    }

    @Test
    void swapsInTheSlowClientConnectorOnlyWhenARequestDeadlineIsSet() {
        web.run(context -> assertThat(context).doesNotHaveBean("pontusRequestDeadline"));
        web.withPropertyValues("pontus.web.request-deadline=10s").run(context -> {
            @SuppressWarnings("unchecked")
            WebServerFactoryCustomizer<TomcatServletWebServerFactory> customizer =
                    context.getBean("pontusRequestDeadline", WebServerFactoryCustomizer.class);
            TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory();
            customizer.customize(factory);
            assertThat(factory.getProtocol()).isEqualTo(SlowClientProtocol.class.getName());
        });
        web.withPropertyValues("pontus.web.request-deadline=0s")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("pontus.web.request-deadline")
                        .hasMessageContaining("Set a positive duration, such as 10s."));
    }

    @Test
    void countsOutcomesWithMicrometer() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        runner.withBean(SimpleMeterRegistry.class, () -> registry).run(context -> {
            context.getBean(UploadMetrics.class).record("validate", "valid");
            assertThat(registry.counter("pontus.uploads.validate", "outcome", "valid")
                            .count())
                    .isEqualTo(1);
        });
    }

    @Test
    void refusesABadValueWithBootsReportNamingThePropertyAndTheFix() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(PontusAutoConfiguration.class))
                .withBean(AwsCredentialsProvider.class, () -> CREDENTIALS)
                .withPropertyValues("pontus.region=eu-west-1", "pontus.fail-fast=false")
                .run(context -> assertInvalid(
                        context.getStartupFailure(), "pontus.bucket", null, "It is required: set it to the S3 bucket"));
        assertInvalid(
                runner, "pontus.bucket=Not_A_Bucket", "pontus.bucket", "Not_A_Bucket", "is not a valid S3 bucket name");
        assertInvalid(runner, "pontus.endpoint=ftp://store", "pontus.endpoint", null, "http://127.0.0.1:9000");
        assertInvalid(runner, "pontus.policy-expiry=8d", "pontus.policy-expiry", null, "between 1s and 7d");
        assertInvalid(runner, "pontus.key-secret=short", "pontus.key-secret", "(redacted)", "at least 32 characters");
        assertInvalid(runner, "pontus.acl=everyone", "pontus.acl", "everyone", "not a canned ACL");
        assertInvalid(
                runner,
                "pontus.allowed-content-types=images",
                "pontus.allowed-content-types",
                null,
                "such as image/*,application/pdf");
        assertInvalid(
                runner,
                "pontus.validated-prefix=unvalidated/ok/",
                "pontus.validated-prefix",
                null,
                "outside pontus.unvalidated-prefix");
        assertInvalid(
                runner.withPropertyValues("pontus.max-file-size=1MB"),
                "pontus.min-file-size=2MB",
                "pontus.min-file-size",
                null,
                "larger than pontus.max-file-size");
        runner.withPropertyValues("pontus.bucket=Not_A_Bucket").run(context -> {
            FailureAnalysis analysis = bootsAnalyzer(new StandardEnvironment()).analyze(context.getStartupFailure());
            assertThat(analysis.getDescription())
                    .contains("Invalid value 'Not_A_Bucket' for configuration property" + " 'pontus.bucket'")
                    .contains("is not a valid S3 bucket name");
        });
    }

    @Test
    void customizersChangeOneSettingWithoutReplacingTheBean() {
        runner.withUserConfiguration(Customizers.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(UploadPromoter.class).validators()).endsWith(UserValidators.SECOND);
            assertThat(context.getBean(PostSigner.class).unvalidatedPrefix()).isEqualTo("incoming/");
            assertThat(context.getBean(S3Client.class)
                            .serviceClientConfiguration()
                            .region())
                    .isEqualTo(Region.AP_SOUTH_1);
        });
    }

    @Test
    void runsAfterSpringCloudAwsAndUsesItsClients() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        PontusAutoConfiguration.class,
                        AwsAutoConfiguration.class,
                        CredentialsProviderAutoConfiguration.class,
                        RegionProviderAutoConfiguration.class,
                        S3AutoConfiguration.class))
                .withPropertyValues(
                        "pontus.bucket=photos",
                        "pontus.fail-fast=false",
                        "spring.cloud.aws.region.static=eu-west-1",
                        "spring.cloud.aws.credentials.access-key=AKIDEXAMPLE",
                        "spring.cloud.aws.credentials.secret-key=secret-example")
                .run(context -> {
                    assertThat(context)
                            .hasNotFailed()
                            .hasSingleBean(S3Client.class)
                            .hasSingleBean(S3Presigner.class)
                            .hasSingleBean(AwsCredentialsProvider.class)
                            .doesNotHaveBean("pontusS3Client")
                            .doesNotHaveBean("pontusS3Presigner")
                            .doesNotHaveBean("pontusCredentialsProvider");
                    assertThat(context.getBean(StoreConnection.class)
                                    .credentials()
                                    .resolveCredentials()
                                    .accessKeyId())
                            .as("the signer signs with Spring Cloud AWS's credentials")
                            .isEqualTo("AKIDEXAMPLE");
                    assertThat(context.getBean(UploadPromoter.class).bucket()).isEqualTo("photos");
                });
    }

    @Test
    void pontusKeysWinOverTheAppsCredentialsAndNeverShow() {
        runner.withPropertyValues("pontus.access-key=minio-user", "pontus.secret-key=minio-password-123")
                .run(context -> {
                    assertThat(context.getBean(StoreConnection.class)
                                    .credentials()
                                    .resolveCredentials()
                                    .secretAccessKey())
                            .isEqualTo("minio-password-123");
                    assertThat(context.getBean(PontusProperties.class).toString())
                            .doesNotContain("minio-user")
                            .doesNotContain("minio-password-123")
                            .contains("secretKey=(redacted)");
                });
        runner.run(context -> assertThat(context.getBean(StoreConnection.class)
                        .credentials()
                        .resolveCredentials()
                        .accessKeyId())
                .as("without pontus keys, the app's credentials bean")
                .isEqualTo("AKIDEXAMPLE"));
    }

    @Test
    void oneKeyWithoutTheOtherIsReportedAgainstTheMissingOne() {
        assertInvalid(runner, "pontus.access-key=minio-user", "pontus.secret-key", null, "go together");
        assertInvalid(runner, "pontus.secret-key=minio-password", "pontus.access-key", null, "go together");
    }

    @Test
    void refusesAKeySecretAnyoneCouldKnow() {
        assertInvalid(
                runner,
                "pontus.key-secret=${PONTUS_KEY_SECRET}",
                "pontus.key-secret",
                "${PONTUS_KEY_SECRET}",
                "placeholder that nothing resolved");
        assertInvalid(
                runner,
                "pontus.key-secret=4f9c2a7e1b3d5f6a8c0e2b4d6f8a1c3e   # same on every instance",
                "pontus.key-secret",
                "(redacted)",
                "no inline comments");
        assertInvalid(
                runner,
                "pontus.key-secret=change-me-to-a-random-string-of-32-characters",
                "pontus.key-secret",
                "(redacted)",
                "example from the docs");
        runner.withPropertyValues("pontus.key-secret=4f9c2a7e1b3d5f6a8c0e2b4d6f8a1c3e5d7b9f0a")
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(UploadKeys.class));
    }

    @Test
    void signsWithTheClockBean() {
        Clock fixed = Clock.fixed(Instant.parse("2030-01-02T03:04:05Z"), ZoneOffset.UTC);
        runner.withBean(Clock.class, () -> fixed).run(context -> {
            assertThat(context).hasSingleBean(Clock.class);
            PresignedPost post = context.getBean(PostSigner.class)
                    .sign(PostPolicyRequest.builder()
                            .bucket("photos")
                            .key("a.jpg")
                            .build());
            assertThat(post.expiresAt()).isEqualTo(Instant.parse("2030-01-02T03:14:05Z"));
        });
    }

    @Test
    void everyClientBuilderGetsTheSameStoreAndThePresignerItsCustomizer() {
        runner.withPropertyValues("pontus.endpoint=http://127.0.0.1:9000", "pontus.path-style-access=true")
                .withUserConfiguration(PresignerCustomizer.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    S3Client s3 = context.getBean(S3Client.class);
                    assertThat(s3.utilities()
                                    .getUrl(b -> b.bucket("photos").key("a.jpg"))
                                    .toString())
                            .isEqualTo("http://127.0.0.1:9000/photos/a.jpg");
                    assertThat(s3.serviceClientConfiguration().region()).isEqualTo(Region.EU_WEST_1);
                    assertThat(context.getBean(PostSigner.class)
                                    .sign(PostPolicyRequest.builder()
                                            .bucket("photos")
                                            .key("a.jpg")
                                            .build())
                                    .url())
                            .asString()
                            .startsWith("http://127.0.0.1:9000/photos");
                    String url = context.getBean(S3Presigner.class)
                            .presignGetObject(b -> b.signatureDuration(Duration.ofMinutes(1))
                                    .getObjectRequest(g -> g.bucket("photos").key("a.jpg")))
                            .url()
                            .toString();
                    assertThat(url)
                            .startsWith("http://127.0.0.1:9000/photos/a.jpg?")
                            .as("the presigner's customizer ran")
                            .contains("ap-south-1");
                });
    }

    /** Boot's own analyzer of invalid property values: package-private, registered in Boot's spring.factories. */
    private static FailureAnalyzer bootsAnalyzer(Environment environment) throws ReflectiveOperationException {
        var constructor = Class.forName("org.springframework.boot.diagnostics.analyzer"
                        + ".InvalidConfigurationPropertyValueFailureAnalyzer")
                .getDeclaredConstructor(Environment.class);
        constructor.setAccessible(true);
        return (FailureAnalyzer) constructor.newInstance(environment);
    }

    private static void assertInvalid(
            ApplicationContextRunner runner, String setting, String property, Object value, String reason) {
        runner.withPropertyValues(setting)
                .run(context -> assertInvalid(context.getStartupFailure(), property, value, reason));
    }

    private static void assertInvalid(Throwable failure, String property, Object value, String reason) {
        assertThat(failure).as("start-up failure for %s", property).isNotNull();
        Throwable cause = failure;
        while (cause != null && !(cause instanceof InvalidConfigurationPropertyValueException)) {
            cause = cause.getCause();
        }
        assertThat(cause).as("Boot's invalid-property report in %s", failure).isNotNull();
        InvalidConfigurationPropertyValueException invalid = (InvalidConfigurationPropertyValueException) cause;
        assertThat(invalid.getName()).isEqualTo(property);
        if (value != null) {
            assertThat(invalid.getValue()).isEqualTo(value);
        }
        assertThat(invalid.getReason()).contains(reason);
    }

    @Configuration(proxyBeanMethods = false)
    static class PresignerCustomizer {
        @Bean
        PontusCustomizer<S3Presigner.Builder> presignerRegion() {
            return builder -> builder.region(Region.AP_SOUTH_1);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Customizers {
        @Bean
        PontusCustomizer<UploadPromoter.Builder> addValidator() {
            return builder -> builder.validators(UserValidators.SECOND);
        }

        @Bean
        PontusCustomizer<PostSigner.Builder> signerPrefix() {
            return builder -> builder.unvalidatedPrefix("incoming/");
        }

        @Bean
        PontusCustomizer<S3ClientBuilder> clientRegion() {
            return builder -> builder.region(Region.AP_SOUTH_1);
        }
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
