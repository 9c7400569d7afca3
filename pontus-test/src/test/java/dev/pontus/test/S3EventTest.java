package dev.pontus.test;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.eventnotifications.s3.model.S3EventNotification;
import software.amazon.awssdk.eventnotifications.s3.model.S3EventNotificationRecord;

class S3EventTest {
    private static final Instant TIME = Instant.parse("2026-12-01T20:00:00Z");

    @Test
    void encodesKeysAsS3DoesLeavingSlashes() {
        assertThat(S3Event.encodeKey("unvalidated/abc.def/my photo é+(1)*~.jpg"))
                .isEqualTo("unvalidated/abc.def/my+photo+%C3%A9%2B%281%29*%7E.jpg");
    }

    @Test
    void rendersAMessageThatAwsModelReadsBack() {
        S3Event event = new S3Event(
                "ObjectCreated:Post",
                "us-east-1",
                "uploads",
                "unvalidated/a b.png",
                12,
                "\"0123456789abcdef0123456789abcdef\"",
                "0000018A2B3C4D5E6F",
                TIME,
                "10.0.0.1",
                "REQ1");

        String body = event.toMessageBody();

        assertThat(body)
                .startsWith("{\"Records\":[{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\"")
                .contains("\"eventTime\":\"2026-12-01T20:00:00.000Z\"")
                .contains("\"eTag\":\"0123456789abcdef0123456789abcdef\"");
        S3EventNotificationRecord record =
                S3EventNotification.fromJson(body).getRecords().get(0);
        assertThat(record.getEventTime()).isEqualTo(TIME);
        assertThat(record.getS3().getObject().getUrlDecodedKey()).isEqualTo("unvalidated/a b.png");
        assertThat(record.getS3().getObject().getSequencer()).isEqualTo("0000018A2B3C4D5E6F");
        assertThat(record.getRequestParameters().getSourceIpAddress()).isEqualTo("10.0.0.1");
    }

    @Test
    void escapesWhatJsonMustEscape() {
        S3Event event = new S3Event("ObjectCreated:Put", "us-east-1", "b", "k", 0, "e", "01", TIME, "\"\\\n", "r");

        assertThat(event.toMessageBody()).contains("\"sourceIPAddress\":\"\\\"\\\\\\n\"");
    }

    @Test
    void refusesWhatS3NeverSends() {
        assertThatThrownBy(
                        () -> new S3Event("ObjectRemoved:Delete", "us-east-1", "b", "k", 0, "e", "01", TIME, "ip", "r"))
                .hasMessageContaining("eventName");
        assertThatThrownBy(
                        () -> new S3Event("ObjectCreated:Put", "us-east-1", "b", "k", 0, "e", "0x1", TIME, "ip", "r"))
                .hasMessageContaining("sequencer");
    }

    @Test
    void readsTheKeyOfABrowserFormWithTheFilenameFilledIn() {
        String body = "--XyZ\r\nContent-Disposition: form-data; name=\"key\"\r\n\r\nunvalidated/1/${filename}\r\n"
                + "--XyZ\r\nContent-Disposition: form-data; name=\"policy\"\r\n\r\neyJ9\r\n"
                + "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"été.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n\u0089PNG...";

        assertThat(S3EventFeed.formKey(body.getBytes(UTF_8), "XyZ")).isEqualTo("unvalidated/1/été.png");
    }

    @Test
    void readsBucketAndKeyOfAPathStyleTargetWithAPlusAsAPlus() {
        assertThat(S3EventFeed.pathBucketAndKey("/bucket/a%20b+c.txt?x-id=PutObject"))
                .containsExactly("bucket", "a b+c.txt");
        assertThat(S3EventFeed.pathBucketAndKey("/bucket/")).isNull();
    }
}
