package dev.pontus.test;

import static java.util.Objects.requireNonNull;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * One "object created" event as S3 puts it in an SQS message (event version 2.1), and its rendering as the message
 * body {@code {"Records":[…]}}. {@link S3EventFeed} makes these from what {@link LocalS3} stores; tests can also
 * make them by hand, for instance to deliver an old event after a newer one.
 *
 * <p>Shape: AWS's "Event message structure" page
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html): the key is
 * URL-encoded as in an HTML form (a space is {@code +}, other bytes outside {@code A-Za-z0-9.-*_} are
 * {@code %XX} of UTF-8; {@code /} stays as it is, as in the keys S3 sends), the ETag has no quotes, the sequencer is
 * a hexadecimal string that grows with each event for a key.
 *
 * @param eventName  {@code ObjectCreated:Put}, {@code ObjectCreated:Post}, {@code ObjectCreated:Copy} or
 *                   {@code ObjectCreated:CompleteMultipartUpload}
 * @param region     the bucket's region, such as {@code us-east-1}
 * @param bucket     the bucket name
 * @param key        the object key, not encoded (it is encoded when rendered)
 * @param size       the object's size in bytes
 * @param eTag       the object's ETag, with or without quotes (kept without)
 * @param sequencer  upper-case hexadecimal; larger is later for the same key
 * @param eventTime  when the object was created
 * @param sourceIp   the uploader's IP address
 * @param requestId  the store's request id of the upload
 */
public record S3Event(
        String eventName,
        String region,
        String bucket,
        String key,
        long size,
        String eTag,
        String sequencer,
        Instant eventTime,
        String sourceIp,
        String requestId) {

    /** The principal S3 names as requester and bucket owner; a fixed value for the local store. */
    public static final String PRINCIPAL_ID = "A1PONTUSLOCALS3";

    /** The notification configuration's id that the local feed names in its events. */
    public static final String CONFIGURATION_ID = "pontus-local-events";

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    public S3Event {
        requireNonNull(eventName, "eventName");
        requireNonNull(region, "region");
        requireNonNull(bucket, "bucket");
        requireNonNull(key, "key");
        requireNonNull(eTag, "eTag");
        requireNonNull(sequencer, "sequencer");
        requireNonNull(eventTime, "eventTime");
        requireNonNull(sourceIp, "sourceIp");
        requireNonNull(requestId, "requestId");
        eTag = eTag.replace("\"", "");
        if (!eventName.startsWith("ObjectCreated:")) {
            throw new IllegalArgumentException("eventName: expected ObjectCreated:Put, :Post, :Copy or"
                    + " :CompleteMultipartUpload, got " + eventName);
        }
        if (size < 0) {
            throw new IllegalArgumentException("size: must be 0 or more, got " + size);
        }
        if (!sequencer.matches("[0-9A-F]+")) {
            throw new IllegalArgumentException("sequencer: expected upper-case hexadecimal, got " + sequencer);
        }
    }

    /** The key as S3 writes it in events: form-URL-encoded, with {@code /} left as it is. */
    public static String encodeKey(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/");
    }

    /** The SQS message body S3 sends for this event: {@code {"Records":[{…}]}}. */
    public String toMessageBody() {
        return "{\"Records\":[" + recordJson() + "]}";
    }

    /** The message S3 sends once when a bucket's notification configuration is saved. */
    public static String testEventBody(String bucket, Instant time) {
        return "{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\",\"Time\":" + Json.string(TIME.format(time))
                + ",\"Bucket\":" + Json.string(bucket) + ",\"RequestId\":"
                + Json.string(Long.toHexString(time.toEpochMilli()).toUpperCase(java.util.Locale.ROOT))
                + ",\"HostId\":" + Json.string(hostId(bucket)) + "}";
    }

    private String recordJson() {
        return "{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\",\"awsRegion\":" + Json.string(region)
                + ",\"eventTime\":" + Json.string(TIME.format(eventTime))
                + ",\"eventName\":" + Json.string(eventName)
                + ",\"userIdentity\":{\"principalId\":" + Json.string("AWS:" + PRINCIPAL_ID) + "}"
                + ",\"requestParameters\":{\"sourceIPAddress\":" + Json.string(sourceIp) + "}"
                + ",\"responseElements\":{\"x-amz-request-id\":" + Json.string(requestId)
                + ",\"x-amz-id-2\":" + Json.string(hostId(requestId)) + "}"
                + ",\"s3\":{\"s3SchemaVersion\":\"1.0\",\"configurationId\":" + Json.string(CONFIGURATION_ID)
                + ",\"bucket\":{\"name\":" + Json.string(bucket)
                + ",\"ownerIdentity\":{\"principalId\":" + Json.string(PRINCIPAL_ID) + "}"
                + ",\"arn\":" + Json.string("arn:aws:s3:::" + bucket) + "}"
                + ",\"object\":{\"key\":" + Json.string(encodeKey(key))
                + ",\"size\":" + size
                + ",\"eTag\":" + Json.string(eTag)
                + ",\"sequencer\":" + Json.string(sequencer) + "}}}";
    }

    /** An opaque, stable stand-in for S3's x-amz-id-2 (base64 in S3; nothing reads it). */
    private static String hostId(String seed) {
        return java.util.Base64.getEncoder().encodeToString(("pontus-local/" + seed).getBytes(StandardCharsets.UTF_8));
    }

    /** The one place JSON strings are written: quotes, backslashes and control characters escaped. */
    static final class Json {
        private Json() {}

        static String string(String value) {
            StringBuilder out = new StringBuilder(value.length() + 2).append('"');
            for (char c : value.toCharArray()) {
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            out.append(String.format("\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            return out.append('"').toString();
        }
    }
}
