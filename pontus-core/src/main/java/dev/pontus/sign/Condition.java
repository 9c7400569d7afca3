package dev.pontus.sign;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * One condition of a POST policy. S3 refuses an upload unless every condition holds and every form field
 * is covered by one.
 *
 * @see <a href="https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html">
 *     Creating a POST policy</a>
 */
public sealed interface Condition {

    /** The form field this condition covers, lower case; null for the content length range. */
    String fieldName();

    /** Whether a form field's value satisfies this condition. */
    boolean accepts(String value);

    /** The text this condition puts in the policy besides the field name ("" for none). */
    String text();

    /** Writes this condition as policy JSON. */
    void appendJson(StringBuilder json);

    /** The form field {@code field} must equal {@code value}: {@code {"field": "value"}}. */
    record Eq(String field, String value) implements Condition {
        public Eq {
            requireNonNull(field, "field");
            requireNonNull(value, "value");
        }

        @Override
        public String fieldName() {
            return field.toLowerCase(Locale.ROOT);
        }

        @Override
        public boolean accepts(String given) {
            return value.equals(given);
        }

        @Override
        public String text() {
            return value;
        }

        @Override
        public void appendJson(StringBuilder json) {
            PolicyJson.eq(json, field, value);
        }
    }

    /** The form field must start with {@code prefix}; "" allows any value: {@code ["starts-with", "$field", "prefix"]}. */
    record StartsWith(String field, String prefix) implements Condition {
        public StartsWith {
            requireNonNull(field, "field");
            requireNonNull(prefix, "prefix");
        }

        @Override
        public String fieldName() {
            return field.toLowerCase(Locale.ROOT);
        }

        @Override
        public boolean accepts(String given) {
            return given.startsWith(prefix);
        }

        @Override
        public String text() {
            return prefix;
        }

        @Override
        public void appendJson(StringBuilder json) {
            PolicyJson.startsWith(json, field, prefix);
        }
    }

    /** The file's size in bytes, both bounds inclusive: {@code ["content-length-range", min, max]}. */
    record ContentLengthRange(long min, long max) implements Condition {
        public ContentLengthRange {
            if (min < 0 || max < 0) {
                throw new IllegalArgumentException(
                        "contentLengthRange: sizes must not be negative, got min " + min + " and max " + max);
            }
            if (min > max) {
                throw new IllegalArgumentException(
                        "contentLengthRange: min " + min + " is greater than max " + max + "; swap them or raise max");
            }
        }

        @Override
        public String fieldName() {
            return null;
        }

        @Override
        public boolean accepts(String value) {
            return false;
        }

        @Override
        public String text() {
            return "";
        }

        @Override
        public void appendJson(StringBuilder json) {
            PolicyJson.range(json, min, max);
        }
    }
}
