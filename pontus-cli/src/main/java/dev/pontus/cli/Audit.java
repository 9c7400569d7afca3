package dev.pontus.cli;

import dev.pontus.StorageException;
import dev.pontus.validate.ObjectNotFoundException;
import dev.pontus.validate.PromotionException;
import dev.pontus.validate.UploadPromoter;
import dev.pontus.validate.ValidationResult;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Audits the objects under a prefix: lists them page by page, checks each one it is given (at most
 * {@code concurrency} at once, the listing held back while they are busy, so that memory stays flat), reports and
 * acts on what is wrong. The listing, the check ({@link UploadPromoter#check}: two ranged reads, whatever the size),
 * the report and the action are each their own part; this class only knows their order.
 */
final class Audit {
    /**
     * How often a check is tried when the store throttled it (503 SlowDown), failed (5xx) or timed out, after the
     * SDK's own quick retries: with a backoff of 1, 2, 4, 8 … s, each call within its own timeout.
     */
    static final int TRANSIENT_TRIES = 6;
    /** How often an object that changed while it was being checked is checked again. */
    static final int CHANGED_TRIES = 3;

    private final S3Client s3;
    private final Target target;
    private final UploadPromoter promoter;
    private final KeyFilter filter;
    private final Action action;
    private final Report report;
    private final Stats stats;
    private final Resume resume;
    private final int concurrency;
    private final int pageSize;
    private final String startAfter;

    Audit(
            S3Client s3,
            Target target,
            UploadPromoter promoter,
            KeyFilter filter,
            Action action,
            Report report,
            Stats stats,
            int concurrency,
            int pageSize,
            String startAfter) {
        this.s3 = s3;
        this.target = target;
        this.promoter = promoter;
        this.filter = filter;
        this.action = action;
        this.report = report;
        this.stats = stats;
        this.concurrency = concurrency;
        this.pageSize = pageSize;
        this.startAfter = startAfter;
        this.resume = new Resume(startAfter);
    }

    Resume resume() {
        return resume;
    }

    /**
     * Runs the audit to the end of the listing. A failed object is a finding and the run goes on; a failed listing
     * ends it (after the checks in flight) with a {@link CliException} that says where to resume.
     */
    void run() throws InterruptedException {
        ExecutorService workers = Executors.newFixedThreadPool(concurrency, r -> {
            Thread thread = new Thread(r, "pontus-audit");
            thread.setDaemon(true);
            return thread;
        });
        Semaphore slots = new Semaphore(concurrency * 2); // checks queued or running: the listing waits for a slot
        long accepted = 0;
        try {
            for (S3Object object : listing()) {
                stats.listed.increment();
                if (folderMarker(object) || !filter.accepts(object.key())) {
                    stats.skipped.increment();
                    continue;
                }
                accepted++;
                slots.acquire();
                resume.started(object.key());
                workers.execute(() -> {
                    try {
                        audit(object);
                    } finally {
                        resume.finished(object.key());
                        slots.release();
                    }
                });
            }
            stats.total = accepted;
        } catch (RuntimeException e) {
            finish(workers);
            throw Failures.listing(target, e, resume.safePoint());
        }
        finish(workers);
    }

    private Iterable<S3Object> listing() {
        return s3.listObjectsV2Paginator(b -> b.bucket(target.bucket())
                        .prefix(target.prefix().isEmpty() ? null : target.prefix())
                        .startAfter(startAfter)
                        .maxKeys(pageSize)
                        .encodingType(EncodingType.URL)) // keys with control characters would break the XML
                .contents();
    }

    private static void finish(ExecutorService workers) throws InterruptedException {
        workers.shutdown();
        while (!workers.awaitTermination(1, TimeUnit.MINUTES)) {
            // checks have their own timeouts; wait for the last of them
        }
    }

    /** A zero-byte key ending in '/', which consoles create for folders: no file to check. */
    private static boolean folderMarker(S3Object object) {
        return object.key().endsWith("/") && object.size() != null && object.size() == 0;
    }

    private void audit(S3Object object) {
        Finding finding = inspect(object);
        if (finding != null) {
            finding = finding.withAction(action.apply(finding));
            stats.found(finding);
            report.write(finding);
        }
        stats.checked.increment();
    }

    /** The finding about one object, or null when it passes (or went away since it was listed). */
    Finding inspect(S3Object object) {
        String key = object.key();
        long size = object.size() == null ? 0 : object.size();
        int failures = 0;
        int changed = 0;
        while (true) {
            try {
                ValidationResult result = promoter.check(key);
                return result instanceof ValidationResult.Invalid invalid ? found(invalid) : null;
            } catch (ObjectNotFoundException e) {
                stats.vanished.increment();
                return null;
            } catch (PromotionException e) { // it changed between the head and the tail read: a new upload
                if (++changed >= CHANGED_TRIES) {
                    return failed(key, size, "it changed while it was being checked, " + changed + " times");
                }
            } catch (StorageException e) {
                if (!passing(e) || ++failures >= TRANSIENT_TRIES) {
                    return failed(key, size, e.getMessage());
                }
                stats.retried.increment();
                backOff(failures);
            } catch (IllegalArgumentException e) {
                return Finding.error(target.bucket(), key, size, Finding.UNSAFE_KEY, e.getMessage());
            } catch (RuntimeException e) { // anything else is this object's, not the run's
                return failed(key, size, String.valueOf(e.getMessage()));
            }
        }
    }

    /** Throttled, a server error, a timeout or a garbled answer: worth another try; a refusal (4xx) is not. */
    private static boolean passing(StorageException e) {
        return e.throttled() || e.statusCode() == 0 || e.statusCode() >= 500;
    }

    private Finding found(ValidationResult.Invalid invalid) {
        var upload = invalid.upload();
        return new Finding(
                upload.bucket(),
                upload.key(),
                upload.size(),
                upload.eTag(),
                upload.contentType(),
                upload.detectedType(),
                invalid.violations(),
                ActionOutcome.NONE);
    }

    private Finding failed(String key, long size, String why) {
        return Finding.error(target.bucket(), key, size, Finding.CHECK_FAILED, "It could not be checked: " + why);
    }

    /** Full jitter on 1, 2, 4, 8 … seconds: throttled clients spread out instead of returning together. */
    private static void backOff(int attempt) {
        long ceiling = 1000L << Math.min(attempt - 1, 5);
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
