package dev.pontus.spring;

import java.util.Locale;

/**
 * Counts what the upload endpoints did, per {@link Operation} and outcome; Micrometer-backed
 * ({@code pontus.uploads.sign}, {@code .validate}, {@code .multipart}, {@code .event}) when Micrometer is present, else a no-op.
 */
public interface UploadMetrics {
    UploadMetrics NONE = (operation, outcome) -> {};

    /** What an endpoint does; each endpoint method declares its own, so failures are counted where they happen. */
    enum Operation {
        /** Signing a POST policy ({@code GET {base}/params}). */
        SIGN,
        /** Validating and promoting an upload ({@code POST {base}/validate}). */
        VALIDATE,
        /** Any multipart route ({@code {base}/multipart/**}). */
        MULTIPART,
        /** Validating an upload an S3 event named ({@code pontus.events.queue-url}). */
        EVENT;

        /** The metric's name suffix and the value {@link #record(String, String)} receives: sign, validate, multipart. */
        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * {@code operation} is a {@link Operation#tag()}; {@code outcome} is signed, valid, invalid, warning, refused,
     * changed, error, created, completed or aborted.
     */
    void record(String operation, String outcome);

    /** Records {@code outcome} for {@code operation}. */
    default void record(Operation operation, String outcome) {
        record(operation.tag(), outcome);
    }
}
