package dev.pontus.multipart;

import dev.pontus.PontusException;

/**
 * A multipart upload that cannot be signed or completed as asked: {@link #code()} says why ({@code file-too-large},
 * {@code file-too-small}, {@code too-many-parts}, {@code part-too-small}, {@code parts-mismatch}, {@code no-parts},
 * {@code no-such-upload}), the message what to do.
 */
public class MultipartException extends PontusException {
    private final String code;

    public MultipartException(String code, String message) {
        super(message, null);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
