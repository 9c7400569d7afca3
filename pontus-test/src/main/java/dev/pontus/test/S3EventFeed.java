package dev.pontus.test;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * S3 event notifications for {@link LocalS3}, which sends none: a proxy in front of the store that watches every
 * successful object creation (browser POST, PUT, CopyObject, CompleteMultipartUpload) and sends the SQS message S3
 * would send, {@code {"Records":[…]}} shaped as {@link S3Event} describes, to a queue. Point the application's S3
 * endpoint (and the browser's form action) at {@link #endpoint()} instead of the store's.
 *
 * <pre>{@code
 * LocalS3 s3 = LocalS3.shared();
 * LocalSqs sqs = LocalSqs.shared();
 * String queueUrl = sqs.newQueue();
 * try (S3EventFeed feed = S3EventFeed.builder(s3).queue(sqs.client(), queueUrl).prefix("unvalidated/").start()) {
 *     S3Client client = feed.clientBuilder().build();   // uploads through the feed become events
 *     ...
 * }
 * }</pre>
 *
 * Like S3, the feed sends an event after the store has answered, at least once (exactly once here; resend one of
 * {@link #events()} to test duplicates). Differences from S3: only path-style requests are understood; the
 * sequencer grows across all keys in the order the store's answers arrive; {@code userIdentity} and
 * {@code ownerIdentity} name {@link S3Event#PRINCIPAL_ID}.
 */
public final class S3EventFeed implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(S3EventFeed.class.getName());
    private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?", Pattern.CASE_INSENSITIVE);
    private static final Pattern FIELD = Pattern.compile(
            "content-disposition:[^\r\n]*?\\bname=\"([^\"]*)\"(?:[^\r\n]*?\\bfilename=\"([^\"]*)\")?",
            Pattern.CASE_INSENSITIVE);

    private final LocalS3 store;
    private final Consumer<String> sink;
    private final String prefix;
    private final String region;
    private final Clock clock;
    private final List<S3Event> sent = new ArrayList<>();
    private final AtomicLong sequencer;
    private final ObservingProxy proxy;

    private S3EventFeed(Builder b) throws IOException {
        this.store = b.store;
        this.sink = requireNonNull(b.sink, "queue: say where events go with queue(sqsClient, queueUrl)");
        this.prefix = b.prefix;
        this.region = b.store.region().id();
        this.clock = b.clock;
        // Microseconds since the epoch: sequencers of a later feed are larger too, as S3's grow over time.
        this.sequencer = new AtomicLong(Instant.now(clock).toEpochMilli() * 1000);
        this.proxy = new ObservingProxy(
                store.endpoint(),
                EnumSet.of(S3Operation.PUT, S3Operation.POST_OBJECT, S3Operation.COPY, S3Operation.COMPLETE_MULTIPART),
                this::observed);
    }

    /** A feed in front of {@code store} (which must be started). */
    public static Builder builder(LocalS3 store) {
        return new Builder(store);
    }

    /** The feed's base URL: give it to S3 clients and browsers instead of the store's. */
    public URI endpoint() {
        return proxy.endpoint();
    }

    /** The store's client builder, through the feed. */
    public S3ClientBuilder clientBuilder() {
        return store.clientBuilder().endpointOverride(endpoint());
    }

    /** The store behind the feed. */
    public LocalS3 store() {
        return store;
    }

    /** The events sent so far, oldest first. */
    public synchronized List<S3Event> events() {
        return List.copyOf(sent);
    }

    /** Waits until at least {@code count} events were sent; fails with those sent when the time runs out. */
    public List<S3Event> awaitEvents(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (sent.size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("S3EventFeed sent " + sent.size() + " events within " + timeout
                            + ", expected " + count + ": " + sent);
                }
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
            return List.copyOf(sent);
        }
    }

    /** Sends what S3 sends once when a bucket's notification configuration is saved. */
    public void sendTestEvent(String bucket) {
        sink.accept(S3Event.testEventBody(bucket, Instant.now(clock)));
    }

    /** Sends {@code event} (again, or made by hand) as its own message. */
    public void send(S3Event event) {
        sink.accept(event.toMessageBody());
    }

    @Override
    public void close() {
        proxy.close();
    }

    @Override
    public String toString() {
        return "S3EventFeed[" + endpoint() + " -> " + store.endpoint() + ", prefix=" + prefix + "]";
    }

    private void observed(ObservingProxy.Exchange exchange) {
        try {
            eventFor(exchange).filter(e -> e.key().startsWith(prefix)).ifPresent(this::deliver);
        } catch (RuntimeException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "S3EventFeed could not make or send the event of a " + exchange.operation() + " (status "
                            + exchange.status() + ")",
                    e);
        }
    }

    private void deliver(S3Event event) {
        sink.accept(event.toMessageBody());
        synchronized (this) {
            sent.add(event);
            notifyAll();
        }
    }

    /** The event S3 would send for this exchange; empty when the store did not create an object. */
    private Optional<S3Event> eventFor(ObservingProxy.Exchange exchange) {
        if (!succeeded(exchange)) {
            return Optional.empty();
        }
        String[] bucketAndKey = exchange.operation() == S3Operation.POST_OBJECT
                ? postedBucketAndKey(exchange)
                : pathBucketAndKey(exchange.target());
        if (bucketAndKey == null) {
            return Optional.empty();
        }
        String sequence = String.format("%018X", sequencer.incrementAndGet());
        HeadObjectResponse head = head(bucketAndKey[0], bucketAndKey[1]);
        String requestId = exchange.responseHeaders()
                .getOrDefault("x-amz-request-id", HexFormat.of().withUpperCase().toHexDigits(randomLong()));
        return Optional.of(new S3Event(
                eventName(exchange.operation()),
                region,
                bucketAndKey[0],
                bucketAndKey[1],
                head.contentLength(),
                head.eTag(),
                sequence,
                Instant.now(clock),
                exchange.clientAddress(),
                requestId));
    }

    /** 2xx (or a POST's 303 redirect), and for copy and complete no error inside the 200, which S3 can send. */
    private static boolean succeeded(ObservingProxy.Exchange exchange) {
        int status = exchange.status();
        boolean ok = status / 100 == 2 || (status == 303 && exchange.operation() == S3Operation.POST_OBJECT);
        return ok && !new String(exchange.responseStart(), UTF_8).contains("<Error>");
    }

    /**
     * The object as stored now: its size and ETag, the answer's own unless it was replaced since (S3's event would
     * still name what was created; the newest is what we know).
     */
    private HeadObjectResponse head(String bucket, String key) {
        return store.client().headObject(b -> b.bucket(bucket).key(key));
    }

    private static String eventName(S3Operation operation) {
        return switch (operation) {
            case PUT -> "ObjectCreated:Put";
            case POST_OBJECT -> "ObjectCreated:Post";
            case COPY -> "ObjectCreated:Copy";
            case COMPLETE_MULTIPART -> "ObjectCreated:CompleteMultipartUpload";
            default -> throw new IllegalArgumentException("not an object creation: " + operation);
        };
    }

    /** Bucket and key of a path-style request target; a {@code +} in a path is a plus sign, not a space. */
    static String[] pathBucketAndKey(String target) {
        String path = target.split("\\?", 2)[0];
        path = URLDecoder.decode(path.replace("+", "%2B"), UTF_8);
        path = path.startsWith("/") ? path.substring(1) : path;
        int slash = path.indexOf('/');
        return slash <= 0 || slash == path.length() - 1
                ? null
                : new String[] {path.substring(0, slash), path.substring(slash + 1)};
    }

    /** A browser POST: the bucket from the path, the key from the form (with {@code ${filename}} filled in). */
    private static String[] postedBucketAndKey(ObservingProxy.Exchange exchange) {
        String bucket = exchange.target().split("\\?", 2)[0].replaceAll("^/+|/+$", "");
        Matcher boundary = BOUNDARY.matcher(exchange.requestHeaders().getOrDefault("content-type", ""));
        if (bucket.isEmpty() || bucket.contains("/") || !boundary.find()) {
            return null;
        }
        String key = formKey(exchange.requestStart(), boundary.group(1));
        return key == null ? null : new String[] {bucket, key};
    }

    /**
     * The {@code key} field of a multipart form, with {@code ${filename}} replaced by the file part's file name as
     * S3 does. The fields come before the file (S3 requires the file last), so the start of the body holds them.
     */
    static String formKey(byte[] bodyStart, String boundary) {
        String body = new String(bodyStart, ISO_8859_1); // one char per byte: offsets stay byte offsets
        String key = null;
        for (String part : body.split("--" + Pattern.quote(boundary))) {
            int end = part.indexOf("\r\n\r\n");
            Matcher field = end < 0 ? null : FIELD.matcher(part.substring(0, end));
            if (field == null || !field.find()) {
                continue;
            }
            if (field.group(2) != null) {
                String filename = utf8(field.group(2));
                return key == null ? null : key.replace("${filename}", filename);
            }
            if (field.group(1).equalsIgnoreCase("key")) {
                String value = part.substring(end + 4);
                key = utf8(value.endsWith("\r\n") ? value.substring(0, value.length() - 2) : value);
            }
        }
        return key;
    }

    private static String utf8(String latin1) {
        return new String(latin1.getBytes(ISO_8859_1), UTF_8);
    }

    private static long randomLong() {
        return ThreadLocalRandom.current().nextLong();
    }

    /** Builds an {@link S3EventFeed}. */
    public static final class Builder {
        private final LocalS3 store;
        private Consumer<String> sink;
        private String prefix = "";
        private Clock clock = Clock.systemUTC();

        private Builder(LocalS3 store) {
            this.store = requireNonNull(store, "store");
        }

        /** Sends each event as one message to this queue. */
        public Builder queue(SqsClient sqs, String queueUrl) {
            requireNonNull(sqs, "sqs");
            requireNonNull(queueUrl, "queueUrl");
            this.sink = body -> sqs.sendMessage(m -> m.queueUrl(queueUrl).messageBody(body));
            return this;
        }

        /** Hands each message body to {@code sink} instead of a queue (for SNS, EventBridge, or a list). */
        public Builder sink(Consumer<String> sink) {
            this.sink = requireNonNull(sink, "sink");
            return this;
        }

        /** Only keys starting with this, like a notification configuration's prefix filter (default: all). */
        public Builder prefix(String prefix) {
            this.prefix = requireNonNull(prefix, "prefix");
            return this;
        }

        /** The clock for event times (default: the system's, in UTC). */
        public Builder clock(Clock clock) {
            this.clock = requireNonNull(clock, "clock");
            return this;
        }

        /** Starts the feed's proxy on a free loopback port. */
        public S3EventFeed start() {
            if (store.endpoint() == null) {
                throw new IllegalStateException("store: start the LocalS3 before the feed in front of it");
            }
            try {
                return new S3EventFeed(this);
            } catch (IOException e) {
                throw new IllegalStateException("S3EventFeed could not listen on a loopback port: " + e, e);
            }
        }
    }
}
