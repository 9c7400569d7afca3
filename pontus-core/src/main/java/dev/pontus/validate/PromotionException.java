package dev.pontus.validate;

import dev.pontus.PontusException;

/**
 * A valid upload changed or vanished between its check and its copy, so it was not promoted; nothing was
 * deleted. Validate it again: what is at {@link #sourceKey()} now is what gets checked.
 */
public class PromotionException extends PontusException {
    private final String sourceKey;
    private final String targetKey;

    public PromotionException(String sourceKey, String targetKey, String message, Throwable cause) {
        super(message, cause);
        this.sourceKey = sourceKey;
        this.targetKey = targetKey;
    }

    public String sourceKey() {
        return sourceKey;
    }

    public String targetKey() {
        return targetKey;
    }
}
