package dev.pontus.validate;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** What validation found: {@link Valid} or {@link Invalid}. A refused upload is an outcome, not an exception. */
public sealed interface ValidationResult {

    /** The object as it was read and checked. */
    UploadedObject upload();

    default boolean isValid() {
        return this instanceof Valid;
    }

    /**
     * Every validator accepted the upload.
     *
     * @param key      where the file is now: its final key after promotion, else where it was uploaded
     * @param promoted whether it was copied to {@code key} from the unvalidated prefix
     * @param warnings what went wrong without losing the file, e.g. the original could not be deleted
     */
    record Valid(UploadedObject upload, String key, boolean promoted, List<String> warnings) implements ValidationResult {
        public Valid {
            requireNonNull(upload, "upload");
            requireNonNull(key, "key");
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * At least one validator refused the upload.
     *
     * @param violations every violation of every validator, in validator order
     * @param deleted    whether the upload was deleted
     */
    record Invalid(UploadedObject upload, List<Violation> violations, boolean deleted) implements ValidationResult {
        public Invalid {
            requireNonNull(upload, "upload");
            violations = List.copyOf(violations);
            if (violations.isEmpty()) {
                throw new IllegalArgumentException("violations: an invalid upload needs at least one violation");
            }
        }
    }
}
