package dev.pontus.multipart;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which upload ids belong to which key. S3 ties an upload id to its key; some stores (S3Proxy) do not, and their
 * ListParts answers an empty list for another key's id, so the upload listing is asked. Trusted for a while once
 * found, so that signing part after part costs one listing.
 */
final class UploadOwnership {
    /** How long an upload id found under its key is trusted without asking S3 again. */
    private static final Duration TTL = Duration.ofSeconds(30);

    private static final int CACHE_SIZE = 10_000;

    private final MultipartCalls calls;
    /** Upload ids seen under their key, by {@code key + '\n' + uploadId}, with the time S3 said so. */
    private final Map<String, Instant> owned = new ConcurrentHashMap<>();

    UploadOwnership(MultipartCalls calls) {
        this.calls = calls;
    }

    /** That S3 lists the upload under exactly {@code key}; {@code no-such-upload} otherwise. */
    void require(String key, String uploadId) {
        String entry = key + "\n" + uploadId;
        Instant seen = owned.get(entry);
        Instant now = Instant.now();
        if (seen != null && seen.plus(TTL).isAfter(now)) {
            return;
        }
        boolean[] listed = {false};
        calls.eachUpload(key, upload -> {
            listed[0] = upload.key().equals(key) && upload.uploadId().equals(uploadId);
            return !listed[0];
        });
        if (!listed[0]) {
            owned.remove(entry);
            throw new MultipartException(
                    "no-such-upload",
                    "There is no upload " + uploadId + " for this key; it was completed, aborted, never started,"
                            + " or belongs to another file. Start again.");
        }
        if (owned.size() >= CACHE_SIZE) {
            owned.values().removeIf(t -> t.plus(TTL).isBefore(now));
            if (owned.size() >= CACHE_SIZE) {
                owned.clear();
            }
        }
        owned.put(entry, now);
    }

    /** Forgets the upload, before it is aborted or completed. */
    void forget(String key, String uploadId) {
        owned.remove(key + "\n" + uploadId);
    }
}
