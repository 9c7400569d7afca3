package dev.pontus.validate;

import dev.pontus.PontusException;

/**
 * The upload was read but not admitted ({@link UploadPromoter#validateAndPromote(String, String, java.util.function.
 * Predicate)}): nothing was judged, promoted or deleted.
 */
public class NotAdmittedException extends PontusException {
    private final String key;

    public NotAdmittedException(String key, String message) {
        super(message, null);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
