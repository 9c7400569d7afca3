package dev.pontus.validate;

import dev.pontus.PontusException;

/**
 * A valid upload could not be copied to its final key; nothing was deleted, so the upload is still at
 * {@link #sourceKey()}. When the object changed after it was validated, {@link #changedSinceValidation()} is
 * true: validate it again.
 */
public class PromotionException extends PontusException {
    private final String sourceKey;
    private final String targetKey;
    private final boolean changedSinceValidation;

    public PromotionException(String sourceKey, String targetKey, boolean changedSinceValidation, String message,
            Throwable cause) {
        super(message, cause);
        this.sourceKey = sourceKey;
        this.targetKey = targetKey;
        this.changedSinceValidation = changedSinceValidation;
    }

    public String sourceKey() {
        return sourceKey;
    }

    public String targetKey() {
        return targetKey;
    }

    public boolean changedSinceValidation() {
        return changedSinceValidation;
    }
}
