package dev.pontus.demo;

import dev.pontus.S3Names;
import dev.pontus.spring.UploadEvents;
import dev.pontus.validate.Violation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * What became of recent uploads, whoever validated them (the page through {@code /validate}, or the event consumer
 * with {@code demo.events=true}): the page asks for its upload's outcome, and each outcome is logged once with the
 * time it happened (the event benchmark reads those lines).
 */
@RestController
class UploadOutcomes {
    private static final Logger log = LoggerFactory.getLogger(UploadOutcomes.class);
    private static final int KEEP = 1000;

    /** The last outcomes by uploaded key, oldest dropped first. */
    private final Map<String, Map<String, Object>> recent = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Map<String, Object>> eldest) {
            return size() > KEEP;
        }
    };

    @EventListener
    void validated(UploadEvents.Validated event) {
        log.info(
                "Outcome validated {} -> {} at {}",
                S3Names.quoteForLog(event.uploadedKey()),
                S3Names.quoteForLog(event.finalKey()),
                System.currentTimeMillis());
        record(event.uploadedKey(), Map.of("state", "validated", "key", event.finalKey(), "type", event.contentType()));
    }

    @EventListener
    void rejected(UploadEvents.Rejected event) {
        log.info("Outcome rejected {} at {}", S3Names.quoteForLog(event.uploadedKey()), System.currentTimeMillis());
        List<String> reasons =
                event.violations().stream().map(Violation::message).toList();
        record(event.uploadedKey(), Map.of("state", "rejected", "deleted", event.deleted(), "violations", reasons));
    }

    /** The outcome of the upload at {@code key}, or {@code pending} while none is known here. */
    @GetMapping("/api/outcome")
    Map<String, Object> outcome(@RequestParam String key) {
        synchronized (recent) {
            return recent.getOrDefault(key, Map.of("state", "pending"));
        }
    }

    private void record(String key, Map<String, Object> outcome) {
        synchronized (recent) {
            recent.put(key, outcome);
        }
    }
}
