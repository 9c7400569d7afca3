package dev.pontus.events;

import dev.pontus.S3Names;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.eventnotifications.s3.model.S3EventNotification;
import software.amazon.awssdk.eventnotifications.s3.model.S3EventNotificationRecord;
import software.amazon.awssdk.eventnotifications.s3.model.S3Object;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/**
 * Reads one SQS message body in the three shapes S3 events reach a queue: S3 → SQS ({@code Records}), S3 → SNS →
 * SQS (the SNS envelope, raw delivery off, whose {@code Message} is the S3 message as a string) and S3 →
 * EventBridge → SQS ({@code detail-type}, {@code detail}). No I/O. A body in none of these shapes, or one that
 * names an object without its key, is {@link Malformed}; its reason never quotes the body.
 */
final class S3EventMessage {
    /** An eventTime without a zone, as moto 5.2.1 writes it ("2026-12-01T21:31:02.583449"), which is UTC. */
    private static final Pattern ZONELESS_EVENT_TIME =
            Pattern.compile("(\"eventTime\"\\s*:\\s*\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d{1,9})?)\"");

    private S3EventMessage() {}

    /** What one message says. */
    sealed interface Parsed permits Events, TestEvent, Malformed {}

    /** One or more events, in the message's order. */
    record Events(String shape, List<Event> events) implements Parsed {
        Events {
            events = List.copyOf(events);
        }
    }

    /** The {@code s3:TestEvent} S3 sends when a notification configuration is saved. */
    record TestEvent(String shape) implements Parsed {}

    /** Not an S3 event message; {@code reason} says why without quoting it. */
    record Malformed(String reason) implements Parsed {}

    /** One event of a message. */
    sealed interface Event permits Created, Other {}

    /**
     * An object was created.
     *
     * @param key       the key, decoded
     * @param eTag      the ETag, without quotes
     * @param sequencer orders events of one key (hex); may be null
     * @param eventTime when S3 created it; may be null
     * @param eventName {@code ObjectCreated:Post} and the like ({@code reason} for EventBridge)
     */
    record Created(
            String bucket, String key, String eTag, long size, String sequencer, Instant eventTime, String eventName)
            implements Event {}

    /** Any other event (removed, restored, …), or a created object whose key does not decode. */
    record Other(String bucket, String description) implements Event {}

    static Parsed parse(String body) {
        if (body == null || body.isBlank()) {
            return new Malformed("the body is empty");
        }
        JsonNode root;
        try {
            root = JsonNode.parser().parse(body);
        } catch (RuntimeException e) { // the parser's message quotes the body: left out
            return new Malformed("the body is not JSON");
        }
        return parse(root, body, true);
    }

    private static Parsed parse(JsonNode root, String body, boolean envelopeAllowed) {
        if (!root.isObject()) {
            return new Malformed("the body is JSON but not an object");
        }
        Map<String, JsonNode> fields = root.asObject();
        if (fields.containsKey("Records")) {
            return records(body, envelopeAllowed ? "s3" : "sns");
        }
        if ("s3:TestEvent".equals(text(fields.get("Event")))) {
            return new TestEvent(envelopeAllowed ? "s3" : "sns");
        }
        if (envelopeAllowed && "Notification".equals(text(fields.get("Type")))) {
            return sns(fields);
        }
        if (fields.containsKey("detail-type") && fields.containsKey("detail")) {
            return eventBridge(fields);
        }
        return new Malformed("the body is neither an S3 event notification (Records), an SNS notification with"
                + " one in its Message, nor an EventBridge event");
    }

    private static Parsed sns(Map<String, JsonNode> fields) {
        String message = text(fields.get("Message"));
        if (message == null) {
            return new Malformed("the SNS notification has no Message string");
        }
        try {
            return parse(JsonNode.parser().parse(message), message, false);
        } catch (RuntimeException e) {
            return new Malformed("the SNS notification's Message is not JSON (raw message delivery on an S3"
                    + " topic gives the S3 message itself; off, an envelope around it)");
        }
    }

    /** S3's own shape, read with AWS's event model; its key is URL-encoded as in an HTML form. */
    private static Parsed records(String body, String shape) {
        S3EventNotification notification;
        try {
            // AWS's model refuses a time without a zone; S3 always gives one, moto does not
            notification = S3EventNotification.fromJson(
                    ZONELESS_EVENT_TIME.matcher(body).replaceAll("$1Z\""));
        } catch (RuntimeException e) {
            return new Malformed("the Records do not have the shape of an S3 event notification");
        }
        List<S3EventNotificationRecord> records = notification.getRecords();
        if (records == null || records.isEmpty()) {
            return new Malformed("the S3 event notification has no Records");
        }
        List<Event> events = new ArrayList<>();
        for (S3EventNotificationRecord record : records) {
            Event event = record(record);
            if (event == null) {
                return new Malformed("an S3 event record names no bucket or object key");
            }
            events.add(event);
        }
        return new Events(shape, events);
    }

    private static Event record(S3EventNotificationRecord record) {
        if (record.getS3() == null
                || record.getS3().getBucket() == null
                || record.getS3().getObject() == null
                || record.getS3().getObject().getKey() == null) {
            return null;
        }
        String bucket = record.getS3().getBucket().getName();
        String name = record.getEventName() == null ? "" : record.getEventName();
        if (name.startsWith("s3:")) { // MinIO and others prefix it as the configuration does
            name = name.substring(3);
        }
        if (!name.startsWith("ObjectCreated:")) {
            return new Other(bucket, "event " + S3Names.quoteForLog(name));
        }
        S3Object object = record.getS3().getObject();
        String key;
        try {
            key = object.getUrlDecodedKey();
        } catch (IllegalArgumentException e) {
            return new Other(bucket, "a key that is not URL-encoded as S3 encodes keys");
        }
        Long size = object.getSizeAsLong();
        return new Created(
                bucket,
                key,
                unquote(object.getETag()),
                size == null ? -1 : size,
                object.getSequencer(),
                record.getEventTime(),
                name);
    }

    /**
     * EventBridge's "Object Created". Its key is decoded as S3's own shape is (form-style: {@code +} is a space),
     * as AWS's Lambda Powertools do; see the README for why that is safe for every key Pontus issues either way.
     */
    private static Parsed eventBridge(Map<String, JsonNode> fields) {
        if (!"aws.s3".equals(text(fields.get("source")))) {
            return new Malformed("the EventBridge event's source is not aws.s3");
        }
        String type = text(fields.get("detail-type"));
        JsonNode detail = fields.get("detail");
        String bucket = path(detail, "bucket", "name");
        String key = path(detail, "object", "key");
        if (bucket == null || key == null) {
            return new Malformed("the EventBridge event names no bucket or object key");
        }
        if (!"Object Created".equals(type)) {
            return new Events("eventbridge", List.of(new Other(bucket, "detail-type " + S3Names.quoteForLog(type))));
        }
        String decoded;
        try {
            decoded = URLDecoder.decode(key, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return new Events(
                    "eventbridge", List.of(new Other(bucket, "a key that is not URL-encoded as S3 encodes keys")));
        }
        String size = path(detail, "object", "size");
        Event created = new Created(
                bucket,
                decoded,
                unquote(path(detail, "object", "etag")),
                size == null ? -1 : parseLong(size),
                path(detail, "object", "sequencer"),
                instant(text(fields.get("time"))),
                "ObjectCreated:" + Optional.ofNullable(path(detail, "reason")).orElse(""));
        return new Events("eventbridge", List.of(created));
    }

    private static String path(JsonNode node, String... names) {
        JsonNode at = node;
        for (String name : names) {
            if (at == null || !at.isObject()) {
                return null;
            }
            at = at.asObject().get(name);
        }
        return text(at);
    }

    private static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isObject() || node.isArray()) {
            return null;
        }
        return node.isNumber() ? node.asNumber() : node.text();
    }

    private static long parseLong(String number) {
        try {
            return Long.parseLong(number);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Instant instant(String time) {
        try {
            return time == null ? null : Instant.parse(time);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static String unquote(String eTag) {
        if (eTag != null && eTag.length() >= 2 && eTag.startsWith("\"") && eTag.endsWith("\"")) {
            return eTag.substring(1, eTag.length() - 1);
        }
        return eTag;
    }
}
