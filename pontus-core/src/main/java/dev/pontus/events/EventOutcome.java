package dev.pontus.events;

import static java.util.Objects.requireNonNull;

import dev.pontus.validate.ValidationResult;
import java.time.Instant;

/**
 * What handling one event of a message came to. The message is deleted from the queue when every outcome is
 * {@link #acknowledged()}; otherwise it is left there, to be delivered again after its visibility timeout, and
 * after the queue's {@code maxReceiveCount} moved to its dead-letter queue.
 */
public sealed interface EventOutcome {

    /** Whether the event needs no further delivery. */
    default boolean acknowledged() {
        return true;
    }

    /**
     * The upload was valid and this delivery promoted it.
     *
     * @param key       the key it was uploaded to
     * @param owner     the user it was issued to ("" when anonymous)
     * @param eventTime when S3 created the object (null when the message did not say)
     */
    record Validated(String key, ValidationResult.Valid result, String owner, Instant eventTime)
            implements EventOutcome {
        public Validated {
            requireNonNull(key, "key");
            requireNonNull(result, "result");
            requireNonNull(owner, "owner");
        }
    }

    /** The upload was refused (and deleted, if the promoter deletes invalid uploads). */
    record Rejected(String key, ValidationResult.Invalid result, String owner, Instant eventTime)
            implements EventOutcome {
        public Rejected {
            requireNonNull(key, "key");
            requireNonNull(result, "result");
            requireNonNull(owner, "owner");
        }
    }

    /**
     * Nothing to do for this event any more: the upload it names was promoted already, deleted, or replaced by a
     * newer upload (which has its own event).
     */
    record Duplicate(String key, String reason, Instant eventTime) implements EventOutcome {}

    /**
     * Not for this handler: the test event, another bucket, prefix or event type, or a key this application did
     * not issue (never promoted).
     */
    record Skipped(String reason) implements EventOutcome {}

    /** The store failed or timed out: nothing was promoted or deleted on the strength of it; deliver it again. */
    record RetryLater(String key, RuntimeException cause) implements EventOutcome {
        @Override
        public boolean acknowledged() {
            return false;
        }
    }

    /** The message is not an S3 event message; left for the dead-letter queue. {@code reason} never quotes it. */
    record Malformed(String reason) implements EventOutcome {
        @Override
        public boolean acknowledged() {
            return false;
        }
    }
}
