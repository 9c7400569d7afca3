package dev.pontus.sign;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A signed browser upload: POST a multipart form to {@link #url()} with {@link #fields()} in order and the
 * file last, before {@link #expiresAt()}.
 *
 * @param url       where the form goes; ends with "/"
 * @param fields    the form fields, in the order they must be sent
 * @param expiresAt when S3 starts refusing the policy
 */
public record PresignedPost(URI url, Map<String, String> fields, Instant expiresAt) {
    public PresignedPost {
        requireNonNull(url, "url");
        requireNonNull(expiresAt, "expiresAt");
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** The key field: the object key, or a key ending in {@code ${filename}} for a starts-with key. */
    public String key() {
        return fields.get("key");
    }

    /** Redacts the signature and any session token. */
    @Override
    public String toString() {
        Map<String, String> shown = new LinkedHashMap<>(fields);
        shown.replaceAll((name, value) ->
                name.equals("x-amz-signature") || name.equals("x-amz-security-token") ? "(redacted)" : value);
        shown.computeIfPresent("policy", (name, value) -> "(" + value.length() + " chars)");
        return "PresignedPost[url=" + url + ", fields=" + shown + ", expiresAt=" + expiresAt + "]";
    }
}
