package dev.pontus.demo;

import dev.pontus.S3Names;
import dev.pontus.multipart.MultipartUploads;
import dev.pontus.spring.PontusProperties;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * The demo is open to anyone and its embedded store has no lifecycle rules: every {@code demo.sweep.interval}
 * (default 10 minutes) it aborts the multipart uploads and deletes the unvalidated files older than
 * {@code demo.sweep.age} (default 1 hour), so abandoned parts and files do not pile up on its disk.
 * {@code demo.sweep.enabled=false} turns it off.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@ConditionalOnProperty(name = "demo.sweep.enabled", havingValue = "true", matchIfMissing = true)
class AbandonedUploadSweep {
    private static final Logger log = LoggerFactory.getLogger(AbandonedUploadSweep.class);

    private final MultipartUploads uploads;
    private final PontusProperties pontus;
    private final Duration age;
    private final Clock clock;

    AbandonedUploadSweep(
            MultipartUploads uploads, PontusProperties pontus, @Value("${demo.sweep.age:PT1H}") Duration age) {
        this.uploads = uploads;
        this.pontus = pontus;
        this.age = age;
        this.clock = Clock.systemUTC();
    }

    /** One sweep; a failure is logged and the next sweep tries again. */
    @Scheduled(
            fixedDelayString = "${demo.sweep.interval:PT10M}",
            initialDelayString = "${demo.sweep.initial-delay:PT1M}")
    void sweep() {
        try {
            MultipartUploads.Removed removed =
                    uploads.removeAbandoned(pontus.getUnvalidatedPrefix(), age, clock.instant());
            if (removed.multipartUploads() + removed.objects() > 0
                    || !removed.failed().isEmpty()) {
                log.info(
                        "Sweep: aborted {} abandoned multipart uploads and deleted {} unvalidated files older than {};"
                                + " {} could not be removed",
                        removed.multipartUploads(),
                        removed.objects(),
                        age,
                        removed.failed().size());
            }
            removed.failed().forEach(failure -> log.warn("Sweep could not remove {}", failure));
        } catch (RuntimeException e) {
            log.warn("Sweep failed, trying again in the next one: {}", S3Names.quoteForLog(e.getMessage()));
        }
    }
}
