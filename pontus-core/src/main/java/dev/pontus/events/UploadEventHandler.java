package dev.pontus.events;

import static java.util.Objects.requireNonNull;

import dev.pontus.S3Names;
import dev.pontus.StorageException;
import dev.pontus.validate.ObjectNotFoundException;
import dev.pontus.validate.PromotionException;
import dev.pontus.validate.UploadPromoter;
import dev.pontus.validate.UploadedObject;
import dev.pontus.validate.ValidationResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Validates and promotes the uploads that one S3 event message names, for a queue consumer: one SQS message body
 * in, one {@link EventOutcome} per event out. Delete the message when every outcome is
 * {@link EventOutcome#acknowledged() acknowledged}, else leave it in the queue. Thread-safe; build one and share it.
 *
 * <pre>{@code
 * UploadEventHandler handler = UploadEventHandler.builder()
 *         .promoter(promoter)            // its bucket and unvalidated prefix select the events
 *         .s3(s3Client)
 *         .issuedKeys(IssuedKeys.ANY)    // or a check of your keys' MAC
 *         .build();
 * List<EventOutcome> outcomes = handler.handle(message.body());
 * if (outcomes.stream().allMatch(EventOutcome::acknowledged)) { ... delete the message ... }
 * }</pre>
 *
 * <p>Delivery is at least once and not in order, so each event is handled for the exact upload it names, by its
 * ETag: one HEAD tells whether that upload is still at the key (else it was promoted, deleted or replaced by a newer
 * upload, which has its own event: acknowledged without action) and whom it was issued to; then
 * {@link UploadPromoter#validateAndPromote(String, String)} checks and promotes that ETag only, once. The sequencer
 * is not needed: no state is kept to compare it with, and the ETag condition on the store gives the same answer.
 */
public final class UploadEventHandler {
    private static final Logger log = LoggerFactory.getLogger(UploadEventHandler.class);

    private final UploadPromoter promoter;
    private final S3Client s3;
    private final IssuedKeys issuedKeys;
    private final Duration callTimeout;

    private UploadEventHandler(Builder b) {
        this.promoter = requireNonNull(b.promoter, "promoter: is not set; give the UploadPromoter to validate with");
        this.s3 = requireNonNull(b.s3, "s3: is not set; give the S3Client that reads the bucket");
        this.issuedKeys = requireNonNull(
                b.issuedKeys,
                "issuedKeys: is not set; give the check of your upload keys, or"
                        + " IssuedKeys.ANY to promote any key under the unvalidated prefix");
        this.callTimeout = b.callTimeout;
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
            return duplicate(created, "nothing is at the key: the upload was deleted");
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
        HeadObjectResponse head = head(key);
        if (head == null && redelivered) {
            return promotedUnreported(created);
        }
        if (head == null) {
            return duplicate(created, "nothing is at the key: the upload was promoted or deleted already");
        }
        String current = S3EventMessage.unquote(head.eTag());
        String eTag = created.eTag() == null || created.eTag().isBlank() ? current : created.eTag();
        if (!eTag.equals(current)) {
            return duplicate(created, "it was replaced by a newer upload, which has its own event");
        }
        Optional<String> owner = issuedKeys.owner(key, head.metadata());
        if (owner.isEmpty()) {
            log.warn(
                    "s3://{}/{} was not uploaded with a key this application issued; it is not promoted",
                    promoter.bucket(),
                    S3Names.quoteForLog(key));
            return new EventOutcome.Skipped("the key was not issued by this application; not promoted");
        }
        ValidationResult result = promoter.validateAndPromote(key, eTag);
        if (result instanceof ValidationResult.Valid valid) {
            return valid.repeated()
                    ? duplicate(created, "it was promoted already")
                    : new EventOutcome.Validated(key, valid, owner.get(), created.eventTime());
        }
        return new EventOutcome.Rejected(key, (ValidationResult.Invalid) result, owner.get(), created.eventTime());
    }

    /**
     * The original is gone on a redelivery: if its final key holds the event's very upload, an earlier delivery
     * promoted it and may have ended before reporting it; report it (again).
     */
    private EventOutcome promotedUnreported(S3EventMessage.Created created) {
        String target = promoter.finalKey(created.key());
        HeadObjectResponse promoted = head(target);
        if (promoted == null
                || created.eTag() == null
                || !created.eTag().equals(S3EventMessage.unquote(promoted.eTag()))) {
            return duplicate(created, "nothing is at the key: the upload was promoted or deleted already");
        }
        Optional<String> owner = issuedKeys.owner(created.key(), promoted.metadata());
        if (owner.isEmpty()) {
            return new EventOutcome.Skipped("the key was not issued by this application");
        }
        String type = promoted.contentType() == null ? "application/octet-stream" : promoted.contentType();
        UploadedObject upload = new UploadedObject(
                promoter.bucket(),
                target,
                promoted.contentLength(),
                promoted.contentType(),
                promoted.metadata(),
                promoted.eTag(),
                promoted.lastModified(),
                type,
                new byte[0]);
        log.info(
                "s3://{}/{} was promoted by an earlier delivery of its event that did not finish; reported again",
                promoter.bucket(),
                S3Names.quoteForLog(target));
        return new EventOutcome.Validated(
                created.key(),
                new ValidationResult.Valid(upload, target, true, List.of(), false, promoted.contentType()),
                owner.get(),
                created.eventTime());
    }

    private HeadObjectResponse head(String key) {
        String what = "Looking up s3://" + promoter.bucket() + "/" + key;
        try {
            return s3.headObject(b ->
                    b.bucket(promoter.bucket()).key(key).overrideConfiguration(o -> o.apiCallTimeout(callTimeout)));
        } catch (NoSuchKeyException e) {
            return null;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return null;
            }
            throw StorageException.of(what, e);
        } catch (SdkException e) {
            throw StorageException.of(what, e);
        }
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

    /** Builds an {@link UploadEventHandler}; the promoter, the S3 client and the key check are required. */
    public static final class Builder {
        private UploadPromoter promoter;
        private S3Client s3;
        private IssuedKeys issuedKeys;
        private Duration callTimeout = UploadPromoter.DEFAULT_CALL_TIMEOUT;

        private Builder() {}

        /** Validates and promotes; its bucket and unvalidated prefix select the events handled. */
        public Builder promoter(UploadPromoter promoter) {
            this.promoter = promoter;
            return this;
        }

        /** Reads the uploads' ETag and metadata (one HEAD per event). */
        public Builder s3(S3Client s3) {
            this.s3 = s3;
            return this;
        }

        /** Whether this application issued a key; {@link IssuedKeys#ANY} to promote any key under the prefix. */
        public Builder issuedKeys(IssuedKeys issuedKeys) {
            this.issuedKeys = issuedKeys;
            return this;
        }

        /** How long the HEAD may take (default 10 s). */
        public Builder callTimeout(Duration callTimeout) {
            if (callTimeout == null || callTimeout.isNegative() || callTimeout.isZero()) {
                throw new IllegalArgumentException("callTimeout: " + callTimeout + " is not a positive duration;"
                        + " give one such as Duration.ofSeconds(10)");
            }
            this.callTimeout = callTimeout;
            return this;
        }

        public UploadEventHandler build() {
            return new UploadEventHandler(this);
        }
    }
}
