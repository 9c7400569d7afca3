package dev.pontus.spring;

import dev.pontus.S3Names;
import dev.pontus.StorageException;
import dev.pontus.multipart.MultipartException;
import dev.pontus.validate.ObjectNotFoundException;
import dev.pontus.validate.PromotionException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.HandlerMethod;

/**
 * The upload endpoints' failures as RFC 9457 problem details naming the field, counted once per failure: 4xx for
 * the client's mistakes, 409 for an upload that changed since it was checked, 502 or 503 (with Retry-After) when
 * S3 failed or throttled, never a stack trace.
 */
@RestControllerAdvice(assignableTypes = {PontusUploadController.class, PontusMultipartController.class})
class PontusExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(PontusExceptionHandler.class);
    static final int RETRY_AFTER_SECONDS = 5;

    private final UploadMetrics metrics;

    PontusExceptionHandler(UploadMetrics metrics) {
        this.metrics = metrics;
    }

    @ExceptionHandler(Refused.class)
    ResponseEntity<ProblemDetail> onRefused(Refused e, HandlerMethod handler) {
        metrics.record(operation(handler), "refused");
        return problem(e.status, e.field, e.getMessage());
    }

    @ExceptionHandler(MultipartException.class)
    ResponseEntity<ProblemDetail> onMultipart(MultipartException e) {
        metrics.record(UploadMetrics.Operation.MULTIPART, "refused");
        MultipartFailure failure = MultipartFailure.of(e.code());
        ResponseEntity<ProblemDetail> answer =
                problem(failure.status, failure.field, failure.field + ": " + e.getMessage());
        answer.getBody().setProperty("code", e.code());
        return answer;
    }

    @ExceptionHandler(ObjectNotFoundException.class)
    ResponseEntity<ProblemDetail> onNotFound(ObjectNotFoundException e) {
        Optional<StoreProblem> problem = StoreProblem.of(e); // the bucket is missing, not the upload
        if (problem.isPresent()) {
            return unavailable(problem.get());
        }
        return problem(HttpStatus.NOT_FOUND, "key", "key: " + e.getMessage());
    }

    @ExceptionHandler(PromotionException.class)
    ResponseEntity<ProblemDetail> onPromotion(PromotionException e, HandlerMethod handler) {
        metrics.record(operation(handler), "changed");
        return problem(HttpStatus.CONFLICT, "key", "key: " + e.getMessage());
    }

    /**
     * 502, or 503 with Retry-After when S3 asked to slow down or cannot be used as configured (then naming the cause);
     * logged once, with S3's request id.
     */
    @ExceptionHandler(StorageException.class)
    ResponseEntity<ProblemDetail> onStorage(StorageException e, HandlerMethod handler) {
        log.warn(
                "Storage failure (S3 request id {}): {}",
                S3Names.quoteForLog(e.requestId()),
                S3Names.quoteForLog(e.getMessage()));
        metrics.record(operation(handler), "error");
        Optional<StoreProblem> problem = StoreProblem.of(e);
        if (problem.isPresent()) {
            return unavailable(problem.get());
        }
        if (e.throttled()) {
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .header(HttpHeaders.RETRY_AFTER, String.valueOf(RETRY_AFTER_SECONDS))
                    .body(ProblemDetail.forStatusAndDetail(
                            HttpStatus.SERVICE_UNAVAILABLE,
                            "The storage service is busy; nothing was changed. Try again in " + RETRY_AFTER_SECONDS
                                    + " s."));
        }
        return problem(
                HttpStatus.BAD_GATEWAY,
                null,
                "The storage service failed or did not answer in time; nothing"
                        + " was promoted or deleted. Try again later.");
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ProblemDetail> onUnreadable(HttpMessageNotReadableException e) {
        return problem(
                HttpStatus.BAD_REQUEST,
                "body",
                "body: send JSON (Content-Type application/json) such as"
                        + " {\"key\": \"…\"} to validate, {\"filename\": \"…\", \"type\": \"…\"} to start a multipart upload,"
                        + " {\"parts\": [{\"PartNumber\": 1, \"ETag\": \"…\"}]} to complete one");
    }

    /** 503 naming the cause when the store cannot be used as configured (no credentials …), else 500. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> onUnexpected(Exception e, HandlerMethod handler) {
        metrics.record(operation(handler), "error");
        Optional<StoreProblem> problem = StoreProblem.of(e);
        if (problem.isPresent()) {
            return unavailable(problem.get());
        }
        log.error("Upload endpoint failed", e);
        return problem(
                HttpStatus.INTERNAL_SERVER_ERROR,
                null,
                "The server failed to handle the upload; try again" + " later.");
    }

    /**
     * 503 naming the cause, not "try again": retrying cannot help until the server's configuration or the store is
     * fixed. The fix, which names settings, goes to the log only.
     */
    private static ResponseEntity<ProblemDetail> unavailable(StoreProblem problem) {
        log.warn("The upload store cannot be used: {}. {}", problem.summary(), problem.action());
        ProblemDetail body = ProblemDetail.forStatusAndDetail(
                HttpStatus.SERVICE_UNAVAILABLE,
                "The upload store cannot be used: " + problem.summary()
                        + ". Nothing was changed; the server's configuration or the store must be fixed first.");
        body.setProperty("cause", problem.code());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(body);
    }

    /** The operation the endpoint method declares with {@link Metered}. */
    private static UploadMetrics.Operation operation(HandlerMethod handler) {
        Metered metered = handler == null ? null : handler.getMethodAnnotation(Metered.class);
        return metered == null ? UploadMetrics.Operation.SIGN : metered.value();
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String field, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        if (field != null) {
            problem.setProperty("field", field);
        }
        return ResponseEntity.status(status).body(problem);
    }
}
