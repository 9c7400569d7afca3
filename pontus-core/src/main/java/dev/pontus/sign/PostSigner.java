package dev.pontus.sign;

import static java.util.Objects.requireNonNull;

import dev.pontus.internal.SigV4;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.crypto.Mac;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.RegionMetadata;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

/**
 * Signs {@link PostPolicyRequest}s into {@link PresignedPost}s (AWS Signature Version 4 POST policies).
 * Thread-safe; build one and share it.
 *
 * <pre>{@code
 * PostSigner signer = PostSigner.builder()
 *         .region(Region.EU_WEST_1)                  // default: the AWS region provider chain
 *         .unvalidatedPrefix("unvalidated/")         // uploads land here until validated
 *         .build();                                  // credentials: the default provider chain
 * PresignedPost post = signer.sign(PostPolicyRequest.builder().bucket("photos").key("cat.jpg").build());
 * // hand post.url() and post.fields() to the browser
 * }</pre>
 *
 * <p>Credentials are resolved at every signing, so rotated credentials are used as soon as the provider has
 * them; temporary credentials add {@code x-amz-security-token}, and the policy never outlives them.
 */
public final class PostSigner {
    private final AwsCredentialsProvider credentials;
    private final Region region;
    private final URI endpoint;
    private final boolean pathStyle;
    private final Clock clock;
    private final String unvalidatedPrefix;
    private final Supplier<String> ids;
    private final AtomicReference<CachedKey> signingKey = new AtomicReference<>();
    /** URLs by bucket: a few buckets per signer, so the map stays small. */
    private final Map<String, URI> urls = new java.util.concurrent.ConcurrentHashMap<>();

    private PostSigner(Builder b) {
        this.credentials = b.credentials != null ? b.credentials : DefaultCredentialsProvider.builder().build();
        this.region = b.region != null ? b.region : new DefaultAwsRegionProviderChain().getRegion();
        this.endpoint = b.endpoint;
        this.pathStyle = b.pathStyle;
        this.clock = b.clock;
        this.unvalidatedPrefix = b.unvalidatedPrefix;
        this.ids = b.ids;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The prefix every signed key starts with ("" for none); validation removes it at promotion. */
    public String unvalidatedPrefix() {
        return unvalidatedPrefix;
    }

    AwsCredentialsProvider credentials() {
        return credentials;
    }

    /** Signs the request at the signer's clock's current instant. */
    public PresignedPost sign(PostPolicyRequest request) {
        AwsCredentials creds = credentials.resolveCredentials();
        Instant now = clock.instant();
        Instant expiresAt = now.plus(request.expiresIn());
        if (creds.expirationTime().isPresent() && creds.expirationTime().get().isBefore(expiresAt)) {
            expiresAt = creds.expirationTime().get();
            if (!expiresAt.isAfter(now)) {
                throw new IllegalStateException("credentials: expired at " + expiresAt
                        + "; the credentials provider returned stale temporary credentials");
            }
        }
        String amzDate = amzDate(now);
        String date = amzDate.substring(0, 8);
        String credential = creds.accessKeyId() + "/" + SigV4.scope(date, region.id());

        String key = unvalidatedPrefix + (request.randomize() ? ids.get() + "/" : "") + request.key();
        String keyField = PostPolicyRequest.checkKey(request.keyIsPrefix() ? key + PostPolicyRequest.FILENAME : key);

        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("key", keyField);
        fields.putAll(request.fields());

        StringBuilder policy = new StringBuilder(640)
                .append("{\"expiration\":\"").append(iso(expiresAt)).append("\",\"conditions\":[");
        PolicyJson.eq(policy, "bucket", request.bucket());
        if (request.keyIsPrefix()) {
            PolicyJson.startsWith(policy.append(','), "key", key);
        } else {
            PolicyJson.eq(policy.append(','), "key", key);
        }
        policy.append(request.conditionsJson());
        if (creds instanceof AwsSessionCredentials session) {
            PolicyJson.eq(policy.append(','), "x-amz-security-token", session.sessionToken());
            fields.put("x-amz-security-token", session.sessionToken());
        }
        PolicyJson.eq(policy.append(','), "x-amz-algorithm", SigV4.ALGORITHM);
        PolicyJson.eq(policy.append(','), "x-amz-credential", credential);
        PolicyJson.eq(policy.append(','), "x-amz-date", amzDate);
        policy.append("]}");
        fields.put("x-amz-algorithm", SigV4.ALGORITHM);
        fields.put("x-amz-credential", credential);
        fields.put("x-amz-date", amzDate);

        byte[] encoded = Base64.getEncoder().encode(policy.toString().getBytes(StandardCharsets.UTF_8));
        fields.put("policy", new String(encoded, StandardCharsets.US_ASCII));
        fields.put("x-amz-signature", SigV4.hex(mac(creds, date).doFinal(encoded)));
        if (urls.size() > 64) {
            urls.clear();
        }
        return new PresignedPost(urls.computeIfAbsent(request.bucket(), this::url), fields, expiresAt);
    }

    /** The URL the form posts to: path-style for custom IP or localhost endpoints and for dotted bucket names. */
    URI url(String bucket) {
        boolean path = pathStyle || bucket.indexOf('.') >= 0;
        if (endpoint == null) {
            RegionMetadata metadata = region.metadata();
            String host = "s3." + region.id() + "." + (metadata != null ? metadata.domain() : "amazonaws.com");
            return URI.create(path ? "https://" + host + "/" + bucket + "/" : "https://" + bucket + "." + host + "/");
        }
        String host = endpoint.getHost();
        String base = endpoint.getScheme() + "://";
        String port = endpoint.getPort() < 0 ? "" : ":" + endpoint.getPort();
        String basePath = endpoint.getRawPath() == null ? "" : endpoint.getRawPath().replaceAll("/+$", "");
        if (path || host.equals("localhost") || host.startsWith("[") || host.matches("[0-9.]+")) {
            return URI.create(base + host + port + basePath + "/" + bucket + "/");
        }
        return URI.create(base + bucket + "." + host + port + basePath + "/");
    }

    private Mac mac(AwsCredentials creds, String date) {
        CachedKey cached = signingKey.get();
        if (cached == null || !cached.matches(creds.secretAccessKey(), date)) {
            cached = new CachedKey(creds.secretAccessKey(), date,
                    SigV4.signingKey(creds.secretAccessKey(), date, region.id()));
            signingKey.set(cached);
        }
        return cached.macs.get();
    }

    /** The x-amz-date of the last second signed in; most signings in a busy second share it. */
    private final AtomicReference<DateStamp> lastDate = new AtomicReference<>(new DateStamp(Long.MIN_VALUE, ""));

    private record DateStamp(long epochSecond, String amzDate) {
    }

    private String amzDate(Instant t) {
        DateStamp last = lastDate.get();
        if (last.epochSecond() != t.getEpochSecond()) {
            last = new DateStamp(t.getEpochSecond(), formatAmzDate(t));
            lastDate.set(last);
        }
        return last.amzDate();
    }

    /** 20151229T000000Z */
    private static String formatAmzDate(Instant t) {
        LocalDateTime d = LocalDateTime.ofEpochSecond(t.getEpochSecond(), 0, ZoneOffset.UTC);
        StringBuilder s = new StringBuilder(16);
        pad(s, d.getYear(), 4).append(pad2(d.getMonthValue())).append(pad2(d.getDayOfMonth())).append('T')
                .append(pad2(d.getHour())).append(pad2(d.getMinute())).append(pad2(d.getSecond())).append('Z');
        return s.toString();
    }

    /** 2015-12-30T12:00:00.000Z */
    private static String iso(Instant t) {
        LocalDateTime d = LocalDateTime.ofEpochSecond(t.getEpochSecond(), 0, ZoneOffset.UTC);
        StringBuilder s = new StringBuilder(24);
        pad(s, d.getYear(), 4).append('-').append(pad2(d.getMonthValue())).append('-')
                .append(pad2(d.getDayOfMonth())).append('T').append(pad2(d.getHour())).append(':')
                .append(pad2(d.getMinute())).append(':').append(pad2(d.getSecond())).append('.');
        return pad(s, t.getNano() / 1_000_000, 3).append('Z').toString();
    }

    private static StringBuilder pad(StringBuilder s, int value, int width) {
        String digits = Integer.toString(value);
        return s.append("0".repeat(Math.max(0, width - digits.length()))).append(digits);
    }

    private static String pad2(int value) {
        return value < 10 ? "0" + value : Integer.toString(value);
    }

    /**
     * One derived key, with a Mac per thread (a Mac is not thread-safe, and making one costs more than signing);
     * holds the secret only to compare it, and has no toString that could print it.
     */
    private static final class CachedKey {
        private final String secret;
        private final String date;
        private final ThreadLocal<Mac> macs;

        CachedKey(String secret, String date, byte[] key) {
            this.secret = secret;
            this.date = date;
            this.macs = ThreadLocal.withInitial(() -> SigV4.mac(key));
        }

        boolean matches(String secret, String date) {
            return this.secret.equals(secret) && this.date.equals(date);
        }
    }

    /** Builds a {@link PostSigner}. */
    public static final class Builder {
        private AwsCredentialsProvider credentials;
        private Region region;
        private URI endpoint;
        private boolean pathStyle;
        private Clock clock = Clock.systemUTC();
        private String unvalidatedPrefix = "";
        private Supplier<String> ids = () -> UUID.randomUUID().toString();

        private Builder() {
        }

        /** Where credentials come from at each signing (default: the AWS default credentials chain). */
        public Builder credentialsProvider(AwsCredentialsProvider credentials) {
            this.credentials = requireNonNull(credentials, "credentialsProvider");
            return this;
        }

        /** The bucket's region (default: the AWS region provider chain). */
        public Builder region(Region region) {
            this.region = requireNonNull(region, "region");
            return this;
        }

        /** A custom S3-compatible endpoint such as {@code http://127.0.0.1:9000} (default: AWS). */
        public Builder endpoint(URI endpoint) {
            requireNonNull(endpoint, "endpoint");
            if (endpoint.getScheme() == null || endpoint.getHost() == null
                    || !endpoint.getScheme().matches("https?")) {
                throw new IllegalArgumentException("endpoint: '" + endpoint
                        + "' must be an absolute http(s) URL such as http://127.0.0.1:9000");
            }
            this.endpoint = endpoint;
            return this;
        }

        /** Whether the URL is {@code host/bucket/} instead of {@code bucket.host/}. */
        public Builder pathStyle(boolean pathStyle) {
            this.pathStyle = pathStyle;
            return this;
        }

        /** The clock that dates signatures and policies (default: the system UTC clock). */
        public Builder clock(Clock clock) {
            this.clock = requireNonNull(clock, "clock");
            return this;
        }

        /** A prefix put before every key, such as {@code unvalidated/} (default: none). */
        public Builder unvalidatedPrefix(String prefix) {
            requireNonNull(prefix, "unvalidatedPrefix");
            PostPolicyRequest.checkText("unvalidatedPrefix", prefix);
            if (prefix.startsWith("/")) {
                throw new IllegalArgumentException("unvalidatedPrefix: must not start with '/', got '" + prefix + "'");
            }
            this.unvalidatedPrefix = prefix;
            return this;
        }

        /** Where random key ids come from when a request asks to randomize (default: random UUIDs). */
        public Builder ids(Supplier<String> ids) {
            this.ids = requireNonNull(ids, "ids");
            return this;
        }

        public PostSigner build() {
            return new PostSigner(this);
        }
    }

    @Override
    public String toString() {
        return "PostSigner[region=" + region + ", endpoint=" + (endpoint == null ? "AWS" : endpoint) + ", pathStyle="
                + pathStyle + ", unvalidatedPrefix=" + unvalidatedPrefix + "]";
    }
}
