package dev.pontus.validate;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** What validation found: {@link Valid} or {@link Invalid}. A refused upload is an outcome, not an exception. */
public sealed interface ValidationResult {

    /** The object as it was read and checked (for a repeated validation, the promoted object). */
    UploadedObject upload();

    /** What went wrong without losing a file, such as an original that could not be deleted. */
    List<String> warnings();

    default boolean isValid() {
        return this instanceof Valid;
    }

    /**
     * Every validator accepted the upload.
     *
     * @param key         where the file is now: its final key after promotion, else where it was uploaded
     * @param promoted    whether it is at {@code key} because it was copied there from the unvalidated prefix
     * @param warnings    what went wrong without losing the file, e.g. the original could not be deleted
     * @param repeated    whether an earlier or concurrent validation of the same key promoted it, so that this one
     *                    changed nothing: record the upload (events, metrics) only when this is false
     * @param contentType the Content-Type the file is served with at {@code key}: the sniffed type when the
     *                    declared one did not agree with the content (see {@link #typeCorrected()})
     */
    record Valid(
            UploadedObject upload,
            String key,
            boolean promoted,
            List<String> warnings,
            boolean repeated,
            String contentType)
            implements ValidationResult {
        public Valid {
            requireNonNull(upload, "upload");
            requireNonNull(key, "key");
            warnings = List.copyOf(warnings);
        }

        /** A result whose file keeps the type it was uploaded with. */
        public Valid(UploadedObject upload, String key, boolean promoted, List<String> warnings, boolean repeated) {
            this(upload, key, promoted, warnings, repeated, upload.contentType());
        }

        /** A first validation's result. */
        public Valid(UploadedObject upload, String key, boolean promoted, List<String> warnings) {
            this(upload, key, promoted, warnings, false);
        }

        /** Whether promotion set the Content-Type to the sniffed type because the declared one was wrong or missing. */
        public boolean typeCorrected() {
            return contentType != null && !contentType.equals(upload.contentType());
        }

        /** This result as another caller of a concurrent validation of the same key sees it. */
        Valid asRepeat() {
            return new Valid(upload, key, promoted, warnings, true, contentType);
        }
    }

    /**
     * At least one validator refused the upload.
     *
     * @param violations every violation of every validator, in validator order
     * @param deleted    whether the upload was deleted
     * @param warnings   why it was not deleted when deletion was asked for, e.g. it was replaced after the check
     */
    record Invalid(UploadedObject upload, List<Violation> violations, boolean deleted, List<String> warnings)
            implements ValidationResult {
        public Invalid {
            requireNonNull(upload, "upload");
            violations = List.copyOf(violations);
            warnings = List.copyOf(warnings);
            if (violations.isEmpty()) {
                throw new IllegalArgumentException("violations: an invalid upload needs at least one violation");
            }
        }

        public Invalid(UploadedObject upload, List<Violation> violations, boolean deleted) {
            this(upload, violations, deleted, List.of());
        }
    }
}
