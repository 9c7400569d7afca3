package dev.pontus.validate;

import static java.util.Objects.requireNonNull;

/**
 * Why a validator refused an upload.
 *
 * @param code    stable and machine-readable, such as {@code file-too-large}
 * @param message for people, such as "The file is 25 MB; at most 20 MB is allowed."
 */
public record Violation(String code, String message) {
    public Violation {
        requireNonNull(code, "code");
        requireNonNull(message, "message");
    }
}
