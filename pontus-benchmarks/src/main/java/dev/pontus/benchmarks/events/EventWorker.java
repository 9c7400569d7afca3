package dev.pontus.benchmarks.events;

import dev.pontus.events.EventOutcome;
import dev.pontus.events.IssuedKeys;
import dev.pontus.events.UploadEventHandler;
import dev.pontus.validate.UploadPromoter;
import dev.pontus.validate.Validators;
import java.io.PrintStream;
import java.net.URI;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * One app instance of the event benchmark: a small SQS consumer around pontus-core's {@link UploadEventHandler}
 * (long polling, bounded concurrency, the message deleted only when every outcome is acknowledged). It prints one
 * line per outcome, {@code OUTCOME <kind> <epoch ms> <key>}, which {@link EventScale} reads, also from an instance
 * it killed.
 *
 * <p>Arguments: {@code <s3 endpoint> <sqs endpoint> <queue url> <bucket> <concurrency>}.
 */
public final class EventWorker {
    /** Environment variables with the store's keys (the command line would show them in ps). */
    static final String ACCESS_KEY = "PONTUS_BENCH_ACCESS_KEY";

    static final String SECRET_KEY = "PONTUS_BENCH_SECRET_KEY";

    private EventWorker() {}

    public static void main(String[] args) {
        URI s3Endpoint = URI.create(args[0]);
        URI sqsEndpoint = URI.create(args[1]);
        String queueUrl = args[2];
        String bucket = args[3];
        int concurrency = Integer.parseInt(args[4]);
        var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(
                System.getenv().getOrDefault(ACCESS_KEY, "testing"),
                System.getenv().getOrDefault(SECRET_KEY, "testing")));
        S3Client s3 = S3Client.builder()
                .endpointOverride(s3Endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials)
                .forcePathStyle(true)
                .build();
        SqsClient sqs = SqsClient.builder()
                .endpointOverride(sqsEndpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials)
                .build();
        UploadPromoter promoter = UploadPromoter.builder()
                .s3(s3)
                .bucket(bucket)
                .unvalidatedPrefix("unvalidated/")
                .validatedPrefix("files/")
                .deleteInvalid(true)
                .validators(Validators.allowTypes("image/png", "image/jpeg"), Validators.declaredTypeMatches())
                .build();
        UploadEventHandler handler = UploadEventHandler.builder()
                .promoter(promoter)
                .issuedKeys(IssuedKeys.ANY)
                .build();
        run(sqs, queueUrl, handler, concurrency, System.out);
    }

    private static void run(
            SqsClient sqs, String queueUrl, UploadEventHandler handler, int concurrency, PrintStream out) {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        Semaphore free = new Semaphore(concurrency);
        out.println("READY");
        out.flush();
        while (true) {
            int wanted = Math.min(10, Math.max(1, free.availablePermits()));
            free.acquireUninterruptibly(wanted);
            List<Message> messages;
            try {
                messages = sqs.receiveMessage(
                                b -> b.queueUrl(queueUrl).waitTimeSeconds(1).maxNumberOfMessages(wanted))
                        .messages();
            } catch (RuntimeException e) {
                free.release(wanted);
                out.println("POLL-FAILED " + e.getMessage());
                continue;
            }
            free.release(wanted - messages.size());
            for (Message message : messages) {
                pool.execute(() -> {
                    try {
                        handle(sqs, queueUrl, handler, message, out);
                    } finally {
                        free.release();
                    }
                });
            }
        }
    }

    private static void handle(
            SqsClient sqs, String queueUrl, UploadEventHandler handler, Message message, PrintStream out) {
        List<EventOutcome> outcomes = handler.handle(message.body());
        for (EventOutcome outcome : outcomes) {
            String line = "OUTCOME " + kind(outcome) + " " + System.currentTimeMillis() + " " + key(outcome);
            synchronized (out) {
                out.println(line);
                out.flush();
            }
        }
        if (outcomes.stream().allMatch(EventOutcome::acknowledged)) {
            sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
        }
    }

    private static String kind(EventOutcome outcome) {
        return outcome.getClass().getSimpleName().toUpperCase(java.util.Locale.ROOT);
    }

    private static String key(EventOutcome outcome) {
        if (outcome instanceof EventOutcome.Malformed m) {
            return m.reason().replace(' ', '_');
        } else if (outcome instanceof EventOutcome.Skipped m) {
            return m.reason().replace(' ', '_');
        }
        if (outcome instanceof EventOutcome.Validated v) {
            return v.key();
        } else if (outcome instanceof EventOutcome.Rejected r) {
            return r.key();
        } else if (outcome instanceof EventOutcome.Duplicate d) {
            return d.key();
        } else if (outcome instanceof EventOutcome.RetryLater r) {
            return r.key();
        }
        return "-";
    }
}
