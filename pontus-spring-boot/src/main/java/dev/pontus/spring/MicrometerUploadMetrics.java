package dev.pontus.spring;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Counters {@code pontus.uploads.sign}, {@code pontus.uploads.validate} and {@code pontus.uploads.multipart}, tagged
 * with the outcome.
 */
class MicrometerUploadMetrics implements UploadMetrics {
    private final ObjectProvider<MeterRegistry> registry;

    MicrometerUploadMetrics(ObjectProvider<MeterRegistry> registry) {
        this.registry = registry;
    }

    @Override
    public void record(String operation, String outcome) {
        registry.ifAvailable(r ->
                r.counter("pontus.uploads." + operation, "outcome", outcome).increment());
    }
}
