package dev.pontus.spring;

import dev.pontus.validate.Violation;
import java.util.List;

/**
 * Application events published by the validate endpoint and by multipart completion (when it validates), for apps to
 * record uploads; each once per upload.
 */
public final class UploadEvents {
    private UploadEvents() {}

    /**
     * A valid upload at {@code uploadedKey}, promoted to {@code finalKey}; published once per upload, however often
     * it is validated.
     *
     * @param contentType   the type the file is served with: its content's when the declared one was corrected,
     *                      else the declared one (always so with {@code pontus.correct-content-type=false})
     * @param typeCorrected whether that differs from the type the browser declared, which was corrected
     * @param principal     the user's name, "" when anonymous
     * @param warnings      what went wrong without losing the file, e.g. the original could not be deleted
     */
    public record Validated(
            String bucket,
            String uploadedKey,
            String finalKey,
            long size,
            String contentType,
            boolean typeCorrected,
            String principal,
            List<String> warnings) {}

    /**
     * A refused upload at {@code uploadedKey}, with every violation; {@code deleted} tells whether it was removed
     * from the bucket, and {@code warnings} why not when it should have been.
     */
    public record Rejected(
            String bucket,
            String uploadedKey,
            List<Violation> violations,
            boolean deleted,
            String principal,
            List<String> warnings) {}
}
