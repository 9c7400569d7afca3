package dev.pontus.internal;

/** Checks on text that ends up in S3 keys, form fields and policies. Internal: not part of the public API. */
public final class Text {
    private Text() {
    }

    /** Refuses control characters, which S3 keys and form fields must not carry, naming the field and place. */
    public static void requireNoControlCharacters(String field, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException(field + ": contains control character U+"
                        + String.format("%04X", (int) c) + " at index " + i + "; remove it");
            }
        }
    }
}
