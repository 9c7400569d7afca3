package dev.pontus.cli;

import static java.util.Objects.requireNonNull;

import dev.pontus.validate.Violation;
import java.util.List;

/**
 * What the audit found wrong with one object: every violation of the rules, or why it could not be checked (code
 * {@code check-failed} or {@code unsafe-key}), and what was done about it.
 *
 * @param bucket       the bucket
 * @param key          the object's key
 * @param size         its size in bytes as listed
 * @param eTag         the ETag that was checked (and that every action is conditional on); null if unread
 * @param declaredType the Content-Type S3 serves it with; null if unread
 * @param detectedType the type sniffed from its content; null if unread
 * @param violations   at least one
 * @param action       what was done, or {@link ActionOutcome#NONE}
 */
record Finding(
        String bucket,
        String key,
        long size,
        String eTag,
        String declaredType,
        String detectedType,
        List<Violation> violations,
        ActionOutcome action) {
    /** The code of an object that could not be read or judged (after retries). */
    static final String CHECK_FAILED = "check-failed";
    /** The code of a key that no rule can be checked on safely: a dot segment or a control character. */
    static final String UNSAFE_KEY = "unsafe-key";

    Finding {
        requireNonNull(bucket, "bucket");
        requireNonNull(key, "key");
        violations = List.copyOf(violations);
        requireNonNull(action, "action");
        if (violations.isEmpty()) {
            throw new IllegalArgumentException("violations: a finding needs at least one");
        }
    }

    /** An object that could not be checked. */
    static Finding error(String bucket, String key, long size, String code, String message) {
        return new Finding(
                bucket, key, size, null, null, null, List.of(new Violation(code, message)), ActionOutcome.NONE);
    }

    /** Whether the object was checked (else it could not be read, and no action applies). */
    boolean checked() {
        return eTag != null;
    }

    List<String> codes() {
        return violations.stream().map(Violation::code).toList();
    }

    Finding withAction(ActionOutcome outcome) {
        return new Finding(bucket, key, size, eTag, declaredType, detectedType, violations, outcome);
    }
}
