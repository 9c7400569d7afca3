package dev.pontus.spring;

import dev.pontus.multipart.MultipartUploads;
import dev.pontus.sign.PostSigner;
import dev.pontus.validate.UploadValidator;
import dev.pontus.validate.Validator;
import dev.pontus.validate.Validators;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
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
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Pontus for Spring Boot: a {@link PostSigner}, an {@link UploadValidator} and the upload endpoints from
 * {@code pontus.*} properties. Every bean backs off when the app defines its own; an existing {@link S3Client} or
 * {@link AwsCredentialsProvider} is reused, and {@link Validator} beans are added to the rules in order.
 */
@AutoConfiguration
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
    S3Client pontusS3Client(PontusProperties properties, AwsCredentialsProvider credentials) {
        S3ClientBuilder builder = S3Client.builder()
                .credentialsProvider(credentials)
                .region(region(properties))
                .forcePathStyle(properties.isPathStyleAccess());
        if (properties.getEndpoint() != null) {
            builder.endpointOverride(properties.getEndpoint());
        }
        return builder.build();
    }

    @Bean
    @ConditionalOnMissingBean
    PostSigner pontusPostSigner(PontusProperties properties, AwsCredentialsProvider credentials) {
        bucket(properties);
        PostSigner.Builder builder = PostSigner.builder()
                .credentialsProvider(credentials)
                .region(region(properties))
                .pathStyle(properties.isPathStyleAccess());
        if (properties.getEndpoint() != null) {
            URI endpoint = properties.getEndpoint();
            if (endpoint.getScheme() == null || !endpoint.getScheme().matches("https?") || endpoint.getHost() == null) {
                throw new PontusConfigurationException("pontus.endpoint", "'" + endpoint + "' is not an http(s) URL",
                        "Set pontus.endpoint to the store's base URL, such as http://127.0.0.1:9000, or remove it for AWS.");
            }
            builder.endpoint(endpoint);
        }
        try {
            builder.unvalidatedPrefix(properties.getUnvalidatedPrefix());
        } catch (IllegalArgumentException e) {
            throw new PontusConfigurationException("pontus.unvalidated-prefix", e.getMessage(),
                    "Set pontus.unvalidated-prefix to a key prefix such as 'unvalidated/'.");
        }
        if (properties.getUnvalidatedPrefix().isEmpty()) {
            throw new PontusConfigurationException("pontus.unvalidated-prefix", "is empty",
                    "Set pontus.unvalidated-prefix, such as 'unvalidated/': uploads must land apart from validated files.");
        }
        Duration expiry = properties.getPolicyExpiry();
        if (expiry == null || expiry.isNegative() || expiry.isZero() || expiry.compareTo(Duration.ofDays(7)) > 0) {
            throw new PontusConfigurationException("pontus.policy-expiry", "is " + expiry,
                    "Set pontus.policy-expiry to a duration between 1s and 7d, such as 10m.");
        }
        return builder.build();
    }

    @Bean
    @ConditionalOnMissingBean
    UploadValidator pontusUploadValidator(PontusProperties properties, S3Client s3,
            ObjectProvider<Validator> validators) {
        long min = properties.getMinFileSize().toBytes();
        long max = properties.getMaxFileSize().toBytes();
        if (min < 0 || min > max) {
            throw new PontusConfigurationException("pontus.min-file-size", "is " + properties.getMinFileSize()
                    + " but pontus.max-file-size is " + properties.getMaxFileSize(),
                    "Set pontus.min-file-size at most pontus.max-file-size, such as 1B and 20MB.");
        }
        List<Validator> rules = new ArrayList<>();
        rules.add(Validators.fileSize(min, max));
        if (!properties.getAllowedContentTypes().isEmpty()) {
            try {
                rules.add(Validators.allowTypes(properties.getAllowedContentTypes().toArray(String[]::new)));
            } catch (IllegalArgumentException e) {
                throw new PontusConfigurationException("pontus.allowed-content-types", e.getMessage(),
                        "List MIME types or wildcards, such as image/*,application/pdf.");
            }
        }
        rules.add(Validators.noEmbeddedMarkup());
        rules.add(Validators.imageDimensions().maxPixels(properties.getMaxImagePixels()).build());
        validators.orderedStream().forEach(rules::add);
        UploadValidator.Builder builder = UploadValidator.builder()
                .s3(s3)
                .bucket(bucket(properties))
                .callTimeout(positive("pontus.s3-call-timeout", properties.getS3CallTimeout()))
                .operationTimeout(positive("pontus.validation-timeout", properties.getValidationTimeout()))
                .unvalidatedPrefix(properties.getUnvalidatedPrefix())
                .validatedPrefix(properties.getValidatedPrefix())
                .deleteInvalid(properties.isDeleteInvalid())
                .allowActiveContent(properties.isAllowActiveContent())
                .correctContentType(properties.isCorrectContentType())
                .fullScan(properties.getScan() == PontusProperties.Scan.FULL ? properties.getFullScanMaxSize().toBytes()
                        : 0)
                .multipartCopy(Math.min(properties.getMultipartCopyThreshold().toBytes(),
                        UploadValidator.DEFAULT_MULTIPART_COPY_THRESHOLD), UploadValidator.DEFAULT_MULTIPART_COPY_PART_SIZE)
                .validators(rules);
        if (properties.getAcl() != null && !properties.getAcl().isBlank()) {
            ObjectCannedACL acl = ObjectCannedACL.fromValue(properties.getAcl());
            if (acl == ObjectCannedACL.UNKNOWN_TO_SDK_VERSION) {
                throw new PontusConfigurationException("pontus.acl", "'" + properties.getAcl()
                        + "' is not a canned ACL", "Set pontus.acl to one of " + ObjectCannedACL.knownValues()
                        + ", or remove it to keep the bucket's setting.");
            }
            builder.acl(acl);
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new PontusConfigurationException("pontus.validated-prefix", e.getMessage(),
                    "Set pontus.validated-prefix outside pontus.unvalidated-prefix.");
        }
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
        byte[] bytes = secret.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (bytes.length < 32) {
            throw new PontusConfigurationException("pontus.key-secret", "is shorter than 32 bytes",
                    "Set pontus.key-secret to a random string of at least 32 characters, e.g. from 'openssl rand -hex 32'.");
        }
        return new UploadKeys(bytes, properties.getUnvalidatedPrefix());
    }

    @Bean
    @ConditionalOnMissingBean
    S3Presigner pontusS3Presigner(PontusProperties properties, AwsCredentialsProvider credentials) {
        S3Presigner.Builder builder = S3Presigner.builder()
                .credentialsProvider(credentials)
                .region(region(properties))
                .serviceConfiguration(S3Configuration.builder()
                        .pathStyleAccessEnabled(properties.isPathStyleAccess()).build());
        if (properties.getEndpoint() != null) {
            builder.endpointOverride(properties.getEndpoint());
        }
        return builder.build();
    }

    @Bean
    @ConditionalOnMissingBean
    MultipartUploads pontusMultipartUploads(PontusProperties properties, S3Client s3, S3Presigner presigner) {
        return MultipartUploads.builder()
                .s3(s3)
                .presigner(presigner)
                .bucket(bucket(properties))
                .fileSize(properties.getMinFileSize().toBytes(), properties.getMaxFileSize().toBytes())
                .partUrlExpiry(properties.getPolicyExpiry())
                .callTimeout(positive("pontus.s3-call-timeout", properties.getS3CallTimeout()))
                .build();
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
    static class MetricsConfiguration {
        @Bean
        @ConditionalOnMissingBean
        UploadMetrics pontusUploadMetrics(ObjectProvider<io.micrometer.core.instrument.MeterRegistry> registry) {
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
        UploadValidation pontusUploadValidation(UploadValidator validator, S3Client s3,
                ObjectProvider<UploadMetrics> metrics, ApplicationEventPublisher events) {
            return new UploadValidation(validator, s3.utilities(), metrics.getIfAvailable(() -> UploadMetrics.NONE),
                    events);
        }

        @Bean
        @ConditionalOnMissingBean
        PontusUploadController pontusUploadController(PontusProperties properties, PostSigner signer,
                UploadKeys keys, UploadValidation pontusUploadValidation, ObjectProvider<UploadMetrics> metrics) {
            return new PontusUploadController(properties, signer, keys, pontusUploadValidation,
                    metrics.getIfAvailable(() -> UploadMetrics.NONE), Clock.systemUTC());
        }

        @Bean
        @ConditionalOnMissingBean
        PontusMultipartController pontusMultipartController(PontusProperties properties, MultipartUploads uploads,
                UploadKeys keys, UploadValidation pontusUploadValidation, ObjectProvider<UploadMetrics> metrics) {
            return new PontusMultipartController(properties, uploads, keys, pontusUploadValidation,
                    metrics.getIfAvailable(() -> UploadMetrics.NONE), Clock.systemUTC());
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

    private static Duration positive(String property, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new PontusConfigurationException(property, "is " + value,
                    "Set " + property + " to a positive duration, such as 10s.");
        }
        return value;
    }

    static String bucket(PontusProperties properties) {
        String bucket = properties.getBucket();
        if (bucket == null || bucket.isBlank()) {
            throw new PontusConfigurationException("pontus.bucket", "is not set",
                    "Set pontus.bucket to the S3 bucket browsers upload to, e.g. pontus.bucket=my-uploads in"
                            + " application.properties or PONTUS_BUCKET=my-uploads in the environment.");
        }
        if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw new PontusConfigurationException("pontus.bucket", "'" + bucket + "' is not a valid bucket name",
                    "Set pontus.bucket to 3-63 lower-case letters, digits, dots and hyphens.");
        }
        return bucket;
    }

    static Region region(PontusProperties properties) {
        if (properties.getRegion() != null && !properties.getRegion().isBlank()) {
            return Region.of(properties.getRegion());
        }
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (SdkClientException e) {
            if (properties.getEndpoint() != null) {
                return Region.US_EAST_1; // S3-compatible stores rarely care; SigV4 needs one
            }
            throw new PontusConfigurationException("pontus.region", "no AWS region was found",
                    "Set pontus.region to the bucket's region, such as eu-west-1, or AWS_REGION in the environment.");
        }
    }
}
