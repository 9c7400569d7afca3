package dev.pontus.spring;

import dev.pontus.S3Names;
import dev.pontus.multipart.MultipartUploads;
import dev.pontus.sign.PostSigner;
import dev.pontus.validate.UploadPromoter;
import dev.pontus.validate.Validator;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Pontus for Spring Boot: a {@link PostSigner}, an {@link UploadPromoter}, {@link MultipartUploads} and the upload
 * endpoints from {@code pontus.*} properties. Every bean backs off when the app defines its own, including Spring
 * Cloud AWS's {@link S3Client}, {@link S3Presigner} and {@link AwsCredentialsProvider} (this runs after its
 * auto-configuration); {@link PontusCustomizer} beans change one setting without replacing a bean, and
 * {@link Validator} beans are added to the rules in order. The core builders check every value; one they refuse
 * fails start-up with Boot's report of the property, its value and where it came from.
 */
@AutoConfiguration(
        afterName = {
            "io.awspring.cloud.autoconfigure.core.CredentialsProviderAutoConfiguration",
            "io.awspring.cloud.autoconfigure.core.RegionProviderAutoConfiguration",
            "io.awspring.cloud.autoconfigure.s3.S3AutoConfiguration"
        })
@ConditionalOnClass({PostSigner.class, S3Client.class})
@EnableConfigurationProperties(PontusProperties.class)
public class PontusAutoConfiguration {
    private static final Logger log = LoggerFactory.getLogger(PontusAutoConfiguration.class);

    @Bean
    @ConditionalOnMissingBean
    AwsCredentialsProvider pontusCredentialsProvider() {
        return DefaultCredentialsProvider.builder().build();
    }

    @Bean
    @ConditionalOnMissingBean
    S3Client pontusS3Client(
            PontusProperties properties,
            AwsCredentialsProvider credentials,
            ObjectProvider<AwsRegionProvider> regions,
            ObjectProvider<PontusCustomizer<S3ClientBuilder>> customizers) {
        S3ClientBuilder builder = S3Client.builder()
                .credentialsProvider(credentials)
                .region(region(properties, regions))
                .forcePathStyle(properties.isPathStyleAccess());
        if (properties.getEndpoint() != null) {
            builder.endpointOverride(properties.getEndpoint());
        }
        customizers.orderedStream().forEach(c -> c.customize(builder));
        return builder.build();
    }

    @Bean
    @ConditionalOnMissingBean
    S3Presigner pontusS3Presigner(
            PontusProperties properties,
            AwsCredentialsProvider credentials,
            ObjectProvider<AwsRegionProvider> regions) {
        S3Presigner.Builder builder = S3Presigner.builder()
                .credentialsProvider(credentials)
                .region(region(properties, regions))
                .serviceConfiguration(S3Configuration.builder()
                        .pathStyleAccessEnabled(properties.isPathStyleAccess())
                        .build());
        if (properties.getEndpoint() != null) {
            builder.endpointOverride(properties.getEndpoint());
        }
        return builder.build();
    }

    @Bean
    @ConditionalOnMissingBean
    PostSigner pontusPostSigner(
            PontusProperties properties,
            AwsCredentialsProvider credentials,
            ObjectProvider<AwsRegionProvider> regions,
            ObjectProvider<PontusCustomizer<PostSigner.Builder>> customizers) {
        PostSigner.Builder builder = PostSigner.builder()
                .credentialsProvider(credentials)
                .region(region(properties, regions))
                .pathStyle(properties.isPathStyleAccess());
        if (properties.getEndpoint() != null) {
            Settings.apply(
                    "pontus.endpoint",
                    properties.getEndpoint(),
                    "Set it to the store's base URL, such as" + " http://127.0.0.1:9000, or remove it for AWS.",
                    () -> builder.endpoint(properties.getEndpoint()));
        }
        String prefix = properties.getUnvalidatedPrefix();
        if (prefix == null || prefix.isEmpty()) {
            throw Settings.invalid(
                    "pontus.unvalidated-prefix",
                    prefix,
                    "Uploads must land apart from validated"
                            + " files: set it to a key prefix such as 'unvalidated/'.");
        }
        Settings.apply(
                "pontus.unvalidated-prefix",
                prefix,
                "Set it to a key prefix such as 'unvalidated/'.",
                () -> builder.unvalidatedPrefix(prefix));
        customizers.orderedStream().forEach(c -> c.customize(builder));
        return builder.build();
    }

    @Bean
    @ConditionalOnMissingBean
    PontusRules pontusRules(PontusProperties properties) {
        return PontusRules.of(properties);
    }

    @Bean
    @ConditionalOnMissingBean
    UploadPromoter pontusUploadPromoter(
            PontusProperties properties,
            PontusRules rules,
            S3Client s3,
            ObjectProvider<Validator> validators,
            ObjectProvider<PontusCustomizer<UploadPromoter.Builder>> customizers) {
        UploadPromoter.Builder builder =
                rules.applyTo(UploadPromoter.builder().s3(s3).bucket(bucket(properties)));
        builder.validators(validators.orderedStream().toList()); // after the built-in ones, by @Order
        customizers.orderedStream().forEach(c -> c.customize(builder));
        // Every value was checked as it was set; what build() checks is how the two prefixes relate.
        return Settings.apply(
                "pontus.validated-prefix",
                properties.getValidatedPrefix(),
                "Set it outside" + " pontus.unvalidated-prefix, such as 'files/', or leave it empty.",
                builder::build);
    }

    @Bean
    @ConditionalOnMissingBean
    MultipartUploads pontusMultipartUploads(
            PontusProperties properties,
            PontusRules rules, // checked the file sizes
            S3Client s3,
            S3Presigner presigner,
            ObjectProvider<PontusCustomizer<MultipartUploads.Builder>> customizers) {
        MultipartUploads.Builder builder = MultipartUploads.builder()
                .s3(s3)
                .presigner(presigner)
                .fileSize(
                        properties.getMinFileSize().toBytes(),
                        properties.getMaxFileSize().toBytes());
        builder.bucket(bucket(properties));
        Settings.apply(
                "pontus.policy-expiry",
                properties.getPolicyExpiry(),
                "Set a duration between 1s and 7d," + " such as 10m.",
                () -> builder.partUrlExpiry(properties.getPolicyExpiry()));
        Settings.apply(
                "pontus.s3-call-timeout",
                properties.getS3CallTimeout(),
                "Set a positive duration, such as" + " 10s.",
                () -> builder.callTimeout(properties.getS3CallTimeout()));
        customizers.orderedStream().forEach(c -> c.customize(builder));
        return builder.build();
    }

    @Bean
    @ConditionalOnMissingBean
    UploadKeys pontusUploadKeys(PontusProperties properties) {
        String secret = properties.getKeySecret();
        if (secret == null || secret.isEmpty()) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            log.info("pontus.key-secret is not set: upload keys are signed with a random secret, so only this"
                    + " instance accepts them. Set it to the same value on every instance behind a load balancer.");
            return new UploadKeys(random, properties.getUnvalidatedPrefix());
        }
        return Settings.apply(
                "pontus.key-secret",
                "(redacted)",
                "Set a random string of at least 32 characters," + " such as the output of 'openssl rand -hex 32'.",
                () -> new UploadKeys(secret.getBytes(StandardCharsets.UTF_8), properties.getUnvalidatedPrefix()));
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    static class MetricsConfiguration {
        @Bean
        @ConditionalOnMissingBean
        UploadMetrics pontusUploadMetrics(ObjectProvider<MeterRegistry> registry) {
            return new MicrometerUploadMetrics(registry);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(name = "org.springframework.web.servlet.DispatcherServlet")
    @ConditionalOnProperty(prefix = "pontus.web", name = "enabled", havingValue = "true", matchIfMissing = true)
    static class WebConfiguration {
        @Bean
        @ConditionalOnMissingBean
        UploadValidation pontusUploadValidation(
                UploadPromoter validator,
                S3Client s3,
                ObjectProvider<UploadMetrics> metrics,
                ApplicationEventPublisher events) {
            return new UploadValidation(
                    validator, s3.utilities(), metrics.getIfAvailable(() -> UploadMetrics.NONE), events);
        }

        @Bean
        @ConditionalOnMissingBean
        PontusUploadController pontusUploadController(
                PontusProperties properties,
                PostSigner signer,
                UploadKeys keys,
                UploadValidation pontusUploadValidation,
                ObjectProvider<UploadMetrics> metrics) {
            return new PontusUploadController(
                    properties,
                    signer,
                    keys,
                    pontusUploadValidation,
                    metrics.getIfAvailable(() -> UploadMetrics.NONE),
                    Clock.systemUTC());
        }

        @Bean
        @ConditionalOnMissingBean
        PontusMultipartController pontusMultipartController(
                PontusProperties properties,
                MultipartUploads uploads,
                UploadKeys keys,
                UploadValidation pontusUploadValidation,
                ObjectProvider<UploadMetrics> metrics) {
            return new PontusMultipartController(
                    properties,
                    uploads,
                    keys,
                    pontusUploadValidation,
                    metrics.getIfAvailable(() -> UploadMetrics.NONE),
                    Clock.systemUTC());
        }

        @Bean
        PontusExceptionHandler pontusExceptionHandler(ObjectProvider<UploadMetrics> metrics) {
            return new PontusExceptionHandler(metrics.getIfAvailable(() -> UploadMetrics.NONE));
        }

        /** CORS for front ends on other origins ({@code pontus.web.allowed-origins}), on the upload endpoints only. */
        @Bean
        WebMvcConfigurer pontusCors(PontusProperties properties) {
            return new WebMvcConfigurer() {
                @Override
                public void addCorsMappings(CorsRegistry registry) {
                    List<String> origins = properties.getWeb().getAllowedOrigins();
                    if (!origins.isEmpty()) {
                        registry.addMapping(properties.getWeb().getBasePath() + "/**")
                                .allowedOrigins(origins.toArray(String[]::new))
                                .allowedMethods("GET", "POST", "DELETE", "OPTIONS")
                                .allowedHeaders("*")
                                .maxAge(3600);
                    }
                }
            };
        }
    }

    /** {@code pontus.bucket}, checked by core's rule. */
    private static String bucket(PontusProperties properties) {
        if (properties.getBucket() == null || properties.getBucket().isBlank()) {
            throw Settings.invalid(
                    "pontus.bucket",
                    properties.getBucket(),
                    "It is required: set it to the S3 bucket"
                            + " browsers upload to, e.g. pontus.bucket=my-uploads in application.properties or"
                            + " PONTUS_BUCKET=my-uploads in the environment.");
        }
        return Settings.apply(
                "pontus.bucket",
                properties.getBucket(),
                "Set it to the name of an existing S3 bucket.",
                () -> S3Names.requireBucket(properties.getBucket()));
    }

    /** {@code pontus.region}, else the app's region provider (Spring Cloud AWS's), else the AWS default chain. */
    static Region region(PontusProperties properties, ObjectProvider<AwsRegionProvider> regions) {
        if (properties.getRegion() != null && !properties.getRegion().isBlank()) {
            return Region.of(properties.getRegion());
        }
        try {
            return regions.getIfAvailable(DefaultAwsRegionProviderChain::new).getRegion();
        } catch (SdkClientException e) {
            if (properties.getEndpoint() != null) {
                return Region.US_EAST_1; // S3-compatible stores rarely care; SigV4 needs one
            }
            throw Settings.invalid(
                    "pontus.region",
                    properties.getRegion(),
                    "No AWS region was found: set it to the"
                            + " bucket's region, such as eu-west-1, or AWS_REGION in the environment.");
        }
    }
}
