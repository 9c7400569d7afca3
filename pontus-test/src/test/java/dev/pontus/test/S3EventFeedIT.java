package dev.pontus.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.eventnotifications.s3.model.S3EventNotification;
import software.amazon.awssdk.eventnotifications.s3.model.S3EventNotificationRecord;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sqs.model.Message;

class S3EventFeedIT {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static LocalSqs sqs;

    @BeforeAll
    static void startSqs() {
        sqs = LocalSqs.start();
    }

    @AfterAll
    static void stopSqs() {
        sqs.close();
    }

    @Test
    void putOfKeyWithSpacesAndNonAsciiSendsOnePutEventWithEncodedKeyToTheQueue() {
        LocalS3 s3 = LocalS3.shared();
        String bucket = s3.newBucket();
        String queue = sqs.newQueue();
        try (S3EventFeed feed =
                        S3EventFeed.builder(s3).queue(sqs.client(), queue).start();
                S3Client client = feed.clientBuilder().build()) {
            String etag = client.putObject(
                            b -> b.bucket(bucket).key("unvalidated/my photo é+1.txt"), RequestBody.fromString("hello"))
                    .eTag();

            List<Message> messages = receive(queue, 1);
            S3EventNotificationRecord record = only(messages.get(0).body());
            assertThat(record.getEventName()).isEqualTo("ObjectCreated:Put");
            assertThat(record.getS3().getObject().getKey()).isEqualTo("unvalidated/my+photo+%C3%A9%2B1.txt");
            assertThat(record.getS3().getObject().getUrlDecodedKey()).isEqualTo("unvalidated/my photo é+1.txt");
            assertThat(record.getS3().getObject().getSizeAsLong()).isEqualTo(5L);
            assertThat(record.getS3().getObject().getETag()).isEqualTo(etag.replace("\"", ""));
            assertThat(record.getS3().getBucket().getName()).isEqualTo(bucket);
            assertThat(record.getS3().getBucket().getArn()).isEqualTo("arn:aws:s3:::" + bucket);
            assertThat(record.getAwsRegion()).isEqualTo("us-east-1");
            assertThat(record.getEventVersion()).isEqualTo("2.1");
            assertThat(messages.get(0).body()).contains("\"eventTime\":\"").containsPattern("\\.\\d{3}Z\"");
        }
    }

    @Test
    void browserPostSendsPostEventWithTheFilenameFilledIn() {
        LocalS3 s3 = LocalS3.shared();
        String bucket = s3.newBucket();
        String queue = sqs.newQueue();
        try (S3EventFeed feed =
                S3EventFeed.builder(s3).queue(sqs.client(), queue).start()) {
            BrowserPost.Response response = SignedPost.upload(
                    feed.endpoint(), s3, bucket, "unvalidated/abc/${filename}", "a b.txt", "posted".getBytes());
            assertThat(response.status()).as(response.body()).isEqualTo(204);

            S3EventNotificationRecord record = only(receive(queue, 1).get(0).body());
            assertThat(record.getEventName()).isEqualTo("ObjectCreated:Post");
            assertThat(record.getS3().getObject().getKey()).isEqualTo("unvalidated/abc/a+b.txt");
            assertThat(record.getS3().getObject().getSizeAsLong()).isEqualTo(6L);
            assertThat(record.getS3().getObject().getETag())
                    .isEqualTo(s3.client()
                            .headObject(b -> b.bucket(bucket).key("unvalidated/abc/a b.txt"))
                            .eTag()
                            .replace("\"", ""));
        }
    }

    @Test
    void copyAndCompleteMultipartSendTheirEventsAndFailuresNone() {
        LocalS3 s3 = LocalS3.shared();
        String bucket = s3.newBucket();
        List<String> bodies = new ArrayList<>();
        try (S3EventFeed feed = S3EventFeed.builder(s3).sink(bodies::add).start();
                S3Client client = feed.clientBuilder().build()) {
            client.putObject(b -> b.bucket(bucket).key("a.txt"), RequestBody.fromString("a"));
            client.copyObject(b -> b.sourceBucket(bucket)
                    .sourceKey("a.txt")
                    .destinationBucket(bucket)
                    .destinationKey("b.txt"));
            String uploadId = client.createMultipartUpload(b -> b.bucket(bucket).key("big.bin"))
                    .uploadId();
            String part = client.uploadPart(
                            b -> b.bucket(bucket)
                                    .key("big.bin")
                                    .uploadId(uploadId)
                                    .partNumber(1),
                            RequestBody.fromString("part"))
                    .eTag();
            client.completeMultipartUpload(b -> b.bucket(bucket)
                    .key("big.bin")
                    .uploadId(uploadId)
                    .multipartUpload(m -> m.parts(
                            CompletedPart.builder().partNumber(1).eTag(part).build())));
            try {
                client.putObject(b -> b.bucket(bucket + "-missing").key("x"), RequestBody.fromString("x"));
            } catch (S3Exception expected) {
                // no bucket: no object, no event
            }

            List<S3Event> events = feed.awaitEvents(3, WAIT);
            assertThat(events)
                    .extracting(S3Event::eventName, S3Event::key, S3Event::size)
                    .containsExactly(
                            tuple("ObjectCreated:Put", "a.txt", 1L),
                            tuple("ObjectCreated:Copy", "b.txt", 1L),
                            tuple("ObjectCreated:CompleteMultipartUpload", "big.bin", 4L));
            assertThat(events.get(2).eTag()).endsWith("-1");
            assertThat(events)
                    .extracting(S3Event::sequencer)
                    .isSortedAccordingTo(String::compareTo)
                    .doesNotHaveDuplicates();
            assertThat(bodies).hasSize(3);
        }
    }

    @Test
    void prefixFilterLeavesOtherKeysOutAndTestEventIsS3s() {
        LocalS3 s3 = LocalS3.shared();
        String bucket = s3.newBucket();
        List<String> bodies = new ArrayList<>();
        try (S3EventFeed feed = S3EventFeed.builder(s3)
                        .sink(bodies::add)
                        .prefix("unvalidated/")
                        .start();
                S3Client client = feed.clientBuilder().build()) {
            feed.sendTestEvent(bucket);
            client.putObject(b -> b.bucket(bucket).key("final/a.txt"), RequestBody.fromString("a"));
            client.putObject(b -> b.bucket(bucket).key("unvalidated/a.txt"), RequestBody.fromString("a"));

            assertThat(feed.awaitEvents(1, WAIT)).extracting(S3Event::key).containsExactly("unvalidated/a.txt");
            assertThat(bodies).hasSize(2);
            assertThat(bodies.get(0))
                    .startsWith("{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\",")
                    .contains("\"Bucket\":\"" + bucket + "\"");
        }
    }

    private static S3EventNotificationRecord only(String body) {
        List<S3EventNotificationRecord> records =
                S3EventNotification.fromJson(body).getRecords();
        assertThat(records).hasSize(1);
        return records.get(0);
    }

    private static List<Message> receive(String queue, int count) {
        List<Message> messages = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (messages.size() < count && System.nanoTime() < deadline) {
            messages.addAll(sqs.client()
                    .receiveMessage(b -> b.queueUrl(queue).waitTimeSeconds(1).maxNumberOfMessages(10))
                    .messages());
        }
        assertThat(messages).as("messages on " + queue).hasSize(count);
        return messages;
    }
}
