package dev.pontus.spring;

import dev.pontus.validate.UploadPromoter;
import dev.pontus.validate.ValidationResult;
import dev.pontus.validate.Violation;
import java.util.List;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import software.amazon.awssdk.services.s3.S3Utilities;

/** Validates an upload for an endpoint, and answers, counts and publishes the outcome once per upload. */
final class UploadValidation {
    private final UploadPromoter promoter;
    private final S3Utilities urls;
    private final UploadMetrics metrics;
    private final ApplicationEventPublisher events;

    UploadValidation(
            UploadPromoter promoter, S3Utilities urls, UploadMetrics metrics, ApplicationEventPublisher events) {
        this.promoter = promoter;
        this.urls = urls;
        this.metrics = metrics;
        this.events = events;
    }

    /**
     * What the validate and complete endpoints answer for a valid upload; the same for every validation of it.
     *
     * @param key           the final key
     * @param location      the final object's URL (Uppy's {@code location})
     * @param type          the type the file is served with: its content's when corrected, else the declared one
     * @param typeCorrected whether the type the browser declared was missing or wrong, and so corrected
     * @param warnings      what went wrong without losing the file, e.g. the original could not be deleted
     */
    record ValidatedUpload(
            String bucket,
            String key,
            String location,
            long size,
            String type,
            boolean typeCorrected,
            List<String> warnings) {}

    /** 200 with {@link ValidatedUpload}, or 422 with every violation. */
    ResponseEntity<Object> validate(String key, String principal) {
        ValidationResult result = promoter.validateAndPromote(key);
        record(UploadMetrics.Operation.VALIDATE, key, result, principal);
        if (result instanceof ValidationResult.Valid valid) {
            return ResponseEntity.ok(new ValidatedUpload(
                    promoter.bucket(),
                    valid.key(),
                    location(valid.key()),
                    valid.upload().size(),
                    valid.contentType(),
                    valid.typeCorrected(),
                    valid.warnings()));
        }
        ValidationResult.Invalid invalid = (ValidationResult.Invalid) result;
        ProblemDetail problem =
                ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT, summary(invalid.violations()));
        problem.setTitle("The upload was refused");
        problem.setProperty("field", "file");
        problem.setProperty("key", key);
        problem.setProperty("violations", invalid.violations());
        problem.setProperty("deleted", invalid.deleted());
        problem.setProperty("warnings", invalid.warnings());
        return ResponseEntity.unprocessableContent().body(problem);
    }

    /**
     * Counts an outcome as {@code operation} (validate, event) and publishes {@link UploadEvents.Validated} or
     * {@link UploadEvents.Rejected}: once per upload, however often or concurrently it is validated.
     */
    void record(UploadMetrics.Operation operation, String key, ValidationResult result, String principal) {
        result.warnings().forEach(warning -> metrics.record(operation, "warning"));
        if (result instanceof ValidationResult.Valid valid) {
            if (!valid.repeated()) {
                metrics.record(operation, "valid");
                events.publishEvent(new UploadEvents.Validated(
                        promoter.bucket(),
                        key,
                        valid.key(),
                        valid.upload().size(),
                        valid.contentType(),
                        valid.typeCorrected(),
                        principal,
                        valid.warnings()));
            }
            return;
        }
        ValidationResult.Invalid invalid = (ValidationResult.Invalid) result;
        metrics.record(operation, "invalid");
        events.publishEvent(new UploadEvents.Rejected(
                promoter.bucket(), key, invalid.violations(), invalid.deleted(), principal, invalid.warnings()));
    }

    /** Every violation in one text a widget can show as it is: "The file was refused for 2 reasons: (1) … (2) …". */
    static String summary(List<Violation> violations) {
        if (violations.size() == 1) {
            return "The file was refused: " + violations.get(0).message();
        }
        StringBuilder summary = new StringBuilder("The file was refused for " + violations.size() + " reasons:");
        for (int i = 0; i < violations.size(); i++) {
            summary.append(" (")
                    .append(i + 1)
                    .append(") ")
                    .append(violations.get(i).message());
        }
        return summary.toString();
    }

    /** The object's URL at the store, as the S3 client addresses it (endpoint, path or virtual-hosted style). */
    String location(String key) {
        return urls.getUrl(b -> b.bucket(promoter.bucket()).key(key)).toString();
    }
}
