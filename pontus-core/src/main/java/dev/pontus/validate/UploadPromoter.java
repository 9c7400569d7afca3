package dev.pontus.validate;

import static java.util.Objects.requireNonNull;

import dev.pontus.S3Names;
import dev.pontus.StorageException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;

/**
 * Checks what a browser uploaded with the {@link Validator} rules and, when it is valid, promotes it: moves it from
 * the unvalidated prefix to its final key. {@link #check} only checks; {@link #validateAndPromote} does both.
 * Thread-safe; build one and share it.
 *
 * <pre>{@code
 * UploadPromoter promoter = UploadPromoter.builder()
 *         .s3(s3Client)
 *         .bucket("photos")
 *         .unvalidatedPrefix("unvalidated/")           // the signer's prefix; removed at promotion
 *         .validators(Validators.fileSize(1, 10 << 20), Validators.allowTypes("image/*"))
 *         .build();
 * ValidationResult result = promoter.validateAndPromote("unvalidated/1f0c.../cat.jpg");
 * if (result instanceof ValidationResult.Valid valid) { ... valid.key() is "1f0c.../cat.jpg" ... }
 * }</pre>
 *
 * <p>A validation makes two round trips to S3, whatever the file's size: first, together, a ranged GET of the
 * object's head (64 KiB by default; its answer also gives the size, ETag, Content-Type and metadata), a ranged GET
 * of its last 64 KiB (for the markup scan) and a HEAD of the final key (an earlier validation may have promoted it
 * already); then, for a valid upload, a server-side copy conditional on the checked ETag
 * ({@code x-amz-copy-source-if-match}) and on the final key not existing ({@code If-None-Match: *}). Reads that
 * disagree (another ETag or size: the object was replaced between them) are never judged; an answer shorter,
 * longer or other than the range asked for is a storage failure ({@link StorageException}), never a verdict.
 *
 * <p>Promotion happens at most once per upload and never overwrites. The answer comes once the copy has
 * succeeded; the original is then deleted, conditional on the checked ETag ({@code If-Match}) so that an upload
 * that replaced it stays; a failed delete leaves it to the sweep or lifecycle rule, and a later validation of it
 * answers the same final key. Concurrent validations of one key in this process share one run; repeated ones
 * answer the same final key with {@link ValidationResult.Valid#repeated()}. Every S3 call has a timeout, and so
 * has the whole validation.
 */
public final class UploadPromoter {
    public static final int DEFAULT_HEAD_BYTES = 64 * 1024;
    public static final int DEFAULT_TAIL_BYTES = 64 * 1024;
    /** The largest object one CopyObject copies on AWS; larger ones are promoted by a multipart copy. */
    public static final long DEFAULT_MULTIPART_COPY_THRESHOLD = 5L * 1024 * 1024 * 1024;

    public static final long DEFAULT_MULTIPART_COPY_PART_SIZE = 512L * 1024 * 1024;
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_OPERATION_TIMEOUT = Duration.ofSeconds(25);
    private static final Validator ACTIVE_CONTENT = Validators.denyActiveContent();

    private final String bucket;
    private final List<Validator> validators;
    private final String unvalidatedPrefix;
    private final String validatedPrefix;
    private final UnaryOperator<String> finalNames;
    private final boolean deleteInvalid;
    private final boolean allowActiveContent;
    private final Duration callTimeout;
    private final Duration operationTimeout;
    private final ObjectReader reader;
    private final WholeFileScan scan;
    private final Promotion promotion;
    private final OneRunPerKey runs;

    private UploadPromoter(Builder b) {
        S3Client s3 = requireNonNull(b.s3, "s3: is not set; give the S3Client that reads the bucket");
        this.bucket = S3Names.requireBucket(b.bucket);
        this.validators = List.copyOf(b.validators);
        this.unvalidatedPrefix = b.unvalidatedPrefix;
        this.validatedPrefix = b.validatedPrefix;
        this.finalNames = b.finalNames;
        this.deleteInvalid = b.deleteInvalid;
        this.allowActiveContent = b.allowActiveContent;
        this.callTimeout = b.callTimeout;
        this.operationTimeout = b.operationTimeout;
        this.reader = new ObjectReader(s3, bucket, b.headBytes, b.tailBytes);
        this.scan = new WholeFileScan(s3, b.fullScanBytes);
        this.promotion = new Promotion(
                s3,
                bucket,
                reader,
                new Promotion.Settings(
                        b.acl,
                        b.deleteUnvalidated,
                        b.correctContentType,
                        b.multipartCopyThreshold,
                        b.multipartCopyPartSize,
                        b.callTimeout,
                        b.cleanupWarnings));
        this.runs = new OneRunPerKey(b.operationTimeout);
    }

    public static Builder builder() {
        return new Builder();
    }

    public String bucket() {
        return bucket;
    }

    public String unvalidatedPrefix() {
        return unvalidatedPrefix;
    }

    /** The validators, in the order they run. */
    public List<Validator> validators() {
        return validators;
    }

    /**
     * Checks the upload at {@code key}, then promotes it when valid, or deletes it when invalid and so configured.
     * Validating a key again after its promotion answers the same final key, marked
     * {@link ValidationResult.Valid#repeated() repeated}; so do concurrent calls for one key, which share one run.
     *
     * @throws IllegalArgumentException when the key is outside the unvalidated prefix
     * @throws ObjectNotFoundException  when there is no object at the key, nor a promoted one
     * @throws PromotionException       when the upload changed or vanished between check and copy; it was not
     *                                  promoted and nothing was deleted: validate it again
     * @throws StorageException         when S3 failed, answered inconsistently or timed out; nothing was promoted
     *                                  or deleted on the strength of it: try again
     */
    public ValidationResult validateAndPromote(String key) {
        return validateAndPromote(key, null);
    }

    /**
     * {@link #validateAndPromote(String)} for one upload only: the object at {@code key} with this ETag, as an S3
     * event names it (quotes optional). When the key now holds another object, a newer upload that has its own
     * event, nothing is checked and {@link PromotionException} is thrown; when that upload was promoted already,
     * the answer is {@link ValidationResult.Valid#repeated() repeated}; when it is gone and was not promoted,
     * {@link ObjectNotFoundException}.
     */
    public ValidationResult validateAndPromote(String key, String eTag) {
        return validateAndPromote(key, eTag, upload -> true);
    }

    /**
     * {@link #validateAndPromote(String, String)} for an upload that {@code admit} accepts, from what the reads
     * found (its metadata, say who uploaded it; for an upload promoted already, the promoted object's): with no
     * call of its own, so an S3 event's upload is checked for its owner in the same round trip that reads it.
     * Concurrent calls for one key share one run, and so the first call's {@code admit}.
     *
     * @throws NotAdmittedException when {@code admit} refuses it; nothing was judged, promoted or deleted
     */
    public ValidationResult validateAndPromote(String key, String eTag, Predicate<UploadedObject> admit) {
        checkKey(key);
        requireNonNull(admit, "admit");
        String expected = eTag == null || eTag.isEmpty() || eTag.startsWith("\"") ? eTag : "\"" + eTag + "\"";
        return runs.run(key, uri(key), () -> validateOnce(key, expected, admit, deadline()));
    }

    /** Reads the upload's head and tail once and runs every validator on them; changes nothing in the bucket. */
    public ValidationResult check(String key) {
        checkKey(key);
        Deadline deadline = deadline();
        return judge(reader.read(key, null, null, deadline).upload(), deadline);
    }

    /**
     * Copies a valid upload from the unvalidated prefix to its final key, keeping Content-Type and metadata, if
     * it has not changed since it was checked and nothing is at the final key yet; then deletes the original (if
     * so configured and it is still the checked one). An upload outside the unvalidated prefix (no prefix
     * configured) stays where it is.
     */
    public ValidationResult.Valid promote(ValidationResult.Valid valid) {
        if (unvalidatedPrefix.isEmpty() || valid.promoted()) {
            return valid;
        }
        checkKey(valid.upload().key());
        Deadline deadline = deadline();
        String target = finalKey(valid.upload().key());
        return promotion.promote(valid.upload(), target, reader.head(target, deadline), deadline);
    }

    /**
     * Where a valid upload at {@code key} ends up: the unvalidated prefix replaced by the validated one, and the name
     * below it as {@link Builder#finalNames} makes it.
     */
    public String finalKey(String key) {
        if (unvalidatedPrefix.isEmpty()) {
            return key;
        }
        String name = finalNames.apply(key.substring(unvalidatedPrefix.length()));
        if (name == null || name.isEmpty()) {
            throw new IllegalStateException(
                    "finalNames: gave no name for '" + key + "'; it must give every upload" + " a name of its own");
        }
        return S3Names.requireKey("final key", validatedPrefix + name);
    }

    /** Read (with the final key's HEAD), judge, then promote or delete as configured. */
    private ValidationResult validateOnce(String key, String eTag, Predicate<UploadedObject> admit, Deadline deadline) {
        String target = unvalidatedPrefix.isEmpty() ? null : finalKey(key);
        ObjectReader.Reads reads;
        try {
            reads = reader.read(key, eTag, target, deadline);
        } catch (ObjectReader.NotFound e) {
            if (e.promoted() == null) {
                throw e;
            }
            UploadedObject promoted = admitted(promotion.promotedObject(target, e.promoted()), key, admit);
            return new ValidationResult.Valid(promoted, target, true, List.of(), true);
        }
        ValidationResult result = judge(admitted(reads.upload(), key, admit), deadline);
        if (result instanceof ValidationResult.Valid valid) {
            return target == null ? valid : promotion.promote(valid.upload(), target, reads.promoted(), deadline);
        }
        ValidationResult.Invalid invalid = (ValidationResult.Invalid) result;
        if (!deleteInvalid) {
            return invalid;
        }
        String warning = promotion.deleteChecked(invalid.upload(), "The invalid upload", deadline);
        return warning == null
                ? new ValidationResult.Invalid(invalid.upload(), invalid.violations(), true)
                : new ValidationResult.Invalid(invalid.upload(), invalid.violations(), false, List.of(warning));
    }

    private static UploadedObject admitted(UploadedObject upload, String key, Predicate<UploadedObject> admit) {
        if (!admit.test(upload)) {
            throw new NotAdmittedException(
                    key,
                    "s3://" + upload.bucket() + "/" + key + " was not admitted; it was"
                            + " not checked, promoted or deleted");
        }
        return upload;
    }

    /** Every validator's violations; the whole-file scan only for a file that passed the rest. */
    private ValidationResult judge(UploadedObject upload, Deadline deadline) {
        List<Violation> violations = new ArrayList<>();
        if (!allowActiveContent) {
            violations.addAll(ACTIVE_CONTENT.validate(upload));
        }
        Ranges ranges = reader.ranges(upload, deadline);
        for (Validator rule : validators) {
            violations.addAll(
                    rule instanceof ImageDimensions dimensions
                            ? dimensions.validate(upload, ranges) // may follow offsets past the head
                            : rule.validate(upload));
        }
        if (violations.isEmpty() && scan.applies(upload)) {
            violations.addAll(scan.scan(upload, deadline));
        }
        return violations.isEmpty()
                ? new ValidationResult.Valid(upload, upload.key(), false, List.of())
                : new ValidationResult.Invalid(upload, violations, false);
    }

    private Deadline deadline() {
        return Deadline.after(operationTimeout, callTimeout);
    }

    private void checkKey(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("key: is empty; give the key the browser uploaded to");
        }
        if (!key.startsWith(unvalidatedPrefix) || key.length() == unvalidatedPrefix.length()) {
            throw new IllegalArgumentException("key: '" + key + "' is not under the unvalidated prefix '"
                    + unvalidatedPrefix + "'; only uploads there can be validated");
        }
        S3Names.requireKey("key", key);
    }

    private String uri(String key) {
        return "s3://" + bucket + "/" + key;
    }

    /** Builds an {@link UploadPromoter}. */
    public static final class Builder {
        private S3Client s3;
        private String bucket;
        private final List<Validator> validators = new ArrayList<>();
        private int headBytes = DEFAULT_HEAD_BYTES;
        private int tailBytes = DEFAULT_TAIL_BYTES;
        private String unvalidatedPrefix = "";
        private String validatedPrefix = "";
        private UnaryOperator<String> finalNames = UnaryOperator.identity();
        private ObjectCannedACL acl;
        private boolean deleteUnvalidated = true;
        private boolean deleteInvalid;
        private Duration callTimeout = DEFAULT_CALL_TIMEOUT;
        private Duration operationTimeout = DEFAULT_OPERATION_TIMEOUT;
        private boolean allowActiveContent;
        private boolean correctContentType = true;
        private long fullScanBytes;
        private long multipartCopyThreshold = DEFAULT_MULTIPART_COPY_THRESHOLD;
        private long multipartCopyPartSize = DEFAULT_MULTIPART_COPY_PART_SIZE;
        private Consumer<String> cleanupWarnings = warning -> {};

        private Builder() {}

        public Builder s3(S3Client s3) {
            this.s3 = requireNonNull(s3, "s3");
            return this;
        }

        public Builder bucket(String bucket) {
            this.bucket = S3Names.requireBucket(bucket);
            return this;
        }

        /** Adds validators, run in order; every violation of every validator is reported. */
        public Builder validators(Validator... validators) {
            return validators(List.of(validators));
        }

        public Builder validators(List<? extends Validator> validators) {
            this.validators.addAll(validators);
            return this;
        }

        /** How many bytes of the object's head are read and sniffed (default 64 KiB). */
        public Builder headBytes(int headBytes) {
            if (headBytes < 512 || headBytes > 16 * 1024 * 1024) {
                throw new IllegalArgumentException("headBytes: " + headBytes + " is outside 512 .. 16 MiB; Tika needs"
                        + " a few KiB to sniff most types, 64 KiB (the default) covers them");
            }
            this.headBytes = headBytes;
            return this;
        }

        /**
         * How many bytes of the object's end are read besides its head, for the markup scan (default 64 KiB; 0
         * reads the head only). Read only when the object is larger than the head.
         */
        public Builder tailBytes(int tailBytes) {
            if (tailBytes < 0 || tailBytes > 16 * 1024 * 1024) {
                throw new IllegalArgumentException("tailBytes: " + tailBytes + " is outside 0 .. 16 MiB; 64 KiB (the"
                        + " default) covers payloads appended to a file");
            }
            this.tailBytes = tailBytes;
            return this;
        }

        /**
         * The prefix uploads land under before validation, as given to the signer (default: none). With a prefix,
         * only keys under it are validated, and valid ones are promoted out of it.
         */
        public Builder unvalidatedPrefix(String prefix) {
            this.unvalidatedPrefix = requireNonNull(prefix, "unvalidatedPrefix");
            return this;
        }

        /** A prefix put before a promoted key (default: none). */
        public Builder validatedPrefix(String prefix) {
            this.validatedPrefix = requireNonNull(prefix, "validatedPrefix");
            return this;
        }

        /**
         * How the name below the unvalidated prefix becomes the name below the validated one (default: unchanged).
         * It must give the same upload the same name every time, and distinct uploads distinct names: the final
         * key is how a repeated validation finds the promoted file, and the copy never overwrites. The Spring Boot
         * starter drops the key's MAC: {@code <id>.<mac>/cat.jpg} becomes {@code <id>/cat.jpg}.
         */
        public Builder finalNames(UnaryOperator<String> naming) {
            this.finalNames = requireNonNull(naming, "finalNames");
            return this;
        }

        /** A canned ACL for the promoted object (default: none, the bucket's own setting). */
        public Builder acl(ObjectCannedACL acl) {
            this.acl = acl;
            return this;
        }

        /** Whether the original is deleted after a good copy (default: true). */
        public Builder deleteUnvalidated(boolean delete) {
            this.deleteUnvalidated = delete;
            return this;
        }

        /**
         * Where warnings about deleting originals go, besides the log (a metric, say): that delete runs after the
         * answer, so its failure cannot be in it. A failure leaves the original to the sweep or the lifecycle rule;
         * a later validation of it answers the same final key.
         */
        public Builder cleanupWarnings(Consumer<String> warnings) {
            this.cleanupWarnings = requireNonNull(warnings, "cleanupWarnings");
            return this;
        }

        /** Whether an invalid upload is deleted (default: false, kept for inspection). */
        public Builder deleteInvalid(boolean delete) {
            this.deleteInvalid = delete;
            return this;
        }

        /** How long one S3 call may take, retries included (default 10 s). */
        public Builder callTimeout(Duration timeout) {
            this.callTimeout = positive("callTimeout", timeout);
            return this;
        }

        /**
         * How long a whole validation may take: read, check, copy and delete (default 25 s, so that a client
         * hears back within 30 s from a store that hangs).
         */
        public Builder operationTimeout(Duration timeout) {
            this.operationTimeout = positive("operationTimeout", timeout);
            return this;
        }

        /**
         * Whether files whose content runs as script in a browser ({@link Validators#ACTIVE_CONTENT}: HTML, SVG,
         * XML, JavaScript …) may pass (default false: refused whatever the validators say, so that an app without an
         * allow list is still safe). Set it only to accept such files on purpose.
         */
        public Builder allowActiveContent(boolean allow) {
            this.allowActiveContent = allow;
            return this;
        }

        /**
         * Whether promotion serves a valid file as the type its content is when the declared Content-Type is
         * missing, generic or wrong (a PNG uploaded as {@code photo.jpg}), keeping its user metadata (default true).
         * Apps that want such files refused add {@link Validators#declaredTypeMatches()}.
         */
        public Builder correctContentType(boolean correct) {
            this.correctContentType = correct;
            return this;
        }

        /**
         * Promotes objects larger than {@code thresholdBytes} by a multipart copy in parts of {@code partBytes} (more
         * when 10,000 parts would not cover the object): default 5 GiB, the most one CopyObject copies on AWS, and
         * 512 MiB. Every part copy is conditional on the checked ETag; Content-Type and metadata are kept.
         */
        public Builder multipartCopy(long thresholdBytes, long partBytes) {
            if (partBytes < 5L * 1024 * 1024 || partBytes > DEFAULT_MULTIPART_COPY_THRESHOLD) {
                throw new IllegalArgumentException("multipartCopy: parts of " + partBytes + " bytes are outside"
                        + " S3's 5 MiB .. 5 GiB; give 512 MiB, say");
            }
            if (thresholdBytes < 0 || thresholdBytes > DEFAULT_MULTIPART_COPY_THRESHOLD) {
                throw new IllegalArgumentException("multipartCopy: a threshold of " + thresholdBytes + " bytes is"
                        + " outside 0 .. 5 GiB, the largest object one CopyObject can copy");
            }
            this.multipartCopyThreshold = thresholdBytes;
            this.multipartCopyPartSize = partBytes;
            return this;
        }

        /**
         * Streams every image or PDF up to {@code maxBytes} whole through the markup scanner before accepting it,
         * for apps that serve uploads in risky ways (default 0: the head and the last 64 KiB only, constant in the
         * file's size). A larger image or PDF is refused as {@code too-large-to-scan}. It costs one more GET that
         * reads the whole file: give {@link #operationTimeout} the time that takes.
         */
        public Builder fullScan(long maxBytes) {
            if (maxBytes < 0) {
                throw new IllegalArgumentException("fullScan: " + maxBytes + " bytes is negative; give the largest"
                        + " file to scan whole, or 0 to scan the head and tail only");
            }
            this.fullScanBytes = maxBytes;
            return this;
        }

        private static Duration positive(String name, Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException(name + ": " + timeout + " is not a positive duration; give one"
                        + " such as Duration.ofSeconds(10)");
            }
            return timeout;
        }

        public UploadPromoter build() {
            if (!unvalidatedPrefix.isEmpty() && validatedPrefix.startsWith(unvalidatedPrefix)) {
                throw new IllegalArgumentException(
                        "validatedPrefix: '" + validatedPrefix + "' is inside the unvalidated" + " prefix '"
                                + unvalidatedPrefix + "'; promoted files must leave it");
            }
            return new UploadPromoter(this);
        }
    }
}
