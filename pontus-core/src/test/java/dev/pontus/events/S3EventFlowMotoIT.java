package dev.pontus.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pontus.sign.PostPolicyRequest;
import dev.pontus.sign.PostSigner;
import dev.pontus.sign.PresignedPost;
import dev.pontus.test.BrowserPost;
import dev.pontus.test.Moto;
import dev.pontus.test.MotoExtension;
import dev.pontus.validate.UploadPromoter;
import dev.pontus.validate.Validators;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The event flow on moto: S3 sends its notifications to an SQS queue (prefix filter, dead-letter queue), and the
 * handler turns each message into one promotion. Also pins what moto sends: the test event first, then keys
 * URL-encoded as S3 encodes them.
 */
@ExtendWith(MotoExtension.class)
class S3EventFlowMotoIT {
    private static final String PREFIX = "unvalidated/";

    private Moto moto;
    private S3Client s3;
    private SqsClient sqs;
    private String bucket;
    private String queueUrl;
    private String deadLetterUrl;
    private UploadEventHandler handler;

    @BeforeEach
    void setUp(Moto moto) {
        this.moto = moto;
        s3 = moto.s3ClientBuilder().build();
        sqs = sqsClient(moto);
        bucket = Moto.newName("uploads");
        s3.createBucket(b -> b.bucket(bucket));
        deadLetterUrl = sqs.createQueue(b -> b.queueName(Moto.newName("dlq"))).queueUrl();
        queueUrl = createQueue(sqs, Moto.newName("events"), arn(sqs, deadLetterUrl));
        notify(s3, bucket, arn(sqs, queueUrl));
        UploadPromoter promoter = UploadPromoter.builder()
                .s3(s3)
                .bucket(bucket)
                .unvalidatedPrefix(PREFIX)
                .validatedPrefix("files/")
                .validators(Validators.allowTypes("image/png"))
                .deleteInvalid(true)
                .build();
        handler = UploadEventHandler.builder()
                .promoter(promoter)
                .issuedKeys(UploadEventHandlerIT.ISSUED)
                .build();
    }

    @AfterEach
    void tearDown() {
        s3.close();
        sqs.close();
    }

    static SqsClient sqsClient(Moto moto) {
        return SqsClient.builder()
                .endpointOverride(moto.endpoint())
                .region(moto.region())
                .credentialsProvider(moto.credentialsProvider())
                .build();
    }

    static String arn(SqsClient sqs, String queueUrl) {
        return sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes()
                .get(QueueAttributeName.QUEUE_ARN);
    }

    /** A queue whose messages move to {@code deadLetterArn} after two receives, visible again after 1 s. */
    static String createQueue(SqsClient sqs, String name, String deadLetterArn) {
        return sqs.createQueue(b -> b.queueName(name)
                        .attributes(Map.of(
                                QueueAttributeName.VISIBILITY_TIMEOUT,
                                "1",
                                QueueAttributeName.REDRIVE_POLICY,
                                "{\"deadLetterTargetArn\":\"" + deadLetterArn + "\",\"maxReceiveCount\":\"2\"}")))
                .queueUrl();
    }

    /** S3 → SQS for objects created under the unvalidated prefix, as a user configures it on AWS. */
    static void notify(S3Client s3, String bucket, String queueArn) {
        s3.putBucketNotificationConfiguration(b -> b.bucket(bucket)
                .notificationConfiguration(n -> n.queueConfigurations(q -> q.id("pontus-uploads")
                        .queueArn(queueArn)
                        .events(Event.S3_OBJECT_CREATED)
                        // "prefix": moto 5.2.1 refuses the SDK's FilterRuleName.PREFIX ("Prefix") with a 500
                        .filter(f ->
                                f.key(k -> k.filterRules(r -> r.name("prefix").value(PREFIX)))))));
    }

    private List<Message> receive(String url) {
        return sqs.receiveMessage(b -> b.queueUrl(url)
                        .maxNumberOfMessages(10)
                        .waitTimeSeconds(2)
                        .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
                .messages();
    }

    /** Receives until a message that is not S3's test event arrives (the test event is checked on the way). */
    private Message nextEvent() {
        for (int attempt = 0; attempt < 10; attempt++) {
            for (Message message : receive(queueUrl)) {
                if (message.body().contains("s3:TestEvent")) {
                    assertThat(handler.handle(message.body())).singleElement().isInstanceOf(EventOutcome.Skipped.class);
                    sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
                } else {
                    return message;
                }
            }
        }
        throw new AssertionError("moto sent no event to " + queueUrl + " within 10 receives");
    }

    private boolean exists(String key) {
        try {
            s3.headObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }

    @Test
    void putEventWithSpacesAndNonAsciiPromotesOnceAndMotoEncodesTheKey() {
        String key = PREFIX + "b1.issued/my photo é.png";
        s3.putObject(
                b -> b.bucket(bucket).key(key).contentType("image/png").metadata(Map.of("uploader", "alice")),
                RequestBody.fromBytes(UploadEventHandlerIT.png(8)));

        Message message = nextEvent();

        // moto URL-encodes keys as a form does, the slash included: unvalidated%2Fb1.issued%2Fmy+photo+%C3%A9.png
        assertThat(message.body())
                .contains(URLEncoder.encode(key, StandardCharsets.UTF_8))
                .contains("ObjectCreated:Put");
        List<EventOutcome> outcomes = handler.handle(message.body());
        assertThat(outcomes)
                .singleElement()
                .isInstanceOfSatisfying(
                        EventOutcome.Validated.class, v -> assertThat(v.owner()).isEqualTo("alice"));
        sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
        assertThat(exists("files/b1.issued/my photo é.png")).isTrue();
        assertThat(exists(key)).isFalse();
        // a duplicate delivery of the same event changes nothing
        assertThat(handler.handle(message.body())).singleElement().isInstanceOf(EventOutcome.Duplicate.class);
        // the promoted copy is outside the prefix filter: no event for it
        assertThat(receive(queueUrl)).noneMatch(m -> m.body().contains("files"));
    }

    @Test
    void browserPostEventPromotes() {
        PostSigner signer = PostSigner.builder()
                .credentialsProvider(moto.credentialsProvider())
                .region(moto.region())
                .endpoint(moto.endpoint())
                .pathStyle(true)
                .build();
        String key = PREFIX + "b2.issued/posted (1).png";
        PresignedPost post = signer.sign(PostPolicyRequest.builder()
                .bucket(bucket)
                .key(key)
                .contentType("image/png")
                .metadata("uploader", "bob")
                .contentLengthRange(1, 1 << 20)
                .expiresIn(Duration.ofMinutes(5))
                .successActionStatus(201)
                .build());
        Map<String, String> fields = new LinkedHashMap<>(post.fields());

        BrowserPost.Response response =
                BrowserPost.post(post.url(), fields, "posted (1).png", "image/png", UploadEventHandlerIT.png(8));
        Message message = nextEvent();

        assertThat(response.status()).isEqualTo(201);
        assertThat(message.body()).contains("ObjectCreated:Post");
        assertThat(handler.handle(message.body()))
                .singleElement()
                .isInstanceOfSatisfying(
                        EventOutcome.Validated.class, v -> assertThat(v.owner()).isEqualTo("bob"));
        assertThat(exists("files/b2.issued/posted (1).png")).isTrue();
    }

    @Test
    void malformedMessageIsNeverDeletedAndEndsInTheDeadLetterQueue() {
        nextEventOrNone(); // the test event, out of the way
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody("{\"surprise\":true}"));

        int receives = 0;
        List<Message> dead = List.of();
        for (int attempt = 0; attempt < 10 && dead.isEmpty(); attempt++) {
            for (Message message : receive(queueUrl)) {
                receives++;
                assertThat(handler.handle(message.body()))
                        .singleElement()
                        .isInstanceOfSatisfying(
                                EventOutcome.Malformed.class,
                                m -> assertThat(m.acknowledged()).isFalse());
                // not deleted: it becomes visible again after 1 s, and moves on after two receives
            }
            dead = receive(deadLetterUrl);
        }

        assertThat(receives).isEqualTo(2);
        assertThat(dead).singleElement().extracting(Message::body).isEqualTo("{\"surprise\":true}");
    }

    private void nextEventOrNone() {
        for (Message message : receive(queueUrl)) {
            if (message.body().contains("s3:TestEvent")) {
                sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
            }
        }
    }
}
