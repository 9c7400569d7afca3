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
import java.time.Duration;
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
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Pontus for Spring Boot: a {@link PostSigner}, an {@link UploadPromoter}, {@link MultipartUploads} and the upload
 * endpoints from {@code pontus.*} properties ({@link PontusRules} maps them). The clients, the signer, the promoter,
 * multipart uploads, the clock, the metrics and the endpoints back off when the app defines its own; this runs after
 * Spring Cloud AWS's auto-configuration, so its {@link S3Client}, {@link S3Presigner}, {@link AwsCredentialsProvider}
 * and region are used. The store's connection (credentials, region, endpoint, path style; {@link StoreConnection}),
 * the start-up check of the store, the error handler and CORS are always Pontus's own.
 * {@link PontusCustomizer} beans change one setting without replacing a bean, and {@link Validator} beans run after
 * the built-in rules, in {@code @Order}. A value the core builders refuse fails start-up with Boot's report of the
 * property, its value and where it came from; a store that cannot be used fails it with {@link StoreFailureAnalyzer}'s.
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

    /** The store's credentials, region, endpoint and path style, for every client builder below. */
    @Bean
    StoreConnection pontusStoreConnection(
            PontusProperties properties,
            ObjectProvider<AwsCredentialsProvider> credentials,
            ObjectProvider<AwsRegionProvider> regions) {
        return StoreConnection.of(properties, credentials, regions);
    }

    /** The clock that signatures and expiries are computed with; tests pin it with a bean of their own. */
    @Bean
    @ConditionalOnMissingBean
    Clock pontusClock() {
        return Clock.systemUTC();
    }

    @Bean
    @ConditionalOnMissingBean
    S3Client pontusS3Client(StoreConnection connection, ObjectProvider<PontusCustomizer<S3ClientBuilder>> customizers) {
        S3ClientBuilder builder = connection.configure(S3Client.builder());
        customizers.orderedStream().forEach(c -> c.customize(builder));
        return builder.build();
    }

    @Bean
    @ConditionalOnMissingBean
    S3Presigner pontusS3Presigner(
            StoreConnection connection, ObjectProvider<PontusCustomizer<S3Presigner.Builder>> customizers) {
        S3Presigner.Builder builder = connection.configure(S3Presigner.builder());
        customizers.orderedStream().forEach(c -> c.customize(builder));
        return builder.build();
    }

    @Bean
    @ConditionalOnMissingBean
    PostSigner pontusPostSigner(
            PontusProperties properties,
            StoreConnection connection,
            Clock clock,
            ObjectProvider<PontusCustomizer<PostSigner.Builder>> customizers) {
        PostSigner.Builder builder = connection.configure(PostSigner.builder()).clock(clock);
        String prefix = properties.getUnvalidatedPrefix();
        if (prefix == null || prefix.isEmpty()) {
            throw Settings.invalid(
                    "pontus.unvalidated-prefix",
                    prefix,
                    "Uploads must land apart from validated files: set it to a key prefix such as 'unvalidated/'.");
        }
        Settings.apply(
                "pontus.unvalidated-prefix",
                prefix,
                "Set it to a key prefix such as 'unvalidated/'.",
                () -> builder.unvalidatedPrefix(prefix));
        customizers.orderedStream().forEach(c -> c.customize(builder));
        return builder.build();
    }

    /** Start-up fails when the store cannot be used, unless {@code pontus.fail-fast=false}. */
    @Bean
    @ConditionalOnProperty(prefix = "pontus", name = "fail-fast", havingValue = "true", matchIfMissing = true)
    StoreCheck pontusStoreCheck(PontusProperties properties, S3Client s3) {
        return new StoreCheck(s3, bucket(properties), properties.getS3CallTimeout());
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
            ObjectProvider<UploadMetrics> metrics,
            ObjectProvider<PontusCustomizer<UploadPromoter.Builder>> customizers) {
        UploadPromoter.Builder builder =
                rules.applyTo(UploadPromoter.builder().s3(s3).bucket(bucket(properties)));
        builder.validators(validators.orderedStream().toList()); // after the built-in ones, by @Order
        builder.finalNames(UploadKeys::finalName); // promoted keys carry no MAC
        builder.cleanupWarnings(warning -> metrics.getIfAvailable(() -> UploadMetrics.NONE)
                .record(UploadMetrics.Operation.VALIDATE, "warning")); // a delete after the answer failed
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
                        properties.getMaxFileSize().toBytes())
                .bucket(bucket(properties));
        PropertyMapper map = PropertyMapper.get();
        map.from(properties::getPolicyExpiry)
                .to(expiry -> Settings.apply(
                        "pontus.policy-expiry",
                        expiry,
                        "Set a duration between 1s and 7d, such as 10m.",
                        () -> builder.partUrlExpiry(expiry)));
        map.from(properties::getS3CallTimeout)
                .to(timeout -> Settings.apply(
                        "pontus.s3-call-timeout",
                        timeout,
                        "Set a positive duration, such as 10s.",
                        () -> builder.callTimeout(timeout)));
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
        KeySecrets.requireUnguessable(secret);
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

    /** {@code pontus.web.request-deadline}: Tomcat's connector cuts clients that send their request too slowly. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(
            name = {
                "org.apache.coyote.http11.Http11NioProtocol",
                "org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory"
            })
    @ConditionalOnProperty(prefix = "pontus.web", name = "request-deadline")
    static class RequestDeadlineConfiguration {
        @Bean
        WebServerFactoryCustomizer<TomcatServletWebServerFactory> pontusRequestDeadline(PontusProperties properties) {
            Duration deadline = Settings.apply(
                    "pontus.web.request-deadline",
                    properties.getWeb().getRequestDeadline(),
                    "Set a positive duration, such as 10s.",
                    () -> SlowClientProtocol.checkDeadline(properties.getWeb().getRequestDeadline()));
            return factory -> {
                factory.setProtocol(SlowClientProtocol.class.getName());
                factory.addConnectorCustomizers(connector ->
                        ((SlowClientProtocol) connector.getProtocolHandler()).setRequestDeadline(deadline));
            };
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
                ObjectProvider<UploadMetrics> metrics,
                Clock clock) {
            return new PontusUploadController(
                    properties,
                    signer,
                    keys,
                    pontusUploadValidation,
                    metrics.getIfAvailable(() -> UploadMetrics.NONE),
                    clock);
        }

        @Bean
        @ConditionalOnMissingBean
        PontusMultipartController pontusMultipartController(
                PontusProperties properties,
                MultipartUploads uploads,
                UploadKeys keys,
                UploadValidation pontusUploadValidation,
                ObjectProvider<UploadMetrics> metrics,
                Clock clock) {
            return new PontusMultipartController(
                    properties,
                    uploads,
                    keys,
                    pontusUploadValidation,
                    metrics.getIfAvailable(() -> UploadMetrics.NONE),
                    clock);
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
}
