package dev.pontus.validate;

import dev.pontus.StorageException;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The one place that reads S3's status and error codes, as Spring's {@code SQLExceptionTranslator} does for SQL:
 * a refusal that promotion decides on becomes a {@link Refused} with its {@link Refusal}; S3's answer to racing
 * conditional writes (409 ConditionalRequestConflict) is retried, as AWS's documentation says; anything else is a
 * {@link StorageException}.
 */
final class S3Calls {
    /** How often a call refused with 409 ConditionalRequestConflict is made again. */
    static final int CONFLICT_RETRIES = 3;

    private S3Calls() {}

    /** Why S3 refused a request, where promotion decides what follows. */
    enum Refusal {
        /** 404: no such key (or, for a conditional delete, nothing to delete). */
        NOT_FOUND,
        /** 412: an {@code If-Match}/{@code x-amz-copy-source-if-match}/{@code If-None-Match} condition failed. */
        CHANGED,
        /** 416: the range asked for is not in the object (any range of an empty object). */
        RANGE_NOT_SATISFIABLE
    }

    /** S3 refused for a {@link Refusal}: not a failure of the store, an answer about the object. */
    static final class Refused extends RuntimeException {
        private final Refusal refusal;

        Refused(Refusal refusal, SdkException cause) {
            super(refusal + ": " + cause.getMessage(), cause, false, false);
            this.refusal = refusal;
        }

        Refusal refusal() {
            return refusal;
        }

        /** Where the refusal has no meaning for the caller: a failure of {@code what}. */
        StorageException asFailure(String what) {
            return StorageException.of(what, (SdkException) getCause());
        }
    }

    /**
     * Runs {@code call} (which builds its request anew, so each attempt gets its own timeout), described by
     * {@code what} ("Reading s3://bucket/key") for the error.
     *
     * @throws Refused          when S3 answered 404, 412 or 416
     * @throws StorageException for every other failure, and for a conflict still there after the retries
     */
    static <T> T call(String what, Supplier<T> call) {
        for (int attempt = 0; ; attempt++) {
            try {
                return call.get();
            } catch (SdkException e) {
                RuntimeException translated = translate(what, e);
                if (!(translated instanceof Conflict) || attempt == CONFLICT_RETRIES) {
                    throw translated instanceof Conflict ? StorageException.of(what, e) : translated;
                }
                pause(attempt);
            }
        }
    }

    /** {@link #call} for calls without an answer. */
    static void run(String what, Runnable call) {
        call(what, () -> {
            call.run();
            return null;
        });
    }

    /** What {@code e} means: a {@link Refused}, a {@link Conflict} to retry, or a {@link StorageException}. */
    static RuntimeException translate(String what, SdkException e) {
        if (e instanceof AwsServiceException service) {
            String code = service.awsErrorDetails() == null
                    ? null
                    : service.awsErrorDetails().errorCode();
            switch (service.statusCode()) {
                case 404:
                    return new Refused(Refusal.NOT_FOUND, e);
                case 412:
                    return new Refused(Refusal.CHANGED, e);
                case 416:
                    return new Refused(Refusal.RANGE_NOT_SATISFIABLE, e);
                case 409:
                    if ("ConditionalRequestConflict".equals(code)) {
                        return new Conflict(e);
                    }
                    break;
                default:
                    break;
            }
        }
        return StorageException.of(what, e);
    }

    /** 409 ConditionalRequestConflict: conditional writes to one key raced; retrying settles it. */
    static final class Conflict extends RuntimeException {
        Conflict(SdkException cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(50L << attempt);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while retrying a conflicting S3 write", e);
        }
    }
}
