package dev.pontus.demo;

import dev.pontus.sign.PostSigner;
import dev.pontus.spring.PontusProperties;
import dev.pontus.test.LocalS3;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Embeds S3Proxy (filesystem store, so files survive a restart) unless the app is pointed at a real store:
 * setting {@code pontus.endpoint} or {@code pontus.region}, or {@code demo.embedded-s3=false}, embeds nothing.
 * Its beans replace the starter's S3 client, presigner, credentials and signer, which back off.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedS3Configuration.Wanted.class)
class EmbeddedS3Configuration {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedS3Configuration.class);

    static class Wanted implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            Environment env = context.getEnvironment();
            return env.getProperty("demo.embedded-s3", Boolean.class, true)
                    && !env.containsProperty("pontus.endpoint")
                    && !env.containsProperty("pontus.region");
        }
    }

    @Bean(destroyMethod = "close")
    LocalS3 embeddedS3(
            PontusProperties pontus,
            @Value("${demo.data-dir:pontus-demo-data}") Path dataDir,
            @Value("${server.port:8080}") int port)
            throws IOException {
        Files.createDirectories(dataDir);
        LocalS3.Builder builder = LocalS3.builder()
                .dataDirectory(dataDir)
                .credentials("pontus-demo", "pontus-demo-secret")
                .corsOrigin("http://localhost:" + port)
                .corsOrigin("http://127.0.0.1:" + port);
        pontus.getWeb().getAllowedOrigins().forEach(builder::corsOrigin); // front ends on other origins upload too
        LocalS3 s3 = builder.build().start();
        s3.createBucket(pontus.getBucket());
        log.info("Embedded S3 (S3Proxy) at {} storing files under {}", s3.endpoint(), dataDir.toAbsolutePath());
        return s3;
    }

    @Bean
    AwsCredentialsProvider embeddedS3Credentials(LocalS3 s3) {
        return s3.credentialsProvider();
    }

    @Bean
    S3Client embeddedS3Client(LocalS3 s3) {
        return s3.clientBuilder().build();
    }

    @Bean(destroyMethod = "close")
    S3Presigner embeddedS3Presigner(LocalS3 s3) {
        return s3.presignerBuilder().build();
    }

    @Bean
    PostSigner embeddedS3Signer(LocalS3 s3, PontusProperties pontus) {
        return PostSigner.builder()
                .credentialsProvider(s3.credentialsProvider())
                .region(s3.region())
                .endpoint(s3.endpoint())
                .unvalidatedPrefix(pontus.getUnvalidatedPrefix())
                .build();
    }
}
