package dev.pontus.test;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLDecoder;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The feed's events against moto's (5.2.1), which models S3's notifications: the same upload to both, the two SQS
 * messages compared field by field. Where they differ, the test names each difference, so that a change on either
 * side shows here: moto leaves out userIdentity, requestParameters, responseElements, the bucket's ownerIdentity and
 * the object's sequencer (all in AWS's documented message, and the sequencer is what orders events for a key);
 * moto encodes {@code /} in keys as {@code %2F} (S3 leaves it); moto's eventTime has microseconds and no zone
 * ({@code 2026-12-01T20:00:00.123456}), S3's has milliseconds and {@code Z}.
 */
@ExtendWith(MotoExtension.class)
class EventShapeCrossCheckIT {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String KEY = "unvalidated/abc.def/my photo é (1).txt";
    private static final byte[] CONTENT = "same bytes on both".getBytes(UTF_8);

    /** Fields in the feed's record (S3's documented ones) that moto 5.2.1 leaves out. */
    private static final List<String> NOT_IN_MOTO = List.of(
            "requestParameters",
            "requestParameters.sourceIPAddress",
            "responseElements",
            "responseElements.x-amz-id-2",
            "responseElements.x-amz-request-id",
            "s3.bucket.ownerIdentity",
            "s3.bucket.ownerIdentity.principalId",
            "s3.object.sequencer",
            "userIdentity",
            "userIdentity.principalId");

    @Test
    void putEventsHaveMotosFieldsTypesAndDecodedKey(Moto moto) {
        JsonNode fromMoto = motoRecord(
                moto,
                "ObjectCreated:Put",
                s3 -> s3.putObject(b -> b.bucket(s3Bucket).key(KEY), RequestBody.fromBytes(CONTENT)));
        JsonNode fromFeed = feedRecord(
                client -> client.putObject(b -> b.bucket(feedBucket).key(KEY), RequestBody.fromBytes(CONTENT)));

        assertSameShape(fromMoto, fromFeed, "ObjectCreated:Put");
    }

    @Test
    void postEventsHaveMotosFieldsTypesAndDecodedKey(Moto moto) {
        String keyField = "unvalidated/abc.def/${filename}";
        String filename = "my photo é (1).txt";
        JsonNode fromMoto = motoRecord(
                moto,
                "ObjectCreated:Post",
                s3 -> assertThat(SignedPost.upload(moto.endpoint(), motoSigner(), s3Bucket, keyField, filename, CONTENT)
                                .status())
                        .isBetween(200, 299));
        JsonNode fromFeed = feedRecord(client -> assertThat(
                        SignedPost.upload(feed.endpoint(), LocalS3.shared(), feedBucket, keyField, filename, CONTENT)
                                .status())
                .isEqualTo(204));

        assertSameShape(fromMoto, fromFeed, "ObjectCreated:Post");
    }

    private void assertSameShape(JsonNode fromMoto, JsonNode fromFeed, String eventName) {
        Map<String, String> motoFields = fieldTypes(fromMoto);
        Map<String, String> feedFields = fieldTypes(fromFeed);
        assertThat(feedFields.keySet()).containsAll(motoFields.keySet());
        motoFields.forEach(
                (field, type) -> assertThat(feedFields.get(field)).as(field).isEqualTo(type));
        List<String> extra = new ArrayList<>(feedFields.keySet());
        extra.removeAll(motoFields.keySet());
        assertThat(extra).as("fields moto leaves out").containsExactlyElementsOf(NOT_IN_MOTO);

        for (JsonNode record : List.of(fromMoto, fromFeed)) {
            assertThat(record.path("eventVersion").asString()).isEqualTo("2.1");
            assertThat(record.path("eventSource").asString()).isEqualTo("aws:s3");
            assertThat(record.path("awsRegion").asString()).isEqualTo("us-east-1");
            assertThat(record.path("eventName").asString()).isEqualTo(eventName);
            assertThat(record.path("s3").path("s3SchemaVersion").asString()).isEqualTo("1.0");
            JsonNode object = record.path("s3").path("object");
            assertThat(URLDecoder.decode(object.path("key").asString(), UTF_8)).isEqualTo(KEY);
            assertThat(object.path("size").asLong()).isEqualTo(CONTENT.length);
            assertThat(object.path("eTag").asString()).matches("[0-9a-f]{32}");
        }
        assertThat(fromFeed.path("s3").path("object").path("eTag").asString())
                .isEqualTo(fromMoto.path("s3").path("object").path("eTag").asString());
        // The known differences, pinned:
        String motoKey = fromMoto.path("s3").path("object").path("key").asString();
        String feedKey = fromFeed.path("s3").path("object").path("key").asString();
        assertThat(feedKey).isEqualTo("unvalidated/abc.def/my+photo+%C3%A9+%281%29.txt");
        assertThat(motoKey).isEqualTo(feedKey.replace("/", "%2F"));
        assertThat(fromFeed.path("eventTime").asString())
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(fromMoto.path("eventTime").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}");
    }

    // --- moto: a bucket notifying a queue of the same server ---

    private String s3Bucket;
    private String feedBucket;
    private S3EventFeed feed;

    private JsonNode motoRecord(Moto moto, String eventName, java.util.function.Consumer<S3Client> upload) {
        try (S3Client s3 = moto.s3ClientBuilder().build();
                SqsClient sqs = SqsClient.builder()
                        .endpointOverride(moto.endpoint())
                        .region(moto.region())
                        .credentialsProvider(moto.credentialsProvider())
                        .build()) {
            s3Bucket = Moto.newName("bucket");
            s3.createBucket(b -> b.bucket(s3Bucket));
            String queueUrl =
                    sqs.createQueue(b -> b.queueName(Moto.newName("events"))).queueUrl();
            String arn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                    .attributes()
                    .get(QueueAttributeName.QUEUE_ARN);
            s3.putBucketNotificationConfiguration(b -> b.bucket(s3Bucket)
                    .notificationConfiguration(
                            n -> n.queueConfigurations(q -> q.queueArn(arn).events(Event.S3_OBJECT_CREATED))));
            assertThat(receive(sqs, queueUrl)).contains("\"Event\": \"s3:TestEvent\"");
            upload.accept(s3);
            return onlyRecord(receive(sqs, queueUrl));
        }
    }

    private static LocalS3 motoSigner() {
        return LocalS3.shared(); // moto does not check POST signatures: any signer's fields do
    }

    // --- the feed: LocalS3 through S3EventFeed to ElasticMQ ---

    private JsonNode feedRecord(java.util.function.Consumer<S3Client> upload) {
        LocalS3 store = LocalS3.shared();
        feedBucket = store.newBucket();
        List<String> bodies = new ArrayList<>();
        try (S3EventFeed started = S3EventFeed.builder(store).sink(bodies::add).start();
                S3Client client = started.clientBuilder().build()) {
            feed = started;
            upload.accept(client);
            started.awaitEvents(1, java.time.Duration.ofSeconds(10));
            return onlyRecord(bodies.get(0));
        }
    }

    private static String receive(SqsClient sqs, String queueUrl) {
        for (int i = 0; i < 10; i++) {
            List<Message> messages = sqs.receiveMessage(
                            b -> b.queueUrl(queueUrl).waitTimeSeconds(1))
                    .messages();
            if (!messages.isEmpty()) {
                sqs.deleteMessage(
                        b -> b.queueUrl(queueUrl).receiptHandle(messages.get(0).receiptHandle()));
                return messages.get(0).body();
            }
        }
        throw new AssertionError("no message on " + queueUrl + " within 10 s");
    }

    private static JsonNode onlyRecord(String body) {
        JsonNode records = JSON.readTree(body).path("Records");
        assertThat(records.size()).as(body).isEqualTo(1);
        return records.get(0);
    }

    /** Every field path of a JSON object (dotted) with its JSON type. */
    private static Map<String, String> fieldTypes(JsonNode node) {
        Map<String, String> types = new TreeMap<>();
        collect("", node, types);
        return types;
    }

    private static void collect(String path, JsonNode node, Map<String, String> types) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String name = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
            types.put(name, field.getValue().getNodeType().name());
            if (field.getValue().isObject()) {
                collect(name, field.getValue(), types);
            }
        }
    }
}
