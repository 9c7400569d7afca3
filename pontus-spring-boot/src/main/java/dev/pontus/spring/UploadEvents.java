package dev.pontus.spring;

import dev.pontus.validate.Violation;
import java.util.List;

/** Application events published by the validate endpoint, for apps to record uploads. */
public final class UploadEvents {
    private UploadEvents() {
    }

    /**
     * A valid upload, promoted to {@code key}.
     *
     * @param principal the user's name, "" when anonymous
     */
    public record Validated(String bucket, String uploadedKey, String key, long size, String contentType,
            String principal) {
    }

    /** A refused upload, with every violation; {@code deleted} tells whether it was removed from the bucket. */
    public record Rejected(String bucket, String key, List<Violation> violations, boolean deleted, String principal) {
    }
}
