package dev.pontus.sign;

import static java.time.temporal.ChronoField.DAY_OF_MONTH;
import static java.time.temporal.ChronoField.HOUR_OF_DAY;
import static java.time.temporal.ChronoField.MILLI_OF_SECOND;
import static java.time.temporal.ChronoField.MINUTE_OF_HOUR;
import static java.time.temporal.ChronoField.MONTH_OF_YEAR;
import static java.time.temporal.ChronoField.SECOND_OF_MINUTE;
import static java.time.temporal.ChronoField.YEAR;
import static java.util.Objects.requireNonNull;

import dev.pontus.S3Names;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
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
    /** 20151229T000000Z: fixed-width fields, which format faster than a pattern's. */
    private static final DateTimeFormatter AMZ_DATE = new DateTimeFormatterBuilder()
            .appendValue(YEAR, 4)
            .appendValue(MONTH_OF_YEAR, 2)
            .appendValue(DAY_OF_MONTH, 2)
            .appendLiteral('T')
            .appendValue(HOUR_OF_DAY, 2)
            .appendValue(MINUTE_OF_HOUR, 2)
            .appendValue(SECOND_OF_MINUTE, 2)
            .appendLiteral('Z')
            .toFormatter()
            .withZone(ZoneOffset.UTC);
    /** 2015-12-30T12:00:00.000Z */
    private static final DateTimeFormatter EXPIRATION = new DateTimeFormatterBuilder()
            .appendValue(YEAR, 4)
            .appendLiteral('-')
            .appendValue(MONTH_OF_YEAR, 2)
            .appendLiteral('-')
            .appendValue(DAY_OF_MONTH, 2)
            .appendLiteral('T')
            .appendValue(HOUR_OF_DAY, 2)
            .appendLiteral(':')
            .appendValue(MINUTE_OF_HOUR, 2)
            .appendLiteral(':')
            .appendValue(SECOND_OF_MINUTE, 2)
            .appendLiteral('.')
            .appendValue(MILLI_OF_SECOND, 3)
            .appendLiteral('Z')
            .toFormatter()
            .withZone(ZoneOffset.UTC);

    private final AwsCredentialsProvider credentials;
    private final Region region;
    private final URI endpoint;
    private final boolean pathStyle;
    /** Where the URL of a path-style bucket is this plus the bucket and "/"; the endpoint parsed once. */
    private final String pathStyleBase;
    /** Where a virtual-hosted bucket's URL is the scheme, the bucket, this and "/"; null when only path style works. */
    private final String virtualHostSuffix;

    private final Clock clock;
    private final String unvalidatedPrefix;
    private final Supplier<String> ids;
    private final AtomicReference<CachedKey> signingKey = new AtomicReference<>();
    /** The URL of the bucket signed for last: most signers serve one bucket, and parsing a URI costs more than HMAC. */
    private volatile BucketUrl lastUrl = new BucketUrl("", null);

    private PostSigner(Builder b) {
        this.credentials = b.credentials != null
                ? b.credentials
                : DefaultCredentialsProvider.builder().build();
        this.region = b.region != null ? b.region : new DefaultAwsRegionProviderChain().getRegion();
        this.endpoint = b.endpoint;
        this.pathStyle = b.pathStyle;
        this.clock = b.clock;
        this.unvalidatedPrefix = b.unvalidatedPrefix;
        this.ids = b.ids;
        if (endpoint == null) {
            RegionMetadata metadata = region.metadata();
            String host = "s3." + region.id() + "." + (metadata != null ? metadata.domain() : "amazonaws.com");
            this.pathStyleBase = "https://" + host + "/";
            this.virtualHostSuffix = "." + host + "/";
        } else {
            String host = endpoint.getHost();
            String port = endpoint.getPort() < 0 ? "" : ":" + endpoint.getPort();
            String path =
                    endpoint.getRawPath() == null ? "" : endpoint.getRawPath().replaceAll("/+$", "");
            boolean hostIsAddress = host.equals("localhost") || host.startsWith("[") || host.matches("[0-9.]+");
            this.pathStyleBase = endpoint.getScheme() + "://" + host + port + path + "/";
            this.virtualHostSuffix = hostIsAddress ? null : "." + host + port + path + "/";
        }
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
        String amzDate = AMZ_DATE.format(now);
        String date = amzDate.substring(0, 8);
        String credential = creds.accessKeyId() + "/" + SigV4.scope(date, region.id());

        String key = unvalidatedPrefix + (request.randomize() ? ids.get() + "/" : "") + request.key();
        String keyField = PostPolicyRequest.checkKey(request.keyIsPrefix() ? key + PostPolicyRequest.FILENAME : key);

        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("key", keyField);
        fields.putAll(request.fields());

        List<Condition> signers = new ArrayList<>(4);
        if (creds instanceof AwsSessionCredentials session) {
            signers.add(new Condition.Eq("x-amz-security-token", session.sessionToken()));
            fields.put("x-amz-security-token", session.sessionToken());
        }
        signers.add(new Condition.Eq("x-amz-algorithm", SigV4.ALGORITHM));
        signers.add(new Condition.Eq("x-amz-credential", credential));
        signers.add(new Condition.Eq("x-amz-date", amzDate));
        fields.put("x-amz-algorithm", SigV4.ALGORITHM);
        fields.put("x-amz-credential", credential);
        fields.put("x-amz-date", amzDate);
        String policy = PolicyJson.document(
                EXPIRATION.format(expiresAt),
                List.of(
                        new Condition.Eq("bucket", request.bucket()),
                        request.keyIsPrefix() ? new Condition.StartsWith("key", key) : new Condition.Eq("key", key)),
                request.conditionsJson(),
                signers);

        byte[] encoded = Base64.getEncoder().encode(policy.getBytes(StandardCharsets.UTF_8));
        fields.put("policy", new String(encoded, StandardCharsets.US_ASCII));
        fields.put("x-amz-signature", SigV4.hex(mac(creds, date).doFinal(encoded)));
        BucketUrl url = lastUrl;
        if (!url.bucket().equals(request.bucket())) {
            url = new BucketUrl(request.bucket(), url(request.bucket()));
            lastUrl = url;
        }
        return new PresignedPost(url.url(), fields, expiresAt);
    }

    /** The URL the form posts to: path-style for custom IP or localhost endpoints and for dotted bucket names. */
    URI url(String bucket) {
        if (pathStyle || virtualHostSuffix == null || bucket.indexOf('.') >= 0) {
            return URI.create(pathStyleBase + bucket + "/");
        }
        String scheme = endpoint == null ? "https" : endpoint.getScheme();
        return URI.create(scheme + "://" + bucket + virtualHostSuffix);
    }

    private Mac mac(AwsCredentials creds, String date) {
        CachedKey cached = signingKey.get();
        if (cached == null || !cached.matches(creds.secretAccessKey(), date)) {
            cached = new CachedKey(
                    creds.secretAccessKey(), date, SigV4.signingKey(creds.secretAccessKey(), date, region.id()));
            signingKey.set(cached);
        }
        return cached.macs.get();
    }

    private record BucketUrl(String bucket, URI url) {}

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

        private Builder() {}

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
            if (endpoint.getScheme() == null
                    || endpoint.getHost() == null
                    || !endpoint.getScheme().matches("https?")) {
                throw new IllegalArgumentException(
                        "endpoint: '" + endpoint + "' must be an absolute http(s) URL such as http://127.0.0.1:9000");
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
            S3Names.requireNoControlCharacters("unvalidatedPrefix", prefix);
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
