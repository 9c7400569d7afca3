package dev.pontus;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * What S3 accepts as a bucket name, an object key and a presigned expiry, in one place: the signer, the validator,
 * the multipart uploads, the Spring Boot starter and the demo all check with these. Each check throws
 * {@link IllegalArgumentException} naming the field, the problem and the fix.
 */
public final class S3Names {
    /** The longest a SigV4 signature may stay valid. */
    public static final Duration MAX_EXPIRY = Duration.ofDays(7);
    /** S3's longest key, in UTF-8 bytes. */
    public static final int MAX_KEY_BYTES = 1024;

    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final Pattern IP_ADDRESS = Pattern.compile("\\d+\\.\\d+\\.\\d+\\.\\d+");

    private S3Names() {}

    /** A general-purpose bucket name: 3-63 lower-case letters, digits, dots and hyphens, not an IP address. */
    public static String requireBucket(String bucket) {
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("bucket: is not set; give the name of the bucket uploads go to");
        }
        if (!BUCKET.matcher(bucket).matches()
                || bucket.contains("..")
                || IP_ADDRESS.matcher(bucket).matches()) {
            throw new IllegalArgumentException("bucket: '" + bucket + "' is not a valid S3 bucket name; use 3 to 63"
                    + " lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit");
        }
        return bucket;
    }

    /** Text that ends up in keys, form fields and policies: no control characters. */
    public static String requireNoControlCharacters(String field, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException(field + ": contains control character U+"
                        + String.format("%04X", (int) c) + " at index " + i + "; remove it");
            }
        }
        return value;
    }

    /**
     * Whether a key has a {@code .} or {@code ..} segment anywhere ({@code ../a}, {@code a/./b}, {@code a/..}),
     * which some stores and every file-system-backed one resolve, so that the key names another object.
     */
    public static boolean hasDotSegment(String key) {
        for (String segment : key.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return true;
            }
        }
        return false;
    }

    /** A key S3 stores as given: not empty, at most 1024 UTF-8 bytes, no control characters, no dot segments. */
    public static String requireKey(String field, String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException(field + ": must not be empty; give the object key");
        }
        int bytes = utf8Length(key);
        if (bytes > MAX_KEY_BYTES) {
            throw new IllegalArgumentException(field + ": is " + bytes + " bytes in UTF-8 but S3 allows at most "
                    + MAX_KEY_BYTES + "; use a shorter key");
        }
        requireNoControlCharacters(field, key);
        if (hasDotSegment(key)) {
            throw new IllegalArgumentException(
                    field + ": '" + key + "' has a '.' or '..' segment; give the key" + " exactly as it was signed");
        }
        return key;
    }

    /**
     * {@code value} fit for a log line, whoever sent it: in double quotes, with control characters, line and
     * paragraph separators, quotes and backslashes escaped as in Java source (a line feed as backslash-n, U+2028 as
     * backslash-u2028), so that no input can end the line or forge another; cut after 300 characters (the rest
     * counted). {@code null} is logged as {@code null}.
     */
    public static String quoteForLog(String value) {
        if (value == null) {
            return "null";
        }
        int shown = Math.min(value.length(), MAX_LOGGED);
        if (shown < value.length() && Character.isHighSurrogate(value.charAt(shown - 1))) {
            shown--; // never half a character
        }
        StringBuilder out = new StringBuilder(shown + 16).append('"');
        for (int i = 0; i < shown; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (Character.isISOControl(c)
                            || c == '\u2028'
                            || c == '\u2029'
                            || Character.isSurrogate(c) && !validPair(value, i)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
        if (value.length() > shown) {
            out.append("…(").append(value.length() - shown).append(" more)");
        }
        return out.toString();
    }

    private static final int MAX_LOGGED = 300;

    /** Whether the surrogate at {@code i} is half of a well-formed pair. */
    private static boolean validPair(String s, int i) {
        char c = s.charAt(i);
        return Character.isHighSurrogate(c)
                ? i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
                : i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    /** How long a presigned policy or URL stays valid: more than zero, at most {@link #MAX_EXPIRY}. */
    public static Duration requireExpiry(String field, Duration expiry) {
        if (expiry == null || expiry.isZero() || expiry.isNegative()) {
            throw new IllegalArgumentException(field + ": must be positive, got " + expiry);
        }
        if (expiry.compareTo(MAX_EXPIRY) > 0) {
            throw new IllegalArgumentException(
                    field + ": " + expiry + " is longer than the 7 days SigV4 allows;" + " use at most 7 days");
        }
        return expiry;
    }

    private static int utf8Length(String s) {
        int bytes = s.length();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x800) {
                bytes += Character.isSurrogate(c) ? 1 : 2; // a surrogate pair is 4 bytes: 2 chars + 2
            } else if (c >= 0x80) {
                bytes += 1;
            }
        }
        return bytes;
    }
}
