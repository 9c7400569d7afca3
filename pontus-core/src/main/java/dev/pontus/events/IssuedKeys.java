package dev.pontus.events;

import java.util.Map;
import java.util.Optional;

/**
 * Tells whether this application issued an upload key, and to whom, from the key and the uploaded object's user
 * metadata, so that an event for a key it did not issue never leads to a promotion. Pontus's Spring Boot starter
 * checks the key's MAC against the uploader that the POST policy (or CreateMultipartUpload) pinned in the
 * object's metadata.
 *
 * <pre>{@code
 * IssuedKeys keys = (key, metadata) -> myMacCheck(key, metadata.get("uploader"));
 * }</pre>
 */
@FunctionalInterface
public interface IssuedKeys {
    /** Every key under the unvalidated prefix counts as issued, to an anonymous user (""). */
    IssuedKeys ANY = (key, metadata) -> Optional.of("");

    /**
     * The user {@code key} was issued to ("" when anonymous), or empty when this application did not issue it.
     *
     * @param metadata the object's user metadata ({@code x-amz-meta-*} without the prefix, names in lower case)
     */
    Optional<String> owner(String key, Map<String, String> metadata);
}
