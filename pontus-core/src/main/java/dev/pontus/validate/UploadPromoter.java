package dev.pontus.validate;

import static java.util.Objects.requireNonNull;

import dev.pontus.PontusException;
import dev.pontus.S3Names;
import dev.pontus.StorageException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.S3Exception;

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
 * <p>Checking costs one ranged GET of the object's head (64 KiB by default), whatever its size; its response
 * also gives the size, ETag, Content-Type and metadata. A larger object's last 64 KiB are read too, conditional
 * on the same ETag, for the markup scan: two requests, constant in the file's size. An answer that is shorter, longer or other than the range
 * asked for is a storage failure ({@link StorageException}), never a verdict on the content.
 *
 * <p>Promotion happens at most once per upload and never overwrites: a HEAD of the final key first (an earlier
 * validation may have promoted it already; some stores ignore the copy's own condition), then a server-side
 * copy conditional on the checked ETag ({@code x-amz-copy-source-if-match}) and on the final key not existing
 * ({@code If-None-Match: *}), then a delete of the original conditional on the checked ETag ({@code If-Match}),
 * so that an upload that replaced it after the check stays. Concurrent validations of one key in this
 * process share one run; repeated ones answer the same final key with {@link ValidationResult.Valid#repeated()}.
 * Every S3 call has a timeout, and so has the whole validation.
 */
public final class UploadPromoter {
    private static final Logger log = LoggerFactory.getLogger(UploadPromoter.class);
    public static final int DEFAULT_HEAD_BYTES = 64 * 1024;
    public static final int DEFAULT_TAIL_BYTES = 64 * 1024;
    /** The largest object one CopyObject copies on AWS; larger ones are promoted by a multipart copy. */
    public static final long DEFAULT_MULTIPART_COPY_THRESHOLD = 5L * 1024 * 1024 * 1024;

    public static final long DEFAULT_MULTIPART_COPY_PART_SIZE = 512L * 1024 * 1024;
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_OPERATION_TIMEOUT = Duration.ofSeconds(25);
    private static final Validator ACTIVE_CONTENT = Validators.denyActiveContent();

    private final S3Client s3;
    private final String bucket;
    private final List<Validator> validators;
    private final int headBytes;
    private final int tailBytes;
    private final String unvalidatedPrefix;
    private final String validatedPrefix;
    private final ObjectCannedACL acl;
    private final boolean deleteUnvalidated;
    private final boolean deleteInvalid;
    private final Duration callTimeout;
    private final Duration operationTimeout;
    private final boolean allowActiveContent;
    private final boolean correctContentType;
    private final long fullScanBytes;
    private final long multipartCopyThreshold;
    private final long multipartCopyPartSize;
    private final ConcurrentMap<String, CompletableFuture<ValidationResult>> running = new ConcurrentHashMap<>();

    private UploadPromoter(Builder b) {
        this.s3 = requireNonNull(b.s3, "s3: is not set; give the S3Client that reads the bucket");
        this.bucket = S3Names.requireBucket(b.bucket);
        this.validators = List.copyOf(b.validators);
        this.headBytes = b.headBytes;
        this.tailBytes = b.tailBytes;
        this.unvalidatedPrefix = b.unvalidatedPrefix;
        this.validatedPrefix = b.validatedPrefix;
        this.acl = b.acl;
        this.deleteUnvalidated = b.deleteUnvalidated;
        this.deleteInvalid = b.deleteInvalid;
        this.callTimeout = b.callTimeout;
        this.operationTimeout = b.operationTimeout;
        this.allowActiveContent = b.allowActiveContent;
        this.correctContentType = b.correctContentType;
        this.fullScanBytes = b.fullScanBytes;
        this.multipartCopyThreshold = b.multipartCopyThreshold;
        this.multipartCopyPartSize = b.multipartCopyPartSize;
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
        checkKey(key);
        String expected = eTag == null || eTag.isEmpty() || eTag.startsWith("\"") ? eTag : "\"" + eTag + "\"";
        CompletableFuture<ValidationResult> mine = new CompletableFuture<>();
        CompletableFuture<ValidationResult> other = running.putIfAbsent(key, mine);
        if (other != null) {
            return awaitOther(key, other);
        }
        try {
            ValidationResult result = validateOnce(key, expected, Deadline.after(operationTimeout, callTimeout));
            mine.complete(result);
            return result;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            running.remove(key, mine);
        }
    }

    /** Reads the upload's head once and runs every validator on it; changes nothing in the bucket. */
    public ValidationResult check(String key) {
        checkKey(key);
        Deadline deadline = Deadline.after(operationTimeout, callTimeout);
        return judge(read(key, null, deadline), deadline);
    }

    /**
     * Copies a valid upload from the unvalidated prefix to its final key, keeping Content-Type and metadata, if
     * it has not changed since it was checked and nothing is at the final key yet; then deletes the original (if
     * so configured and it is still the checked one). An upload outside the unvalidated prefix (no prefix
     * configured) stays where it is.
     */
    public ValidationResult.Valid promote(ValidationResult.Valid valid) {
        return promote(valid, Deadline.after(operationTimeout, callTimeout));
    }

    /** Where a valid upload at {@code key} ends up: the unvalidated prefix replaced by the validated one. */
    public String finalKey(String key) {
        return unvalidatedPrefix.isEmpty() ? key : validatedPrefix + key.substring(unvalidatedPrefix.length());
    }

    private ValidationResult validateOnce(String key, String eTag, Deadline deadline) {
        UploadedObject upload;
        try {
            upload = read(key, eTag, deadline);
        } catch (ObjectNotFoundException e) {
            HeadObjectResponse promoted = unvalidatedPrefix.isEmpty() ? null : head(finalKey(key), deadline);
            if (promoted == null) {
                throw e;
            }
            return new ValidationResult.Valid(
                    promotedObject(finalKey(key), promoted), finalKey(key), true, List.of(), true);
        }
        ValidationResult result = judge(upload, deadline);
        if (result instanceof ValidationResult.Valid valid) {
            return promote(valid, deadline);
        }
        ValidationResult.Invalid invalid = (ValidationResult.Invalid) result;
        if (!deleteInvalid) {
            return invalid;
        }
        String warning = deleteChecked(upload, "The invalid upload", deadline);
        return warning == null
                ? new ValidationResult.Invalid(upload, invalid.violations(), true)
                : new ValidationResult.Invalid(upload, invalid.violations(), false, List.of(warning));
    }

    private ValidationResult awaitOther(String key, CompletableFuture<ValidationResult> other) {
        try {
            ValidationResult result = other.get(operationTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return result instanceof ValidationResult.Valid valid ? valid.asRepeat() : result;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException cause
                    ? cause
                    : new PontusException("Validating " + uri(key) + " failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new StorageException(
                    "Validating " + uri(key) + " timed out: a concurrent validation of the same"
                            + " key is still running after " + operationTimeout.toSeconds() + " s",
                    0,
                    null,
                    false,
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PontusException("Interrupted while waiting for a concurrent validation of " + uri(key), e);
        }
    }

    private ValidationResult judge(UploadedObject upload, Deadline deadline) {
        List<Violation> violations = new ArrayList<>();
        if (!allowActiveContent) {
            violations.addAll(ACTIVE_CONTENT.validate(upload));
        }
        for (Validator rule : validators) {
            violations.addAll(rule.validate(upload));
        }
        boolean middleUnread = upload.size() > upload.headUnsafe().length + upload.tailUnsafe().length;
        if (violations.isEmpty()
                && fullScanBytes > 0
                && middleUnread
                && Validators.scannedForMarkup(upload.detectedType())) {
            violations.addAll(scanWhole(upload, deadline));
        }
        return violations.isEmpty()
                ? new ValidationResult.Valid(upload, upload.key(), false, List.of())
                : new ValidationResult.Invalid(upload, violations, false);
    }

    private ValidationResult.Valid promote(ValidationResult.Valid valid, Deadline deadline) {
        UploadedObject upload = valid.upload();
        String key = upload.key();
        if (unvalidatedPrefix.isEmpty() || valid.promoted()) {
            return valid;
        }
        checkKey(key);
        String target = finalKey(key);
        HeadObjectResponse existing = head(target, deadline);
        if (existing != null) {
            return alreadyPromoted(upload, target, existing, deadline);
        }
        String corrected =
                correctContentType ? MimeSniffer.correction(upload.contentType(), upload.detectedType()) : null;
        try {
            if (upload.size() > multipartCopyThreshold) {
                copyInParts(upload, target, corrected == null ? upload.contentType() : corrected, deadline);
            } else {
                s3.copyObject(b -> {
                    b.sourceBucket(bucket)
                            .sourceKey(key)
                            .destinationBucket(bucket)
                            .destinationKey(target)
                            .copySourceIfMatch(upload.eTag())
                            .ifNoneMatch("*")
                            .acl(acl)
                            .overrideConfiguration(deadline.next());
                    if (corrected == null) {
                        b.metadataDirective(MetadataDirective.COPY);
                    } else { // served as what it is; the user metadata goes along
                        b.metadataDirective(MetadataDirective.REPLACE)
                                .contentType(corrected)
                                .metadata(upload.metadata());
                    }
                });
            }
        } catch (S3Exception e) {
            if (e.statusCode() != 412 && e.statusCode() != 404 && e.statusCode() != 416) {
                throw StorageException.of("Copying " + uri(key) + " to " + target, e);
            }
            // The source changed, shrank (a part's range is gone: 416) or went, or (where the store honours
            // If-None-Match) the target appeared meanwhile.
            HeadObjectResponse now = head(target, deadline);
            if (now != null) {
                return alreadyPromoted(upload, target, now, deadline);
            }
            throw new PromotionException(
                    key,
                    target,
                    uri(key) + " changed or vanished after it was checked; it was"
                            + " not promoted and nothing was deleted. Validate it again.",
                    e);
        } catch (SdkException e) {
            throw StorageException.of("Copying " + uri(key) + " to " + target, e);
        }
        List<String> warnings = new ArrayList<>();
        if (deleteUnvalidated) {
            String warning = deleteChecked(upload, "Promoted to " + target + ", but the original", deadline);
            if (warning != null) {
                warnings.add(warning);
            }
        }
        return new ValidationResult.Valid(
                upload, target, true, warnings, false, corrected == null ? upload.contentType() : corrected);
    }

    /**
     * A copy too large for one CopyObject (5 GiB on AWS): a multipart upload of the target whose parts are copied
     * from the checked source (every UploadPartCopy conditional on its ETag), completed only if nothing is at the
     * target yet. Any failure aborts it, so no part is left behind and the original stays where it is.
     */
    private void copyInParts(UploadedObject upload, String target, String contentType, Deadline deadline) {
        String uploadId = s3.createMultipartUpload(b -> b.bucket(bucket)
                        .key(target)
                        .contentType(contentType)
                        .metadata(upload.metadata())
                        .acl(acl)
                        .overrideConfiguration(deadline.next()))
                .uploadId();
        try {
            long size = upload.size();
            long partSize = Math.max(multipartCopyPartSize, (size + 9_999) / 10_000);
            List<CompletedPart> parts = new ArrayList<>();
            for (long first = 0; first < size; first += partSize) {
                int number = parts.size() + 1;
                String range = "bytes=" + first + "-" + (Math.min(size, first + partSize) - 1);
                String eTag = s3.uploadPartCopy(b -> b.sourceBucket(bucket)
                                .sourceKey(upload.key())
                                .destinationBucket(bucket)
                                .destinationKey(target)
                                .uploadId(uploadId)
                                .partNumber(number)
                                .copySourceRange(range)
                                .copySourceIfMatch(upload.eTag())
                                .overrideConfiguration(deadline.next()))
                        .copyPartResult()
                        .eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(eTag).build());
            }
            s3.completeMultipartUpload(b -> b.bucket(bucket)
                    .key(target)
                    .uploadId(uploadId)
                    .ifNoneMatch("*")
                    .multipartUpload(m -> m.parts(parts))
                    .overrideConfiguration(deadline.next()));
        } catch (RuntimeException e) {
            try { // on its own time: the validation's may be spent
                s3.abortMultipartUpload(b -> b.bucket(bucket)
                        .key(target)
                        .uploadId(uploadId)
                        .overrideConfiguration(
                                Deadline.after(callTimeout, callTimeout).next()));
            } catch (RuntimeException abort) {
                e.addSuppressed(abort);
                log.warn(
                        "Aborting the multipart copy {} to {} failed; the bucket's lifecycle rule or"
                                + " MultipartUploads.removeAbandoned will remove its parts: {}",
                        uploadId,
                        target,
                        abort.getMessage());
            }
            throw e;
        }
    }

    /** The final key exists: an earlier validation promoted this upload, or a later upload replaced the original. */
    private ValidationResult.Valid alreadyPromoted(
            UploadedObject upload, String target, HeadObjectResponse promoted, Deadline deadline) {
        List<String> warnings = new ArrayList<>();
        if (upload.eTag().equals(promoted.eTag())) {
            if (deleteUnvalidated) {
                String warning =
                        deleteChecked(upload, "Already promoted to " + target + ", but the original", deadline);
                if (warning != null) {
                    warnings.add(warning);
                }
            }
        } else {
            String warning = uri(upload.key()) + " holds a later upload than the one promoted to " + target
                    + "; it was not promoted, and left in place.";
            log.warn(warning);
            warnings.add(warning);
        }
        return new ValidationResult.Valid(
                promotedObject(target, promoted), target, true, warnings, true, promoted.contentType());
    }

    /** Deletes the upload if it is still the one checked; otherwise, or on failure, says why in a warning. */
    private String deleteChecked(UploadedObject upload, String what, Deadline deadline) {
        String key = upload.key();
        String warning;
        try {
            s3.deleteObject(
                    b -> b.bucket(bucket).key(key).ifMatch(upload.eTag()).overrideConfiguration(deadline.next()));
            return null;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return null; // gone already: a concurrent validation deleted it
            }
            warning = e.statusCode() == 412
                    ? what + " " + uri(key) + " was not deleted: a newer upload replaced it after the check, and stays"
                            + " where it is."
                    : what + " " + uri(key) + " could not be deleted: "
                            + StorageException.of("Deleting", e).getMessage() + " (request id " + e.requestId() + ")";
        } catch (SdkException | StorageException e) {
            warning = what + " " + uri(key) + " could not be deleted: " + e.getMessage();
        }
        log.warn(warning);
        return warning;
    }

    /**
     * Scans the whole file for markup: the head and tail already read, then the middle, streamed by one ranged GET
     * (if it is still the checked object) in 1 MiB windows that overlap each other, and the head and tail, by 1 KiB
     * (more than any pattern spans); stops at the first finding.
     */
    private List<Violation> scanWhole(UploadedObject upload, Deadline deadline) {
        String type = upload.detectedType();
        if (upload.size() > fullScanBytes) {
            return List.of(new Violation(
                    "too-large-to-scan",
                    "The file is " + Validators.bytes(upload.size()) + "; files of type " + type
                            + " are scanned whole, up to " + Validators.bytes(fullScanBytes) + "."));
        }
        String inHeadOrTail = MarkupScanner.find(upload.headUnsafe(), type);
        if (inHeadOrTail == null) {
            inHeadOrTail = MarkupScanner.findInside(upload.tailUnsafe(), type);
        }
        if (inHeadOrTail != null) {
            return List.of(Validators.embeddedMarkup(type, inHeadOrTail));
        }
        int window = 1 << 20;
        int overlap = 1024;
        long first = Math.max(0, upload.headUnsafe().length - overlap);
        long last = Math.min(upload.size(), upload.size() - upload.tailUnsafe().length + overlap) - 1;
        GetObjectRequest request = GetObjectRequest.builder()
                .bucket(bucket)
                .key(upload.key())
                .range("bytes=" + first + "-" + last)
                .ifMatch(upload.eTag())
                .overrideConfiguration(deadline.rest())
                .build();
        Scan scan;
        try {
            scan = s3.getObject(request, (response, in) -> {
                byte[] carried = new byte[0];
                long read = 0;
                while (true) {
                    byte[] chunk = in.readNBytes(window);
                    read += chunk.length;
                    byte[] bytes = new byte[carried.length + chunk.length];
                    System.arraycopy(carried, 0, bytes, 0, carried.length);
                    System.arraycopy(chunk, 0, bytes, carried.length, chunk.length);
                    String found = MarkupScanner.findInside(bytes, type);
                    if (found != null) {
                        in.abort();
                        return new Scan(found, read);
                    }
                    if (chunk.length < window) {
                        return new Scan(null, read);
                    }
                    carried = Arrays.copyOfRange(bytes, bytes.length - overlap, bytes.length);
                }
            });
        } catch (S3Exception e) {
            if (e.statusCode() == 412 || e.statusCode() == 404) {
                throw new PromotionException(
                        upload.key(),
                        finalKey(upload.key()),
                        uri(upload.key()) + " changed"
                                + " while it was being checked; nothing was promoted or deleted. Validate it again.",
                        e);
            }
            throw StorageException.of("Scanning " + uri(upload.key()), e);
        } catch (SdkException e) {
            throw StorageException.of("Scanning " + uri(upload.key()), e);
        }
        if (scan.found() != null) {
            return List.of(Validators.embeddedMarkup(type, scan.found()));
        }
        if (scan.read() != last - first + 1) {
            throw new StorageException(
                    "Scanning " + uri(upload.key()) + " failed: the store sent " + scan.read() + " of the "
                            + (last - first + 1) + " bytes asked for; nothing was judged. Try again.",
                    0,
                    null,
                    false,
                    null);
        }
        return List.of();
    }

    private record Scan(String found, long read) {}

    /** The final key's metadata, or null when nothing is there. */
    private HeadObjectResponse head(String key, Deadline deadline) {
        try {
            return s3.headObject(b -> b.bucket(bucket).key(key).overrideConfiguration(deadline.next()));
        } catch (NoSuchKeyException e) {
            return null;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return null;
            }
            throw StorageException.of("Looking up " + uri(key), e);
        } catch (SdkException e) {
            throw StorageException.of("Looking up " + uri(key), e);
        }
    }

    private UploadedObject promotedObject(String key, HeadObjectResponse head) {
        String type = head.contentType() == null ? "application/octet-stream" : head.contentType();
        return new UploadedObject(
                bucket,
                key,
                head.contentLength(),
                head.contentType(),
                head.metadata(),
                head.eTag(),
                head.lastModified(),
                type,
                new byte[0]);
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

    private UploadedObject read(String key, String eTag, Deadline deadline) {
        Fetched head;
        try {
            head = get(key, "bytes=0-" + (headBytes - 1), eTag, headBytes, deadline);
            head.requireRange(0, headBytes);
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                throw new PromotionException(
                        key,
                        finalKey(key),
                        uri(key) + " holds a later upload than " + eTag + "; it was not checked",
                        e);
            }
            if (e.statusCode() != 416) {
                throw StorageException.of("Reading " + uri(key), e);
            }
            // S3 refuses any range of an empty object; read it whole, which is nothing.
            try {
                head = get(key, null, eTag, 1, deadline);
            } catch (S3Exception again) {
                if (again.statusCode() == 412) {
                    throw new PromotionException(
                            key,
                            finalKey(key),
                            uri(key) + " holds a later upload than " + eTag + "; it was not checked",
                            again);
                }
                throw StorageException.of("Reading " + uri(key), again);
            }
            head.requireEmpty();
        }
        GetObjectResponse response = head.response;
        long size = head.size();
        byte[] tail = new byte[0];
        if (size > headBytes
                && tailBytes > 0) { // the last bytes too, where appended payloads sit; only if that very object
            long start = Math.max(headBytes, size - tailBytes);
            Fetched end;
            try {
                end = get(key, "bytes=" + start + "-" + (size - 1), response.eTag(), tailBytes, deadline);
            } catch (S3Exception e) {
                if (e.statusCode() == 412) {
                    throw new PromotionException(
                            key,
                            finalKey(key),
                            uri(key) + " changed while it was being"
                                    + " checked; nothing was promoted or deleted. Validate it again.",
                            e);
                }
                throw StorageException.of("Reading the end of " + uri(key), e);
            }
            end.requireRange(start, (int) (size - start));
            tail = end.body;
        }
        return new UploadedObject(
                bucket,
                key,
                size,
                response.contentType(),
                response.metadata(),
                response.eTag(),
                response.lastModified(),
                MimeSniffer.detect(head.body, key.substring(key.lastIndexOf('/') + 1)),
                head.body,
                tail);
    }

    /**
     * One GET of at most {@code limit} body bytes, read inside the call so that its timeout covers the body too; a
     * store that sends more than asked is cut off rather than downloaded.
     */
    private Fetched get(String key, String range, String ifMatch, int limit, Deadline deadline) {
        GetObjectRequest request = GetObjectRequest.builder()
                .bucket(bucket)
                .key(key)
                .range(range)
                .ifMatch(ifMatch)
                .overrideConfiguration(deadline.next())
                .build();
        try {
            return s3.getObject(request, (response, in) -> {
                byte[] body = in.readNBytes(limit);
                boolean more = in.read() >= 0;
                if (more) {
                    in.abort();
                }
                return new Fetched(uri(key), response, body, more);
            });
        } catch (NoSuchKeyException e) {
            throw new ObjectNotFoundException(
                    bucket, key, "No upload at " + uri(key) + ": it was never uploaded, or" + " was deleted", e);
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw new ObjectNotFoundException(
                        bucket, key, "No upload at " + uri(key) + ": it was never uploaded," + " or was deleted", e);
            }
            throw e;
        } catch (SdkException e) {
            throw StorageException.of("Reading " + uri(key), e);
        }
    }

    private String uri(String key) {
        return "s3://" + bucket + "/" + key;
    }

    /** A GET's answer and the body bytes received, checked against what the answer announced. */
    private record Fetched(String uri, GetObjectResponse response, byte[] body, boolean more) {
        private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)");

        /** The range's first {@code asked} bytes from {@code start}, exactly: else the read was cut or garbled. */
        void requireRange(long start, int asked) {
            int status = response.sdkHttpResponse().statusCode();
            Matcher range = CONTENT_RANGE.matcher(String.valueOf(response.contentRange()));
            if (status != 206 || !range.matches()) {
                throw inconsistent(
                        "answered " + status + " with Content-Range " + response.contentRange() + " to a ranged GET");
            }
            long first = Long.parseLong(range.group(1));
            long last = Long.parseLong(range.group(2));
            long total = Long.parseLong(range.group(3));
            long expected = Math.min(asked, total - start);
            if (first != start
                    || last - first + 1 != expected
                    || more
                    || body.length != expected
                    || response.contentLength() == null
                    || response.contentLength() != body.length) {
                throw inconsistent("announced bytes " + first + "-" + last + "/" + total + " (Content-Length "
                        + response.contentLength() + ") for bytes " + start + "-" + (start + asked - 1) + " but sent "
                        + body.length + (more ? "+" : "") + " bytes");
            }
            requireETag();
        }

        void requireEmpty() {
            if (response.sdkHttpResponse().statusCode() != 200
                    || body.length != 0
                    || more
                    || response.contentLength() == null
                    || response.contentLength() != 0) {
                throw inconsistent("refused a range as if the object were empty, then sent " + body.length
                        + (more ? "+" : "") + " bytes");
            }
            requireETag();
        }

        long size() {
            Matcher range = CONTENT_RANGE.matcher(String.valueOf(response.contentRange()));
            return range.matches() ? Long.parseLong(range.group(3)) : body.length;
        }

        private void requireETag() {
            if (response.eTag() == null || response.eTag().isEmpty()) {
                throw inconsistent("sent no ETag");
            }
        }

        private StorageException inconsistent(String what) {
            return new StorageException(
                    "Reading " + uri + " failed: the store " + what + "; nothing was judged." + " Try again.",
                    response.sdkHttpResponse().statusCode(),
                    response.responseMetadata().requestId(),
                    false,
                    null);
        }
    }

    /** When the whole operation must end, and the timeout of each S3 call within it. */
    private record Deadline(long endNanos, Duration callTimeout) {
        static Deadline after(Duration operation, Duration call) {
            return new Deadline(System.nanoTime() + operation.toNanos(), call);
        }

        /** The next call's settings: its own timeout, cut to what is left of the operation's. */
        AwsRequestOverrideConfiguration next() {
            long left = endNanos - System.nanoTime();
            if (left <= 0) {
                throw new StorageException(
                        "The validation ran out of time: S3 is too slow; try again.", 0, null, false, null);
            }
            Duration timeout = Duration.ofNanos(Math.min(left, callTimeout.toNanos()));
            return AwsRequestOverrideConfiguration.builder()
                    .apiCallTimeout(timeout)
                    .build();
        }

        /** For a call that may take all the time left, such as reading a whole file. */
        AwsRequestOverrideConfiguration rest() {
            next(); // fails when none is left
            return AwsRequestOverrideConfiguration.builder()
                    .apiCallTimeout(Duration.ofNanos(endNanos - System.nanoTime()))
                    .build();
        }
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
