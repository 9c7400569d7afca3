package dev.pontus.events;

import static java.util.Objects.requireNonNull;

import dev.pontus.S3Names;
import dev.pontus.validate.NotAdmittedException;
import dev.pontus.validate.ObjectNotFoundException;
import dev.pontus.validate.PromotionException;
import dev.pontus.validate.UploadPromoter;
import dev.pontus.validate.ValidationResult;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates and promotes the uploads that one S3 event message names, for a queue consumer: one SQS message body
 * in, one {@link EventOutcome} per event out. Delete the message when every outcome is
 * {@link EventOutcome#acknowledged() acknowledged}, else leave it in the queue. Thread-safe; build one and share it.
 *
 * <pre>{@code
 * UploadEventHandler handler = UploadEventHandler.builder()
 *         .promoter(promoter)            // its bucket and unvalidated prefix select the events
 *         .issuedKeys(IssuedKeys.ANY)    // or a check of your keys' MAC
 *         .build();
 * List<EventOutcome> outcomes = handler.handle(message.body());
 * if (outcomes.stream().allMatch(EventOutcome::acknowledged)) { ... delete the message ... }
 * }</pre>
 *
 * <p>Delivery is at least once and not in order, so each event is handled for the exact upload it names, by its
 * ETag: {@link UploadPromoter#validateAndPromote(String, String, java.util.function.Predicate)} reads that upload
 * only (one that was promoted, deleted or replaced by a newer upload, which has its own event, is acknowledged
 * without action), admits it if its metadata shows the key was issued by this application, and checks and promotes
 * it once. That is the promoter's two round trips, nothing more. The sequencer is not needed: no state is kept to
 * compare it with, and the ETag condition on the store gives the same answer.
 */
public final class UploadEventHandler {
    private static final Logger log = LoggerFactory.getLogger(UploadEventHandler.class);

    private final UploadPromoter promoter;
    private final IssuedKeys issuedKeys;

    private UploadEventHandler(Builder b) {
        this.promoter = requireNonNull(b.promoter, "promoter: is not set; give the UploadPromoter to validate with");
        this.issuedKeys = requireNonNull(
                b.issuedKeys,
                "issuedKeys: is not set; give the check of your upload keys, or"
                        + " IssuedKeys.ANY to promote any key under the unvalidated prefix");
        if (promoter.unvalidatedPrefix().isEmpty()) {
            throw new IllegalArgumentException("promoter: has no unvalidated prefix; events can only tell uploads"
                    + " from promoted files by it: set UploadPromoter.Builder.unvalidatedPrefix");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Handles one SQS message body: validates and promotes every upload it names as created under the unvalidated
     * prefix of the promoter's bucket. Never throws for a message or a store failure: the outcome says it.
     */
    public List<EventOutcome> handle(String body) {
        return handle(body, false);
    }

    /**
     * {@link #handle(String)} for a message the queue delivers again ({@code redelivered}: SQS's
     * ApproximateReceiveCount is over 1), after an instance took it and did not finish, perhaps after it promoted
     * the upload but before it reported it. An upload found promoted with the event's ETag and its original gone is
     * then reported again as {@link EventOutcome.Validated}: the application may hear of it twice, never not at all.
     * A duplicate event from S3 is a message of its own, first delivered, and changes nothing.
     */
    public List<EventOutcome> handle(String body, boolean redelivered) {
        S3EventMessage.Parsed parsed = S3EventMessage.parse(body);
        if (parsed instanceof S3EventMessage.Malformed malformed) {
            return List.of(new EventOutcome.Malformed(malformed.reason()));
        }
        if (parsed instanceof S3EventMessage.TestEvent) {
            log.debug("Skipped S3's test event");
            return List.of(new EventOutcome.Skipped("the test event S3 sends when notifications are configured"));
        }
        List<EventOutcome> outcomes = new ArrayList<>();
        for (S3EventMessage.Event event : ((S3EventMessage.Events) parsed).events()) {
            outcomes.add(handle(event, redelivered));
        }
        return outcomes;
    }

    private EventOutcome handle(S3EventMessage.Event event, boolean redelivered) {
        if (event instanceof S3EventMessage.Other other) {
            return skip(other.description() + " in bucket " + S3Names.quoteForLog(other.bucket()));
        }
        S3EventMessage.Created created = (S3EventMessage.Created) event;
        String key = created.key();
        if (!promoter.bucket().equals(created.bucket())) {
            return skip("bucket " + S3Names.quoteForLog(created.bucket()) + " is not " + promoter.bucket());
        }
        if (!key.startsWith(promoter.unvalidatedPrefix())) {
            return skip(S3Names.quoteForLog(key) + " is outside " + promoter.unvalidatedPrefix());
        }
        try {
            return validate(created, redelivered);
        } catch (PromotionException e) {
            return duplicate(created, "it was replaced by a newer upload, which has its own event");
        } catch (ObjectNotFoundException e) {
            return duplicate(created, "nothing is at the key: the upload was promoted or deleted already");
        } catch (NotAdmittedException e) {
            log.warn(
                    "s3://{}/{} was not uploaded with a key this application issued; it is not promoted",
                    promoter.bucket(),
                    S3Names.quoteForLog(key));
            return new EventOutcome.Skipped("the key was not issued by this application; not promoted");
        } catch (RuntimeException e) { // StorageException, or anything unforeseen: the queue retries, then DLQ
            log.debug(
                    "Validating s3://{}/{} failed; the message goes back to the queue: {}",
                    promoter.bucket(),
                    S3Names.quoteForLog(key),
                    e.toString());
            return new EventOutcome.RetryLater(key, e);
        }
    }

    private EventOutcome validate(S3EventMessage.Created created, boolean redelivered) {
        String key = created.key();
        ValidationResult result = promoter.validateAndPromote(
                key,
                created.eTag(),
                upload -> issuedKeys.owner(key, upload.metadata()).isPresent());
        String owner = issuedKeys.owner(key, result.upload().metadata()).orElseThrow(); // admitted
        if (result instanceof ValidationResult.Invalid invalid) {
            return new EventOutcome.Rejected(key, invalid, owner, created.eventTime());
        }
        ValidationResult.Valid valid = (ValidationResult.Valid) result;
        if (!valid.repeated()) {
            return new EventOutcome.Validated(key, valid, owner, created.eventTime());
        }
        if (!redelivered || !promotedFromThisEvent(valid, created)) {
            return duplicate(created, "it was promoted already");
        }
        log.info(
                "s3://{}/{} was promoted by an earlier delivery of its event that did not finish; reported again",
                promoter.bucket(),
                S3Names.quoteForLog(valid.key()));
        return new EventOutcome.Validated(
                key,
                new ValidationResult.Valid(
                        valid.upload(), valid.key(), true, valid.warnings(), false, valid.contentType()),
                owner,
                created.eventTime());
    }

    /** Whether the final key holds the event's very upload: an earlier delivery may have ended before reporting it. */
    private static boolean promotedFromThisEvent(ValidationResult.Valid valid, S3EventMessage.Created created) {
        return created.eTag() != null
                && created.eTag().equals(S3EventMessage.unquote(valid.upload().eTag()));
    }

    private static EventOutcome skip(String reason) {
        log.debug("Skipped an S3 event: {}", reason);
        return new EventOutcome.Skipped(reason);
    }

    private EventOutcome duplicate(S3EventMessage.Created created, String reason) {
        log.debug(
                "Nothing to do for s3://{}/{} (ETag {}): {}",
                promoter.bucket(),
                S3Names.quoteForLog(created.key()),
                S3Names.quoteForLog(created.eTag()),
                reason);
        return new EventOutcome.Duplicate(created.key(), reason, created.eventTime());
    }

    /** Builds an {@link UploadEventHandler}; the promoter and the key check are required. */
    public static final class Builder {
        private UploadPromoter promoter;
        private IssuedKeys issuedKeys;

        private Builder() {}

        /** Validates and promotes; its bucket and unvalidated prefix select the events handled. */
        public Builder promoter(UploadPromoter promoter) {
            this.promoter = promoter;
            return this;
        }

        /** Whether this application issued a key; {@link IssuedKeys#ANY} to promote any key under the prefix. */
        public Builder issuedKeys(IssuedKeys issuedKeys) {
            this.issuedKeys = issuedKeys;
            return this;
        }

        public UploadEventHandler build() {
            return new UploadEventHandler(this);
        }
    }
}
