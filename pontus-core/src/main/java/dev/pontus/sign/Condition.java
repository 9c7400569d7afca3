package dev.pontus.sign;

import static java.util.Objects.requireNonNull;

/**
 * One condition of a POST policy. S3 refuses an upload unless every condition holds and every form field
 * is covered by one.
 *
 * @see <a href="https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html">
 *     Creating a POST policy</a>
 */
public sealed interface Condition {

    /** The form field {@code field} must equal {@code value}: {@code {"field": "value"}}. */
    record Eq(String field, String value) implements Condition {
        public Eq {
            requireNonNull(field, "field");
            requireNonNull(value, "value");
        }
    }

    /** The form field must start with {@code prefix}; "" allows any value: {@code ["starts-with", "$field", "prefix"]}. */
    record StartsWith(String field, String prefix) implements Condition {
        public StartsWith {
            requireNonNull(field, "field");
            requireNonNull(prefix, "prefix");
        }
    }

    /** The file's size in bytes, both bounds inclusive: {@code ["content-length-range", min, max]}. */
    record ContentLengthRange(long min, long max) implements Condition {
        public ContentLengthRange {
            if (min < 0 || max < 0) {
                throw new IllegalArgumentException("contentLengthRange: sizes must not be negative, got min "
                        + min + " and max " + max);
            }
            if (min > max) {
                throw new IllegalArgumentException("contentLengthRange: min " + min + " is greater than max " + max
                        + "; swap them or raise max");
            }
        }
    }

    /** The form field this condition covers, lower case; null for the content length range. */
    default String fieldName() {
        if (this instanceof Eq eq) {
            return eq.field().toLowerCase(java.util.Locale.ROOT);
        }
        if (this instanceof StartsWith sw) {
            return sw.field().toLowerCase(java.util.Locale.ROOT);
        }
        return null;
    }

    /** Whether a form field's value satisfies this condition. */
    default boolean accepts(String value) {
        if (this instanceof Eq eq) {
            return eq.value().equals(value);
        }
        if (this instanceof StartsWith sw) {
            return value.startsWith(sw.prefix());
        }
        return false;
    }
}
