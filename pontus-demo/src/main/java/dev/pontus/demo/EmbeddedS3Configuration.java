package dev.pontus.demo;

import dev.pontus.sign.PostSigner;
import dev.pontus.spring.PontusProperties;
import dev.pontus.test.LocalS3;
import dev.pontus.test.LocalSqs;
import dev.pontus.test.S3EventFeed;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Embeds S3Proxy (filesystem store, so files survive a restart) unless the app is pointed at a real store:
 * setting {@code pontus.endpoint} or {@code pontus.region}, or {@code demo.embedded-s3=false}, embeds nothing.
 * Its beans replace the starter's S3 client, presigner, credentials and signer, which back off. With
 * {@code demo.events=true} it also runs a local SQS fed with S3's events, so uploads are validated without the page.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedS3Configuration.Wanted.class)
class EmbeddedS3Configuration {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedS3Configuration.class);

    static class Wanted implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return embedded(context.getEnvironment());
        }

        static boolean embedded(Environment env) {
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

    /**
     * With {@code demo.events=true}: the local SQS (ElasticMQ) on the port {@link DemoEventsEnvironment} chose, its
     * queue, and the feed that sends S3's events for what lands under the unvalidated prefix. The app's S3 client and
     * the browser's form go through the feed, as they would go to S3.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "demo.events", havingValue = "true")
    LocalSqs embeddedSqs(@Value("${" + DemoEventsEnvironment.PORT_PROPERTY + ":0}") int port) {
        if (port == 0) {
            throw new InvalidConfigurationPropertyValueException(
                    "pontus.events.queue-url",
                    "(set)",
                    "with the embedded S3 the demo runs its own queue; to use another queue point the demo at"
                            + " another store too (--demo.embedded-s3=false --pontus.endpoint=...)");
        }
        LocalSqs sqs = LocalSqs.start(port);
        sqs.createQueue(DemoEventsEnvironment.QUEUE, Map.of());
        log.info("Embedded SQS (ElasticMQ) at {}, queue {}", sqs.endpoint(), sqs.queueUrl(DemoEventsEnvironment.QUEUE));
        return sqs;
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "demo.events", havingValue = "true")
    S3EventFeed embeddedS3Events(LocalS3 s3, LocalSqs sqs, PontusProperties pontus) {
        S3EventFeed feed = S3EventFeed.builder(s3)
                .queue(sqs.client(), sqs.queueUrl(DemoEventsEnvironment.QUEUE))
                .prefix(pontus.getUnvalidatedPrefix())
                .start();
        log.info("S3 events for uploads under {} from {}", pontus.getUnvalidatedPrefix(), feed.endpoint());
        return feed;
    }

    /** The store's address for the app and the browser: the event feed's when there is one. */
    private static URI endpoint(LocalS3 s3, ObjectProvider<S3EventFeed> feed) {
        S3EventFeed events = feed.getIfAvailable();
        return events == null ? s3.endpoint() : events.endpoint();
    }

    /** The embedded store's region, for the clients the starter builds (such as the event consumer's SQS client). */
    @Bean
    AwsRegionProvider embeddedS3Region(LocalS3 s3) {
        return s3::region;
    }

    @Bean
    AwsCredentialsProvider embeddedS3Credentials(LocalS3 s3) {
        return s3.credentialsProvider();
    }

    @Bean
    S3Client embeddedS3Client(LocalS3 s3, ObjectProvider<S3EventFeed> feed) {
        return s3.clientBuilder().endpointOverride(endpoint(s3, feed)).build();
    }

    @Bean(destroyMethod = "close")
    S3Presigner embeddedS3Presigner(LocalS3 s3, ObjectProvider<S3EventFeed> feed) {
        return s3.presignerBuilder().endpointOverride(endpoint(s3, feed)).build();
    }

    @Bean
    PostSigner embeddedS3Signer(LocalS3 s3, PontusProperties pontus, ObjectProvider<S3EventFeed> feed) {
        return PostSigner.builder()
                .credentialsProvider(s3.credentialsProvider())
                .region(s3.region())
                .endpoint(endpoint(s3, feed))
                .unvalidatedPrefix(pontus.getUnvalidatedPrefix())
                .build();
    }
}
