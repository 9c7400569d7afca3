package dev.pontus;

import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * The storage service failed, answered something inconsistent, or did not answer in time; nothing was judged,
 * deleted or promoted on the strength of it. Safe to retry. {@link #throttled()} tells when the store asked
 * callers to slow down (answer 503 with Retry-After); otherwise it is a bad gateway (502).
 */
public class StorageException extends PontusException {
    private final int statusCode;
    private final String requestId;
    private final boolean throttled;

    public StorageException(String message, int statusCode, String requestId, boolean throttled, Throwable cause) {
        super(message, cause);
        this.statusCode = statusCode;
        this.requestId = requestId;
        this.throttled = throttled;
    }

    /** A failure of the SDK call that {@code what} describes ("Reading s3://bucket/key"). */
    public static StorageException of(String what, SdkException e) {
        SdkServiceException service = serviceAnswer(e);
        if (service != null) {
            boolean throttled =
                    service.isThrottlingException() || service.statusCode() == 503 || service.statusCode() == 429;
            return new StorageException(
                    what + " failed: the store answered " + service.statusCode() + " (" + firstLine(e.getMessage())
                            + ")",
                    service.statusCode(),
                    service.requestId(),
                    throttled,
                    e);
        }
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
            return new StorageException(what + " timed out: " + firstLine(e.getMessage()), 0, null, false, e);
        }
        return new StorageException(what + " failed: " + firstLine(e.getMessage()), 0, null, false, e);
    }

    /**
     * The store answered, but not what was asked or not what it announced (a short body, a wrong range, no ETag):
     * {@code message} says what, and that nothing was judged on it.
     */
    public static StorageException inconsistent(String message, int statusCode, String requestId) {
        return new StorageException(message, statusCode, requestId, false, null);
    }

    /** The store did not answer in time. */
    public static StorageException timedOut(String message, Throwable cause) {
        return new StorageException(message, 0, null, false, cause);
    }

    /** The store's HTTP status, or 0 when it gave none (timeout, reset, inconsistent answer). */
    public int statusCode() {
        return statusCode;
    }

    /** The store's request id (x-amz-request-id), for its logs; null when it gave none. */
    public String requestId() {
        return requestId;
    }

    /** Whether the store asked to slow down (503 SlowDown, 429). */
    public boolean throttled() {
        return throttled;
    }

    /**
     * The store's own answer: the exception itself, or, when the SDK gave up retrying (a timeout), the last answer
     * it had, so that a store throttling every attempt is still told apart from one that does not answer.
     */
    private static SdkServiceException serviceAnswer(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SdkServiceException service) {
                return service;
            }
            for (Throwable suppressed : t.getSuppressed()) {
                if (suppressed instanceof SdkServiceException service) {
                    return service;
                }
            }
        }
        return null;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no message";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
