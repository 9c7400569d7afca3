package dev.pontus.spring;

/** Counts sign and validate outcomes; Micrometer-backed when Micrometer is present, else a no-op. */
public interface UploadMetrics {
    UploadMetrics NONE = (operation, outcome) -> {};

    /** {@code operation} is sign or validate; {@code outcome} is signed, valid, invalid, refused or error. */
    void record(String operation, String outcome);
}
