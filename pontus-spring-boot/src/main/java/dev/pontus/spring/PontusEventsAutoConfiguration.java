package dev.pontus.spring;

import dev.pontus.events.IssuedKeys;
import dev.pontus.events.UploadEventHandler;
import dev.pontus.validate.UploadPromoter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;

/**
 * Validation from S3 events: with {@code pontus.events.queue-url} set, every instance consumes that SQS queue and
 * validates and promotes each upload S3 reports, once, publishing the same {@link UploadEvents} as the endpoints.
 * Uses the AWS SDK's {@link SqsClient} (an app's own bean if it has one; else one for
 * {@code pontus.events.endpoint}, with the store's credentials and region). Keys this server did not issue are never
 * promoted: {@link UploadKeys} checks each key's MAC against the uploader its metadata carries.
 */
@AutoConfiguration(after = PontusAutoConfiguration.class)
@ConditionalOnClass({SqsClient.class, UploadEventHandler.class})
@ConditionalOnProperty(prefix = "pontus.events", name = "queue-url")
@EnableConfigurationProperties(PontusEventsProperties.class)
public class PontusEventsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    SqsClient pontusSqsClient(
            StoreConnection connection,
            PontusEventsProperties properties,
            ObjectProvider<PontusCustomizer<SqsClientBuilder>> customizers) {
        // the store's credentials and region (pontus.*), SQS's own endpoint
        SqsClientBuilder builder = SqsClient.builder()
                .credentialsProvider(connection.credentials())
                .region(connection.region());
        if (properties.getEndpoint() != null) {
            builder.endpointOverride(properties.getEndpoint());
        }
        customizers.orderedStream().forEach(c -> c.customize(builder));
        return builder.build();
    }

    @Bean
    @ConditionalOnMissingBean
    UploadEventHandler pontusUploadEventHandler(UploadPromoter promoter, UploadKeys keys) {
        IssuedKeys issued = keys;
        return Settings.apply(
                "pontus.unvalidated-prefix",
                promoter.unvalidatedPrefix(),
                "Events tell uploads from promoted files by it: set it, such as 'unvalidated/'.",
                () -> UploadEventHandler.builder()
                        .promoter(promoter)
                        .issuedKeys(issued)
                        .build());
    }

    @Bean
    @ConditionalOnMissingBean
    UploadValidation pontusUploadValidation(
            UploadPromoter promoter,
            S3Client s3,
            ObjectProvider<UploadMetrics> metrics,
            ApplicationEventPublisher events) {
        return new UploadValidation(promoter, s3.utilities(), metrics.getIfAvailable(() -> UploadMetrics.NONE), events);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "pontus.events", name = "enabled", havingValue = "true", matchIfMissing = true)
    UploadEventConsumer pontusUploadEventConsumer(
            SqsClient sqs,
            PontusEventsProperties properties,
            UploadEventHandler handler,
            UploadValidation pontusUploadValidation,
            ObjectProvider<UploadEventConsumer.EventMetrics> metrics) {
        check(properties);
        return new UploadEventConsumer(
                sqs,
                properties,
                handler,
                pontusUploadValidation,
                metrics.getIfAvailable(() -> UploadEventConsumer.EventMetrics.NONE),
                Clock.systemUTC());
    }

    /** Refuses values SQS would refuse, at start-up, with the fix. */
    static void check(PontusEventsProperties p) {
        if (p.getQueueUrl().isBlank() || !p.getQueueUrl().matches("https?://\\S+")) {
            throw Settings.invalid(
                    "pontus.events.queue-url",
                    p.getQueueUrl(),
                    "Set it to the queue's URL, such as"
                            + " https://sqs.eu-west-1.amazonaws.com/123456789012/uploads (aws sqs get-queue-url).");
        }
        if (p.getConcurrency() < 1 || p.getConcurrency() > 1000) {
            throw Settings.invalid(
                    "pontus.events.concurrency", p.getConcurrency(), "Set a number of messages from 1 to 1000.");
        }
        between("pontus.events.wait-time", p.getWaitTime(), Duration.ZERO, Duration.ofSeconds(20));
        between(
                "pontus.events.visibility-timeout",
                p.getVisibilityTimeout(),
                Duration.ofSeconds(1),
                Duration.ofHours(12));
        between("pontus.events.shutdown-timeout", p.getShutdownTimeout(), Duration.ZERO, Duration.ofHours(1));
    }

    private static void between(String property, Duration value, Duration min, Duration max) {
        if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0 || value.toMillis() % 1000 != 0) {
            throw Settings.invalid(
                    property,
                    value,
                    "Set whole seconds from " + min.toSeconds() + "s to " + max.toSeconds() + "s, as SQS takes.");
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    static class EventMetricsConfiguration {
        @Bean
        @ConditionalOnMissingBean
        UploadEventConsumer.EventMetrics pontusEventMetrics(ObjectProvider<MeterRegistry> registry) {
            return new UploadEventConsumer.EventMetrics() {
                @Override
                public void count(String outcome) {
                    registry.ifAvailable(
                            r -> r.counter("pontus.events", "outcome", outcome).increment());
                }

                @Override
                public void age(Duration age) {
                    registry.ifAvailable(r -> Timer.builder("pontus.events.age")
                            .description("From S3 creating an upload to its event being handled")
                            .register(r)
                            .record(age));
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    static class EventHealthConfiguration {
        /** Up while the consumer runs and its last receive worked; down with the error otherwise. */
        @Bean
        @ConditionalOnMissingBean(name = "pontusEventsHealthIndicator")
        HealthIndicator pontusEventsHealthIndicator(ObjectProvider<UploadEventConsumer> consumer) {
            return () -> {
                UploadEventConsumer running = consumer.getIfAvailable();
                if (running == null) {
                    return Health.unknown().withDetail("consumer", "disabled").build();
                }
                UploadEventConsumer.State state = running.state();
                Health.Builder health = state.running() && state.lastError() == null ? Health.up() : Health.down();
                health.withDetail("inFlight", state.inFlight());
                if (state.lastReceive() != null) {
                    health.withDetail("lastReceive", state.lastReceive().toString());
                }
                if (state.lastError() != null) {
                    health.withDetail("error", state.lastError());
                }
                return health.build();
            };
        }
    }
}
