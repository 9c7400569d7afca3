package dev.pontus.spring;

import dev.pontus.events.EventOutcome;
import dev.pontus.events.UploadEventHandler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * Consumes the queue S3's events arrive in: one poller long-polls SQS for as many messages as there are free
 * workers ({@code pontus.events.concurrency}), each worker hands one message to the {@link UploadEventHandler},
 * keeps the message hidden while that runs (visibility extended every third of the timeout), and deletes it only
 * when every event in it was handled; otherwise the message comes back after its visibility timeout, and the
 * queue's redrive policy moves it to the dead-letter queue after {@code maxReceiveCount} tries. On shutdown no new
 * message is taken, received ones not yet started go back to the queue at once, and validations in flight finish
 * (up to {@code pontus.events.shutdown-timeout}).
 */
final class UploadEventConsumer implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(UploadEventConsumer.class);

    private final SqsClient sqs;
    private final PontusEventsProperties properties;
    private final UploadEventHandler handler;
    private final UploadValidation validation;
    private final EventMetrics metrics;
    private final Clock clock;
    private final Semaphore free;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean running;
    private volatile Instant lastReceive;
    private volatile String lastError;
    private Thread poller;
    private ExecutorService workers;
    private ScheduledExecutorService extender;

    UploadEventConsumer(
            SqsClient sqs,
            PontusEventsProperties properties,
            UploadEventHandler handler,
            UploadValidation validation,
            EventMetrics metrics,
            Clock clock) {
        this.sqs = sqs;
        this.properties = properties;
        this.handler = handler;
        this.validation = validation;
        this.metrics = metrics;
        this.clock = clock;
        this.free = new Semaphore(properties.getConcurrency());
    }

    /** What the health indicator reports. */
    record State(boolean running, int inFlight, Instant lastReceive, String lastError) {}

    State state() {
        return new State(running, inFlight.get(), lastReceive, lastError);
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        workers = Executors.newFixedThreadPool(properties.getConcurrency(), daemon("pontus-events-worker"));
        extender = Executors.newSingleThreadScheduledExecutor(daemon("pontus-events-visibility"));
        poller = daemon("pontus-events-poller").newThread(this::poll);
        poller.start();
    }

    @Override
    public void stop() {
        Thread polling;
        synchronized (this) {
            if (!running) {
                return;
            }
            running = false;
            polling = poller;
        }
        workers.shutdown(); // the ones running finish; the poller returns what it receives from now on
        try {
            boolean finished =
                    workers.awaitTermination(properties.getShutdownTimeout().toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                log.warn(
                        "{} validations were still running after {}; their messages return to the queue after"
                                + " its visibility timeout",
                        inFlight.get(),
                        properties.getShutdownTimeout());
                workers.shutdownNow();
            }
            polling.join(properties.getWaitTime().toMillis() + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            extender.shutdownNow();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops before the web server and the S3 client go, after the beans it uses are ready. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 2048;
    }

    private void poll() {
        while (running) {
            try {
                free.acquire(); // one free worker at least
                int slots = 1 + free.drainPermits();
                List<Message> messages = List.of();
                try {
                    messages = receive(Math.min(10, slots));
                } finally {
                    free.release(slots - messages.size());
                }
                messages.forEach(this::dispatch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (SdkException e) {
                lastError = e.getClass().getSimpleName() + ": " + firstLine(e.getMessage());
                log.warn("Receiving from the upload event queue failed; retrying in 1 s: {}", lastError);
                pause();
            }
        }
    }

    private List<Message> receive(int max) {
        List<Message> messages = sqs.receiveMessage(b -> b.queueUrl(properties.getQueueUrl())
                        .maxNumberOfMessages(max)
                        .waitTimeSeconds((int) properties.getWaitTime().toSeconds())
                        .visibilityTimeout(
                                (int) properties.getVisibilityTimeout().toSeconds())
                        .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
                .messages();
        lastReceive = clock.instant();
        lastError = null;
        return messages;
    }

    /** Hands a message to a worker; after shutdown began, gives it back to the queue instead. */
    private void dispatch(Message message) {
        metrics.count("received");
        if (!running) {
            free.release();
            release(message);
            return;
        }
        inFlight.incrementAndGet();
        try {
            workers.execute(() -> process(message));
        } catch (RuntimeException e) { // rejected: shutdown began
            inFlight.decrementAndGet();
            free.release();
            release(message);
        }
    }

    private void process(Message message) {
        long every = Math.max(1, properties.getVisibilityTimeout().toMillis() / 3);
        ScheduledFuture<?> extension =
                extender.scheduleAtFixedRate(() -> extend(message), every, every, TimeUnit.MILLISECONDS);
        try {
            List<EventOutcome> outcomes = handler.handle(message.body(), !"1".equals(receives(message)));
            outcomes.forEach(outcome -> record(outcome, message));
            if (outcomes.stream().allMatch(EventOutcome::acknowledged)) {
                sqs.deleteMessage(b -> b.queueUrl(properties.getQueueUrl()).receiptHandle(message.receiptHandle()));
            }
        } catch (RuntimeException e) { // the message returns after its visibility timeout
            metrics.count("failed");
            log.warn("Handling message {} failed; it returns to the queue: {}", message.messageId(), e.toString());
        } finally {
            extension.cancel(false);
            inFlight.decrementAndGet();
            free.release();
        }
    }

    private void record(EventOutcome outcome, Message message) {
        if (outcome instanceof EventOutcome.Validated v) {
            validation.record(UploadMetrics.Operation.EVENT, v.key(), v.result(), v.owner());
            metrics.count("valid");
            age(v.eventTime());
        } else if (outcome instanceof EventOutcome.Rejected r) {
            validation.record(UploadMetrics.Operation.EVENT, r.key(), r.result(), r.owner());
            metrics.count("invalid");
            age(r.eventTime());
        } else if (outcome instanceof EventOutcome.Duplicate d) {
            metrics.count("duplicate");
            age(d.eventTime());
        } else if (outcome instanceof EventOutcome.Skipped) {
            metrics.count("skipped");
        } else if (outcome instanceof EventOutcome.RetryLater retry) {
            metrics.count("failed");
            log.warn(
                    "Validating an upload of message {} (received {} times) failed; it returns to the queue: {}",
                    message.messageId(),
                    receives(message),
                    firstLine(retry.cause().getMessage()));
        } else if (outcome instanceof EventOutcome.Malformed malformed) {
            metrics.count("malformed");
            log.warn(
                    "Message {} (received {} times) is not an S3 event: {}; it is left for the dead-letter queue",
                    message.messageId(),
                    receives(message),
                    malformed.reason());
        }
    }

    private void age(Instant eventTime) {
        if (eventTime != null) {
            metrics.age(Duration.between(eventTime, clock.instant()));
        }
    }

    private void extend(Message message) {
        try {
            sqs.changeMessageVisibility(b -> b.queueUrl(properties.getQueueUrl())
                    .receiptHandle(message.receiptHandle())
                    .visibilityTimeout((int) properties.getVisibilityTimeout().toSeconds()));
        } catch (SdkException e) {
            log.warn("Extending the visibility of message {} failed: {}", message.messageId(), e.toString());
        }
    }

    /** Makes a message visible again at once, for another consumer. */
    private void release(Message message) {
        try {
            sqs.changeMessageVisibility(b -> b.queueUrl(properties.getQueueUrl())
                    .receiptHandle(message.receiptHandle())
                    .visibilityTimeout(0));
        } catch (SdkException e) { // it returns after its visibility timeout anyway
            log.debug("Returning message {} to the queue failed: {}", message.messageId(), e.toString());
        }
    }

    private static String receives(Message message) {
        return message.attributes().getOrDefault(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "?");
    }

    private void pause() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no message";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger number = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Counters {@code pontus.events} (by outcome) and the timer {@code pontus.events.age}. */
    interface EventMetrics {
        EventMetrics NONE = new EventMetrics() {
            @Override
            public void count(String outcome) {}

            @Override
            public void age(Duration age) {}
        };

        void count(String outcome);

        void age(Duration age);
    }
}
