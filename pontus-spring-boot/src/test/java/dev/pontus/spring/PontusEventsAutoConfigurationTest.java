package dev.pontus.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pontus.events.UploadEventHandler;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.sqs.SqsClient;

class PontusEventsAutoConfigurationTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(PontusAutoConfiguration.class, PontusEventsAutoConfiguration.class))
            .withBean(
                    AwsCredentialsProvider.class,
                    () -> StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret")))
            .withPropertyValues(
                    "pontus.bucket=photos",
                    "pontus.region=eu-west-1",
                    "pontus.fail-fast=false", // no store to check at start-up here
                    // nothing listens there: the consumer's receives fail fast, and it keeps trying
                    "pontus.events.endpoint=http://127.0.0.1:9",
                    "pontus.events.wait-time=0s");

    @Test
    void withoutAQueueUrlNothingConsumes() {
        runner.run(context -> assertThat(context)
                .hasNotFailed()
                .doesNotHaveBean(UploadEventConsumer.class)
                .doesNotHaveBean(SqsClient.class));
    }

    @Test
    void aQueueUrlStartsAConsumerWithHandlerClientValidationAndHealth() {
        runner.withPropertyValues("pontus.events.queue-url=http://127.0.0.1:9/123456789012/uploads")
                .run(context -> {
                    assertThat(context)
                            .hasNotFailed()
                            .hasSingleBean(UploadEventConsumer.class)
                            .hasSingleBean(UploadEventHandler.class)
                            .hasSingleBean(SqsClient.class)
                            .hasSingleBean(UploadValidation.class)
                            .hasBean("pontusEventsHealthIndicator");
                    UploadEventConsumer consumer = context.getBean(UploadEventConsumer.class);
                    assertThat(consumer.isRunning()).isTrue();
                    HealthIndicator health = context.getBean("pontusEventsHealthIndicator", HealthIndicator.class);
                    long until = System.currentTimeMillis() + 10_000;
                    while (consumer.state().lastError() == null && System.currentTimeMillis() < until) {
                        Thread.sleep(50);
                    }
                    assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
                    assertThat(health.health().getDetails()).containsKey("error");
                });
    }

    @Test
    void enabledFalseKeepsTheHandlerButConsumesNothing() {
        runner.withPropertyValues(
                        "pontus.events.queue-url=http://127.0.0.1:9/123456789012/uploads",
                        "pontus.events.enabled=false")
                .run(context -> assertThat(context)
                        .hasNotFailed()
                        .hasSingleBean(UploadEventHandler.class)
                        .doesNotHaveBean(UploadEventConsumer.class));
    }

    @Test
    void badValuesFailStartUpNamingThePropertyAndTheFix() {
        runner.withPropertyValues("pontus.events.queue-url=uploads")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                        .hasMessageContaining("pontus.events.queue-url")
                        .hasMessageContaining("get-queue-url"));
        runner.withPropertyValues(
                        "pontus.events.queue-url=http://127.0.0.1:9/1/q", "pontus.events.visibility-timeout=500ms")
                .run(context -> assertThat(context)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("pontus.events.visibility-timeout")
                        .hasMessageContaining("whole seconds"));
        runner.withPropertyValues("pontus.events.queue-url=http://127.0.0.1:9/1/q", "pontus.events.concurrency=0")
                .run(context ->
                        assertThat(context).getFailure().rootCause().hasMessageContaining("pontus.events.concurrency"));
    }
}
