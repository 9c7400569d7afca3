package dev.pontus.validate;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * A read-only view of an uploaded object, read by ranged GETs: what S3 stored about it, its first bytes and, when
 * it is larger than those, its last ones.
 *
 * @param bucket       the bucket
 * @param key          the key
 * @param size         the object's whole size in bytes
 * @param contentType  the Content-Type S3 stored, as the browser declared it (may be null)
 * @param metadata     the user metadata (x-amz-meta-*), names in lower case
 * @param eTag         the ETag, which promotion's copy is conditional on
 * @param lastModified when S3 stored it
 * @param detectedType the MIME type sniffed from the head, such as {@code image/jpeg}
 * @param head         the object's first bytes (all of them for a small object)
 * @param tail         the object's last bytes when it is larger than the head, else empty
 */
public record UploadedObject(
        String bucket,
        String key,
        long size,
        String contentType,
        Map<String, String> metadata,
        String eTag,
        Instant lastModified,
        String detectedType,
        byte[] head,
        byte[] tail) {

    public UploadedObject {
        requireNonNull(bucket, "bucket");
        requireNonNull(key, "key");
        requireNonNull(detectedType, "detectedType");
        metadata = Map.copyOf(metadata);
        head = head.clone();
        tail = tail.clone();
    }

    /** An object read by its head alone. */
    public UploadedObject(
            String bucket,
            String key,
            long size,
            String contentType,
            Map<String, String> metadata,
            String eTag,
            Instant lastModified,
            String detectedType,
            byte[] head) {
        this(bucket, key, size, contentType, metadata, eTag, lastModified, detectedType, head, new byte[0]);
    }

    /** The object's first bytes (all of them for a small object); a copy. */
    @Override
    public byte[] head() {
        return head.clone();
    }

    /** The head without a copy, for the built-in validators that only read it. */
    byte[] headUnsafe() {
        return head;
    }

    /** The object's last bytes (empty when the head holds all of it); a copy. */
    @Override
    public byte[] tail() {
        return tail.clone();
    }

    byte[] tailUnsafe() {
        return tail;
    }

    /** The file name: the key's last segment. */
    public String fileName() {
        return key.substring(key.lastIndexOf('/') + 1);
    }

    /** Equal when every component is: the arrays by their content. */
    @Override
    public boolean equals(Object other) {
        return other instanceof UploadedObject o
                && bucket.equals(o.bucket)
                && key.equals(o.key)
                && size == o.size
                && Objects.equals(contentType, o.contentType)
                && metadata.equals(o.metadata)
                && Objects.equals(eTag, o.eTag)
                && Objects.equals(lastModified, o.lastModified)
                && detectedType.equals(o.detectedType)
                && Arrays.equals(head, o.head)
                && Arrays.equals(tail, o.tail);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                bucket,
                key,
                size,
                contentType,
                metadata,
                eTag,
                lastModified,
                detectedType,
                Arrays.hashCode(head),
                Arrays.hashCode(tail));
    }

    @Override
    public String toString() {
        return "UploadedObject[bucket=" + bucket + ", key=" + key + ", size=" + size + ", contentType=" + contentType
                + ", detectedType=" + detectedType + ", eTag=" + eTag + ", metadata=" + metadata + "]";
    }
}
