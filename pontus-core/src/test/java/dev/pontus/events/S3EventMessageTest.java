package dev.pontus.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pontus.events.S3EventMessage.Created;
import dev.pontus.events.S3EventMessage.Events;
import dev.pontus.events.S3EventMessage.Malformed;
import dev.pontus.events.S3EventMessage.Other;
import dev.pontus.events.S3EventMessage.TestEvent;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Each shape S3 events reach a queue in, decoded as AWS documents them; see /work/shared/EVENTS.md. */
class S3EventMessageTest {
    // "unvalidated/abc.def/my photo é+1.jpg" as S3 encodes keys in notifications (form-style)
    private static final String ENCODED = "unvalidated/abc.def/my+photo+%C3%A9%2B1.jpg";
    private static final String DECODED = "unvalidated/abc.def/my photo é+1.jpg";

    static String s3Message(String eventName, String key) {
        return """
                {"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"us-east-1",
                  "eventTime":"2026-12-01T20:00:00.000Z","eventName":"%s",
                  "userIdentity":{"principalId":"AWS:EXAMPLE"},"requestParameters":{"sourceIPAddress":"127.0.0.1"},
                  "responseElements":{"x-amz-request-id":"C3D13FE58DE4C810","x-amz-id-2":"FMyUVURIY8"},
                  "s3":{"s3SchemaVersion":"1.0","configurationId":"uploads",
                        "bucket":{"name":"my-uploads","ownerIdentity":{"principalId":"EXAMPLE"},
                                  "arn":"arn:aws:s3:::my-uploads"},
                        "object":{"key":"%s","size":1024,"eTag":"0123456789abcdef0123456789abcdef",
                                  "sequencer":"0A1B2C3D4E5F678901"}}}]}""".formatted(eventName, key);
    }

    static String snsEnvelope(String s3Message) {
        String escaped = s3Message.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
        return """
                {"Type":"Notification","MessageId":"22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324",
                 "TopicArn":"arn:aws:sns:us-east-1:123456789012:uploads","Subject":"Amazon S3 Notification",
                 "Message":"%s","Timestamp":"2026-12-01T20:00:01.000Z","SignatureVersion":"1",
                 "Signature":"EXAMPLE","SigningCertURL":"https://example.invalid/cert.pem",
                 "UnsubscribeURL":"https://example.invalid/unsubscribe"}""".formatted(escaped);
    }

    static String eventBridge(String detailType, String key) {
        return """
                {"version":"0","id":"17793124-05d4-b198-2fde-7ededc63b103","detail-type":"%s","source":"aws.s3",
                 "account":"123456789012","time":"2026-12-01T20:00:00Z","region":"us-east-1",
                 "resources":["arn:aws:s3:::my-uploads"],
                 "detail":{"version":"0","bucket":{"name":"my-uploads"},
                           "object":{"key":"%s","size":5,"etag":"b1946ac92492d2347c6235b4d2611184",
                                     "version-id":"IYV3p45BT0ac8hjHg1houSdS1a.Mro8e","sequencer":"617f08299329d189"},
                           "request-id":"N4N7GDK58NMKJ12R","requester":"123456789012",
                           "source-ip-address":"1.2.3.4","reason":"PostObject"}}""".formatted(detailType, key);
    }

    @Test
    void readsS3ShapeWithAwsModelDecodingKeyFormStyle() {
        Events events = (Events) S3EventMessage.parse(s3Message("ObjectCreated:Post", ENCODED));

        assertThat(events.shape()).isEqualTo("s3");
        assertThat(events.events())
                .containsExactly(new Created(
                        "my-uploads",
                        DECODED,
                        "0123456789abcdef0123456789abcdef",
                        1024,
                        "0A1B2C3D4E5F678901",
                        Instant.parse("2026-12-01T20:00:00Z"),
                        "ObjectCreated:Post"));
    }

    @Test
    void readsMotosBodyWhoseEventTimeHasNoZoneAndWhoseSlashIsEncoded() {
        String moto = """
                {"Records": [{"eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": "us-east-1",
                "eventTime": "2026-12-01T21:31:02.583449", "eventName": "ObjectCreated:Put", "s3":
                {"s3SchemaVersion": "1.0", "configurationId": "x", "bucket": {"name": "bucket-one",
                "arn": "arn:aws:s3:::bucket-one"}, "object": {"key": "unvalidated%2Fa+b+%C3%A9.png", "size": 2,
                "eTag": "49f68a5c8493ec2c0bf489821c21fc3b"}}}]}""";

        Events events = (Events) S3EventMessage.parse(moto);

        assertThat(events.events())
                .containsExactly(new Created(
                        "bucket-one",
                        "unvalidated/a b é.png",
                        "49f68a5c8493ec2c0bf489821c21fc3b",
                        2,
                        null,
                        Instant.parse("2026-12-01T21:31:02.583449Z"),
                        "ObjectCreated:Put"));
    }

    @Test
    void readsSnsEnvelopeAroundS3Message() {
        Events events = (Events) S3EventMessage.parse(snsEnvelope(s3Message("ObjectCreated:Put", ENCODED)));

        assertThat(events.shape()).isEqualTo("sns");
        assertThat(events.events()).singleElement().isInstanceOfSatisfying(Created.class, created -> {
            assertThat(created.key()).isEqualTo(DECODED);
            assertThat(created.eventName()).isEqualTo("ObjectCreated:Put");
        });
    }

    @Test
    void readsEventBridgeObjectCreatedDecodingKeyAsS3Does() {
        Events events = (Events) S3EventMessage.parse(eventBridge("Object Created", ENCODED));

        assertThat(events.shape()).isEqualTo("eventbridge");
        assertThat(events.events())
                .containsExactly(new Created(
                        "my-uploads",
                        DECODED,
                        "b1946ac92492d2347c6235b4d2611184",
                        5,
                        "617f08299329d189",
                        Instant.parse("2026-12-01T20:00:00Z"),
                        "ObjectCreated:PostObject"));
    }

    @Test
    void eventBridgeKeyWithoutEncodingDecodesToItselfForKeysPontusIssues() {
        // Pontus's file names have no '+' or '%', so a key sent unencoded decodes to itself, a colon included.
        String raw = "unvalidated/abc.def/my photo é 10:30.jpg";

        Events events = (Events) S3EventMessage.parse(eventBridge("Object Created", raw));

        assertThat(((Created) events.events().get(0)).key()).isEqualTo(raw);
    }

    @Test
    void recognisesTestEventDirectAndThroughSns() {
        String test = """
                {"Service":"Amazon S3","Event":"s3:TestEvent","Time":"2026-12-01T20:00:00.000Z",
                 "Bucket":"my-uploads","RequestId":"5582815E1AEA5ADF","HostId":"8cLeGAmw098X5cv4Zkwcmo8vvZa3eH3e"}""";

        assertThat(S3EventMessage.parse(test)).isEqualTo(new TestEvent("s3"));
        assertThat(S3EventMessage.parse(snsEnvelope(test))).isEqualTo(new TestEvent("sns"));
    }

    @Test
    void otherEventTypesAreOthers() {
        assertThat(((Events) S3EventMessage.parse(s3Message("ObjectRemoved:Delete", ENCODED))).events())
                .singleElement()
                .isInstanceOf(Other.class);
        assertThat(((Events) S3EventMessage.parse(eventBridge("Object Deleted", ENCODED))).events())
                .singleElement()
                .isInstanceOf(Other.class);
    }

    @Test
    void minioStyleEventNameWithS3PrefixIsCreated() {
        Events events = (Events) S3EventMessage.parse(s3Message("s3:ObjectCreated:Put", "unvalidated/a.png"));

        assertThat(((Created) events.events().get(0)).eventName()).isEqualTo("ObjectCreated:Put");
    }

    @Test
    void badPercentEncodingIsNotACreatedObject() {
        Events events = (Events) S3EventMessage.parse(s3Message("ObjectCreated:Put", "unvalidated/100%zz.png"));

        assertThat(events.events()).singleElement().isInstanceOf(Other.class);
    }

    @Test
    void malformedBodiesSayWhyWithoutQuotingThem() {
        String secretish = "not json AKIAIOSFODNN7EXAMPLE";

        assertThat(S3EventMessage.parse(secretish))
                .isInstanceOfSatisfying(
                        Malformed.class,
                        m -> assertThat(m.reason())
                                .isEqualTo("the body is not JSON")
                                .doesNotContain("AKIA"));
        assertThat(S3EventMessage.parse("")).isInstanceOf(Malformed.class);
        assertThat(S3EventMessage.parse("[1,2]")).isInstanceOf(Malformed.class);
        assertThat(S3EventMessage.parse("{\"hello\":\"AKIAIOSFODNN7EXAMPLE\"}"))
                .isInstanceOfSatisfying(
                        Malformed.class, m -> assertThat(m.reason()).doesNotContain("AKIA"));
        assertThat(S3EventMessage.parse("{\"Records\":[]}")).isInstanceOf(Malformed.class);
        assertThat(S3EventMessage.parse("{\"Records\":[{\"eventName\":\"ObjectCreated:Put\"}]}"))
                .isInstanceOf(Malformed.class);
        assertThat(S3EventMessage.parse("{\"Type\":\"Notification\",\"Message\":\"nope\"}"))
                .isInstanceOf(Malformed.class);
        assertThat(S3EventMessage.parse("{\"detail-type\":\"Object Created\",\"source\":\"aws.s3\",\"detail\":{}}"))
                .isInstanceOf(Malformed.class);
    }

    @Test
    void eTagQuotesAreRemoved() {
        assertThat(S3EventMessage.unquote("\"abc\"")).isEqualTo("abc");
        assertThat(S3EventMessage.unquote("abc")).isEqualTo("abc");
    }
}
