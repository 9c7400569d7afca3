package dev.pontus.sign;

import static java.util.Objects.requireNonNull;

import dev.pontus.S3Names;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What a browser may upload: the bucket, the key, the form fields and the conditions S3 enforces on them.
 * Immutable; build it with {@link #builder()} and sign it with {@link PostSigner#sign}.
 *
 * <pre>{@code
 * PostPolicyRequest request = PostPolicyRequest.builder()
 *         .bucket("photos")
 *         .keyStartsWith("users/42/")          // the browser picks the rest: users/42/${filename}
 *         .contentTypeStartsWith("image/")
 *         .contentLengthRange(1, 10 * 1024 * 1024)
 *         .expiresIn(Duration.ofMinutes(5))
 *         .build();
 * }</pre>
 *
 * <p>Every form field must be covered by a condition and satisfy it; {@link Builder#build()} checks this, so
 * a request that S3 would refuse is never signed.
 */
public final class PostPolicyRequest {
    /** The original Pontus's defaults: at least 1 byte, at most 20 MiB. */
    public static final long DEFAULT_MIN_SIZE = 1;

    public static final long DEFAULT_MAX_SIZE = 20L * 1024 * 1024;
    public static final Duration DEFAULT_EXPIRY = Duration.ofMinutes(10);
    /** A filename placeholder that S3 replaces with the uploaded file's name. */
    public static final String FILENAME = "${filename}";

    private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]+");
    private static final Set<String> CANNED_ACLS = Set.of(
            "private",
            "public-read",
            "public-read-write",
            "aws-exec-read",
            "authenticated-read",
            "bucket-owner-read",
            "bucket-owner-full-control",
            "log-delivery-write");
    /** Fields the signer writes itself, and the file part. */
    private static final Set<String> RESERVED = Set.of(
            "bucket",
            "key",
            "policy",
            "file",
            "x-amz-algorithm",
            "x-amz-credential",
            "x-amz-date",
            "x-amz-signature",
            "x-amz-security-token",
            "content-length-range");

    private final String bucket;
    private final String key;
    private final boolean keyIsPrefix;
    private final boolean randomize;
    private final Map<String, String> fields;
    private final List<Condition> conditions;
    private final Condition.ContentLengthRange contentLengthRange;
    private final Duration expiresIn;
    private final String conditionsJson;

    private PostPolicyRequest(Builder b, Map<String, String> fields, List<Condition> conditions) {
        this.bucket = b.bucket;
        this.key = b.key;
        this.keyIsPrefix = b.keyIsPrefix;
        this.randomize = b.randomize;
        this.fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        this.conditions = List.copyOf(conditions);
        this.contentLengthRange = new Condition.ContentLengthRange(b.minSize, b.maxSize);
        this.expiresIn = b.expiresIn;
        List<Condition> all = new ArrayList<>(this.conditions);
        all.add(contentLengthRange);
        this.conditionsJson = PolicyJson.conditions(all);
    }

    /** This request's own conditions as policy JSON, each after a comma; rendered once, signed many times. */
    String conditionsJson() {
        return conditionsJson;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The bucket the upload goes to. */
    public String bucket() {
        return bucket;
    }

    /** The key, or the key prefix when {@link #keyIsPrefix()}; before the signer's prefixes. */
    public String key() {
        return key;
    }

    /** Whether the browser may choose any key that starts with {@link #key()}. */
    public boolean keyIsPrefix() {
        return keyIsPrefix;
    }

    /** Whether the signer puts a random id before the key, so uploads never overwrite each other. */
    public boolean randomize() {
        return randomize;
    }

    /** The form fields besides key and the signer's own, in order. */
    public Map<String, String> fields() {
        return fields;
    }

    /** The conditions besides bucket, key, content length and the signer's own, in order. */
    public List<Condition> conditions() {
        return conditions;
    }

    /** The allowed file size in bytes, both bounds inclusive. */
    public Condition.ContentLengthRange contentLengthRange() {
        return contentLengthRange;
    }

    /** How long the signed policy stays valid. */
    public Duration expiresIn() {
        return expiresIn;
    }

    @Override
    public String toString() {
        return "PostPolicyRequest[bucket=" + bucket + ", key=" + key + (keyIsPrefix ? "*" : "") + ", fields=" + fields
                + ", conditions=" + conditions + ", " + contentLengthRange + ", expiresIn=" + expiresIn + "]";
    }

    /** Checks the final key, after the signer has put its prefixes before it. */
    static String checkKey(String key) {
        return S3Names.requireKey("key", key);
    }

    /** Builds a {@link PostPolicyRequest}; {@link #build()} checks every argument. */
    public static final class Builder {
        private String bucket;
        private String key;
        private boolean keyIsPrefix;
        private boolean randomize;
        private final Map<String, String> fields = new LinkedHashMap<>();
        private final List<Condition> conditions = new ArrayList<>();
        private long minSize = DEFAULT_MIN_SIZE;
        private long maxSize = DEFAULT_MAX_SIZE;
        private Duration expiresIn = DEFAULT_EXPIRY;
        private boolean successSet;

        private Builder() {}

        public Builder bucket(String bucket) {
            this.bucket = bucket;
            return this;
        }

        /** The exact key the browser must upload to. */
        public Builder key(String key) {
            this.key = key;
            this.keyIsPrefix = false;
            return this;
        }

        /**
         * Any key that starts with {@code prefix}; the form's key field is {@code prefix + "${filename}"}, which
         * S3 fills with the uploaded file's name. An empty prefix allows any key.
         */
        public Builder keyStartsWith(String prefix) {
            this.key = prefix;
            this.keyIsPrefix = true;
            return this;
        }

        /** Whether the signer puts a random id before the key (Pontus's {@code randomize}). Off by default. */
        public Builder randomize(boolean randomize) {
            this.randomize = randomize;
            return this;
        }

        /** The exact Content-Type the object is stored with. */
        public Builder contentType(String contentType) {
            return field("Content-Type", contentType);
        }

        /** A Content-Type prefix such as {@code image/}; the browser sends the Content-Type field itself. */
        public Builder contentTypeStartsWith(String prefix) {
            return startsWith("Content-Type", prefix);
        }

        /** The allowed file size in bytes, both bounds inclusive (default 1 byte .. 20 MiB). */
        public Builder contentLengthRange(long min, long max) {
            this.minSize = min;
            this.maxSize = max;
            return this;
        }

        /** How long the policy stays valid: more than zero, at most seven days (default 10 minutes). */
        public Builder expiresIn(Duration expiresIn) {
            this.expiresIn = expiresIn;
            return this;
        }

        /** The HTTP status S3 answers a good upload with: 200, 201 (the default) or 204. */
        public Builder successActionStatus(int status) {
            if (status != 200 && status != 201 && status != 204) {
                throw new IllegalArgumentException("successActionStatus: must be 200, 201 or 204, got " + status);
            }
            successSet = true;
            fields.remove("success_action_redirect");
            conditions.removeIf(c -> "success_action_redirect".equals(c.fieldName()));
            return field("success_action_status", Integer.toString(status));
        }

        /** Where S3 redirects the browser (303) after a good upload, instead of a status. */
        public Builder successActionRedirect(String url) {
            requireNonNull(url, "successActionRedirect");
            if (!url.startsWith("http://") && !url.startsWith("https://")) {
                throw new IllegalArgumentException("successActionRedirect: must be an http(s) URL, got " + url);
            }
            successSet = true;
            fields.remove("success_action_status");
            conditions.removeIf(c -> "success_action_status".equals(c.fieldName()));
            return field("success_action_redirect", url);
        }

        /** A canned ACL such as {@code public-read}; none by default, since new buckets have ACLs disabled. */
        public Builder acl(String cannedAcl) {
            if (!CANNED_ACLS.contains(cannedAcl)) {
                throw new IllegalArgumentException(
                        "acl: '" + cannedAcl + "' is not a canned ACL; use one of " + new TreeSet<>(CANNED_ACLS));
            }
            return field("acl", cannedAcl);
        }

        /** User metadata {@code x-amz-meta-NAME} with an exact value. */
        public Builder metadata(String name, String value) {
            return field("x-amz-meta-" + name, value);
        }

        /** User metadata {@code x-amz-meta-NAME} whose value starts with {@code prefix} ("" for any). */
        public Builder metadataStartsWith(String name, String prefix) {
            return startsWith("x-amz-meta-" + name, prefix);
        }

        public Builder cacheControl(String value) {
            return field("Cache-Control", value);
        }

        public Builder contentDisposition(String value) {
            return field("Content-Disposition", value);
        }

        /** Server-side encryption: {@code AES256}, {@code aws:kms} or {@code aws:kms:dsse}. */
        public Builder serverSideEncryption(String algorithm) {
            return field("x-amz-server-side-encryption", algorithm);
        }

        /** Any other form field with an exact value; it gets an exact-match condition. */
        public Builder field(String name, String value) {
            requireNonNull(value, name);
            formField(name, value);
            conditions.removeIf(c -> name.equalsIgnoreCase(c.fieldName()));
            conditions.add(new Condition.Eq(name, value));
            return this;
        }

        /** A condition that the browser's value for {@code name} starts with {@code prefix}; "" allows any. */
        public Builder startsWith(String name, String prefix) {
            requireNonNull(prefix, name);
            conditions.removeIf(c -> name.equalsIgnoreCase(c.fieldName()));
            return condition(new Condition.StartsWith(name, prefix));
        }

        /** A condition only; pair it with {@link #formField} or let the browser send the field. */
        public Builder condition(Condition condition) {
            requireNonNull(condition, "condition");
            if (condition instanceof Condition.ContentLengthRange range) {
                return contentLengthRange(range.min(), range.max());
            }
            conditions.add(condition);
            return this;
        }

        /** A form field only; {@link #build()} refuses it unless a condition covers it and it satisfies it. */
        public Builder formField(String name, String value) {
            requireNonNull(name, "field name");
            requireNonNull(value, name);
            fields.keySet().removeIf(name::equalsIgnoreCase);
            fields.put(name, value);
            return this;
        }

        public PostPolicyRequest build() {
            S3Names.requireBucket(bucket);
            if (key == null) {
                throw new IllegalArgumentException("key: is not set; call key(...) or keyStartsWith(...)");
            }
            if (keyIsPrefix) {
                S3Names.requireNoControlCharacters("key", key);
            } else {
                checkKey(key);
            }
            new Condition.ContentLengthRange(minSize, maxSize);
            S3Names.requireExpiry("expiresIn", expiresIn);
            Map<String, String> fields = new LinkedHashMap<>(this.fields);
            List<Condition> conditions = new ArrayList<>(this.conditions);
            if (!successSet && !fields.containsKey("success_action_status")) { // S3's own default, 204, has no body
                fields.put("success_action_status", "201");
                conditions.add(new Condition.Eq("success_action_status", "201"));
            }
            for (Condition c : conditions) {
                String name = c.fieldName();
                checkFieldName(name);
                S3Names.requireNoControlCharacters(name, c.text());
            }
            for (Map.Entry<String, String> field : fields.entrySet()) {
                String name = field.getKey().toLowerCase(Locale.ROOT);
                checkFieldName(name);
                S3Names.requireNoControlCharacters(name, field.getValue());
                Condition covering = conditions.stream()
                        .filter(c -> name.equals(c.fieldName()))
                        .findFirst()
                        .orElseThrow(() -> new IllegalArgumentException(name + ": form field has no policy condition,"
                                + " so S3 would refuse the upload; add field(...) or startsWith(...) for it"));
                if (!covering.accepts(field.getValue())) {
                    throw new IllegalArgumentException(
                            name + ": value '" + field.getValue() + "' does not satisfy its condition " + covering);
                }
            }
            return new PostPolicyRequest(this, fields, conditions);
        }

        private static void checkFieldName(String name) {
            if (!FIELD_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("field name '" + name + "': must be a non-empty HTTP token"
                        + " (letters, digits, '-', '_', ...)");
            }
            if (RESERVED.contains(name)) {
                throw new IllegalArgumentException(name + ": is set by "
                        + (name.equals("key")
                                ? "key(...)"
                                : name.equals("content-length-range") ? "contentLengthRange(...)" : "the signer")
                        + "; do not set it as a field");
            }
        }
    }
}
