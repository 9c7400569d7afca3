package dev.pontus.spring;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Validation from S3 events ({@code pontus.events.*}): S3 (directly, through SNS, or through EventBridge) sends
 * "object created" messages to an SQS queue, and every instance consumes it, validating and promoting each upload
 * once, without any client call.
 */
@ConfigurationProperties("pontus.events")
public class PontusEventsProperties {
    /** The SQS queue S3's events arrive in, such as https://sqs.eu-west-1.amazonaws.com/123456789012/uploads. */
    private String queueUrl;

    /** The SQS endpoint, for a store other than AWS (such as http://127.0.0.1:5000). Default: AWS's. */
    private URI endpoint;

    /** Whether to consume the queue; with a queue URL set, the default. */
    private boolean enabled = true;

    /** How many messages one instance handles at once. */
    private int concurrency = 4;

    /** How long one receive waits for messages (SQS long polling, 0 to 20 seconds). */
    private Duration waitTime = Duration.ofSeconds(20);

    /**
     * How long a received message stays hidden from other consumers; extended while its validation runs, so a
     * long validation is never handled twice at once. After a crash the message returns after this time.
     */
    private Duration visibilityTimeout = Duration.ofSeconds(30);

    /** How long shutdown waits for validations in flight; messages not started go back to the queue at once. */
    private Duration shutdownTimeout = Duration.ofSeconds(30);

    public String getQueueUrl() {
        return queueUrl;
    }

    public void setQueueUrl(String queueUrl) {
        this.queueUrl = queueUrl;
    }

    public URI getEndpoint() {
        return endpoint;
    }

    public void setEndpoint(URI endpoint) {
        this.endpoint = endpoint;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public int getConcurrency() {
        return concurrency;
    }

    public void setConcurrency(int concurrency) {
        this.concurrency = concurrency;
    }

    public Duration getWaitTime() {
        return waitTime;
    }

    public void setWaitTime(Duration waitTime) {
        this.waitTime = waitTime;
    }

    public Duration getVisibilityTimeout() {
        return visibilityTimeout;
    }

    public void setVisibilityTimeout(Duration visibilityTimeout) {
        this.visibilityTimeout = visibilityTimeout;
    }

    public Duration getShutdownTimeout() {
        return shutdownTimeout;
    }

    public void setShutdownTimeout(Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }
}
