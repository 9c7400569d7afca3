package dev.pontus.validate;

import dev.pontus.S3Names;
import dev.pontus.StorageException;
import dev.pontus.validate.S3Calls.Refusal;
import dev.pontus.validate.S3Calls.Refused;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;

/**
 * Moves a checked upload to its final key at most once and never over anything: a server-side copy conditional on
 * the checked ETag and on the final key not existing, a check that what was copied is what was checked (some
 * stores ignore the copy's conditions), then, after the answer, a delete of the original conditional on the same
 * ETag, so that a newer upload that replaced it stays.
 */
final class Promotion {
    private static final Logger log = LoggerFactory.getLogger(Promotion.class);

    /** What promotion is told to do, besides where. */
    record Settings(
            ObjectCannedACL acl,
            boolean deleteUnvalidated,
            boolean correctContentType,
            long multipartCopyThreshold,
            long multipartCopyPartSize,
            Duration callTimeout,
            Consumer<String> cleanupWarnings) {}

    private final S3Client s3;
    private final String bucket;
    private final ObjectReader reader;
    private final Settings settings;

    Promotion(S3Client s3, String bucket, ObjectReader reader, Settings settings) {
        this.s3 = s3;
        this.bucket = bucket;
        this.reader = reader;
        this.settings = settings;
    }

    /**
     * Promotes {@code upload} to {@code target}; {@code existing} is what the target held when the upload was read
     * (null: nothing). The original's delete runs after this returns.
     */
    ValidationResult.Valid promote(
            UploadedObject upload, String target, HeadObjectResponse existing, Deadline deadline) {
        if (existing != null) {
            return alreadyPromoted(upload, target, existing);
        }
        String corrected = settings.correctContentType()
                ? MimeSniffer.correction(upload.contentType(), upload.detectedType())
                : null;
        String type = corrected == null ? upload.contentType() : corrected;
        String copied;
        try {
            copied = upload.size() > settings.multipartCopyThreshold()
                    ? copyInParts(upload, target, type, deadline)
                    : copy(upload, target, corrected, deadline);
        } catch (Refused e) { // the source changed, shrank (416) or went, or the target appeared meanwhile
            HeadObjectResponse now = reader.head(target, deadline);
            if (now != null) {
                return alreadyPromoted(upload, target, now);
            }
            throw changed(upload.key(), target, uri(upload.key()) + " changed or vanished after it was checked", e);
        }
        List<String> warnings = requireCopyOfChecked(upload, target, copied, deadline);
        return new ValidationResult.Valid(upload, target, true, warnings, false, type);
    }

    /** The final key exists: an earlier validation promoted this upload, or a later upload replaced the original. */
    ValidationResult.Valid alreadyPromoted(UploadedObject upload, String target, HeadObjectResponse promoted) {
        List<String> warnings = new ArrayList<>();
        if (upload.eTag().equals(promoted.eTag())) {
            deleteLater(upload, "Already promoted to " + target + ", but the original");
        } else {
            String warning = uri(upload.key()) + " holds a later upload than the one promoted to " + target
                    + "; it was not promoted, and left in place.";
            log.warn("{}", S3Names.quoteForLog(warning));
            warnings.add(warning);
        }
        return new ValidationResult.Valid(
                promotedObject(target, promoted), target, true, warnings, true, promoted.contentType());
    }

    /** What a final key holds, as a validation that finds it promoted already answers. */
    UploadedObject promotedObject(String key, HeadObjectResponse head) {
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

    /** Deletes the upload if it is still the one checked; otherwise, or on failure, says why in a warning. */
    String deleteChecked(UploadedObject upload, String what, Deadline deadline) {
        return delete(upload, what, deadline).warning();
    }

    /** A conditional delete's outcome: no warning when deleted (or gone already); else whether it was replaced. */
    private record Deletion(String warning, boolean replaced) {}

    private Deletion delete(UploadedObject upload, String what, Deadline deadline) {
        String key = upload.key();
        String delete = "Deleting " + uri(key);
        Deletion failed;
        try {
            S3Calls.run(
                    delete,
                    () -> s3.deleteObject(b ->
                            b.bucket(bucket).key(key).ifMatch(upload.eTag()).overrideConfiguration(deadline.next())));
            return new Deletion(null, false);
        } catch (Refused e) {
            if (e.refusal() == Refusal.NOT_FOUND) {
                return new Deletion(null, false); // gone already: a concurrent validation deleted it
            }
            failed = e.refusal() == Refusal.CHANGED
                    ? new Deletion(
                            what + " " + uri(key) + " was not deleted: a newer upload replaced it after the check, and"
                                    + " stays where it is.",
                            true)
                    : new Deletion(
                            what + " " + uri(key) + " could not be deleted: "
                                    + e.asFailure(delete).getMessage(),
                            false);
        } catch (StorageException e) {
            failed = new Deletion(what + " " + uri(key) + " could not be deleted: " + e.getMessage(), false);
        }
        log.warn("{}", S3Names.quoteForLog(failed.warning()));
        return failed;
    }

    /**
     * Deletes the original after the answer, on its own time (one call's timeout); a failure is a warning in the
     * log and to {@link Settings#cleanupWarnings()}, and leaves the original to the sweep or the lifecycle rule: a
     * later validation of it finds the final key and answers as for a promoted upload.
     */
    private void deleteLater(UploadedObject upload, String what) {
        if (!settings.deleteUnvalidated()) {
            return;
        }
        ObjectReader.PARALLEL.execute(() -> {
            String warning;
            try {
                warning = deleteChecked(upload, what, Deadline.after(settings.callTimeout(), settings.callTimeout()));
            } catch (RuntimeException e) { // the client closed meanwhile, say: the original stays for the sweep
                warning = what + " " + uri(upload.key()) + " could not be deleted: " + e;
                log.warn("{}", S3Names.quoteForLog(warning));
            }
            if (warning != null) {
                settings.cleanupWarnings().accept(warning);
            }
        });
    }

    /** One CopyObject, keeping metadata; with {@code corrected}, served as what it is. Answers the copy's ETag. */
    private String copy(UploadedObject upload, String target, String corrected, Deadline deadline) {
        return S3Calls.call(
                "Copying " + uri(upload.key()) + " to " + target,
                () -> s3.copyObject(b -> {
                            b.sourceBucket(bucket)
                                    .sourceKey(upload.key())
                                    .destinationBucket(bucket)
                                    .destinationKey(target)
                                    .copySourceIfMatch(upload.eTag())
                                    .ifNoneMatch("*")
                                    .acl(settings.acl())
                                    .overrideConfiguration(deadline.next());
                            if (corrected == null) {
                                b.metadataDirective(MetadataDirective.COPY);
                            } else { // served as what it is; the user metadata goes along
                                b.metadataDirective(MetadataDirective.REPLACE)
                                        .contentType(corrected)
                                        .metadata(upload.metadata());
                            }
                        })
                        .copyObjectResult()
                        .eTag());
    }

    /**
     * A copy too large for one CopyObject (5 GiB on AWS): a multipart upload of the target whose parts are copied
     * from the checked source (every UploadPartCopy conditional on its ETag), completed only if nothing is at the
     * target yet. Any failure aborts it, so no part is left behind and the original stays where it is.
     */
    private String copyInParts(UploadedObject upload, String target, String contentType, Deadline deadline) {
        String what = "Copying " + uri(upload.key()) + " to " + target + " in parts";
        String uploadId = S3Calls.call(
                what,
                () -> s3.createMultipartUpload(b -> b.bucket(bucket)
                                .key(target)
                                .contentType(contentType)
                                .metadata(upload.metadata())
                                .acl(settings.acl())
                                .overrideConfiguration(deadline.next()))
                        .uploadId());
        try {
            List<CompletedPart> parts = copyParts(upload, target, uploadId, deadline);
            return S3Calls.call(
                    what,
                    () -> s3.completeMultipartUpload(b -> b.bucket(bucket)
                                    .key(target)
                                    .uploadId(uploadId)
                                    .ifNoneMatch("*")
                                    .multipartUpload(m -> m.parts(parts))
                                    .overrideConfiguration(deadline.next()))
                            .eTag());
        } catch (RuntimeException e) {
            abort(target, uploadId, e);
            throw e;
        }
    }

    private List<CompletedPart> copyParts(UploadedObject upload, String target, String uploadId, Deadline deadline) {
        long size = upload.size();
        long partSize = Math.max(settings.multipartCopyPartSize(), (size + 9_999) / 10_000);
        List<CompletedPart> parts = new ArrayList<>();
        for (long first = 0; first < size; first += partSize) {
            int number = parts.size() + 1;
            String range = "bytes=" + first + "-" + (Math.min(size, first + partSize) - 1);
            String eTag = S3Calls.call(
                    "Copying part " + number + " of " + uri(upload.key()),
                    () -> s3.uploadPartCopy(b -> b.sourceBucket(bucket)
                                    .sourceKey(upload.key())
                                    .destinationBucket(bucket)
                                    .destinationKey(target)
                                    .uploadId(uploadId)
                                    .partNumber(number)
                                    .copySourceRange(range)
                                    .copySourceIfMatch(upload.eTag())
                                    .overrideConfiguration(deadline.next()))
                            .copyPartResult()
                            .eTag());
            parts.add(CompletedPart.builder().partNumber(number).eTag(eTag).build());
        }
        return parts;
    }

    private void abort(String target, String uploadId, RuntimeException failure) {
        Deadline own = Deadline.after(settings.callTimeout(), settings.callTimeout()); // the validation's may be spent
        try {
            S3Calls.run(
                    "Aborting the multipart copy to " + target,
                    () -> s3.abortMultipartUpload(
                            b -> b.bucket(bucket).key(target).uploadId(uploadId).overrideConfiguration(own.next())));
        } catch (RuntimeException abort) {
            failure.addSuppressed(abort);
            log.warn(
                    "Aborting the multipart copy {} to {} failed; the bucket's lifecycle rule or"
                            + " MultipartUploads.removeAbandoned will remove its parts: {}",
                    S3Names.quoteForLog(uploadId),
                    S3Names.quoteForLog(target),
                    S3Names.quoteForLog(abort.getMessage()));
        }
    }

    /**
     * Some stores ignore {@code x-amz-copy-source-if-match} (moto): the copy must be of the checked object. The same
     * ETag proves it, and the original is deleted after the answer; a single copy of a plain (MD5) ETag gets that
     * very ETag, so another one proves the opposite. Otherwise (a multipart ETag, whose copy gets a new one) the
     * original must still be the checked one after the copy: its conditional delete, made now, or a HEAD, tells.
     * When it is not, the copy is undone and the answer is as for a changed upload.
     */
    private List<String> requireCopyOfChecked(UploadedObject upload, String target, String copied, Deadline deadline) {
        String what = "Promoted to " + target + ", but the original";
        if (copied == null || unquote(copied).equals(unquote(upload.eTag()))) {
            deleteLater(upload, what);
            return List.of();
        }
        boolean plain = !upload.eTag().contains("-") && upload.size() <= settings.multipartCopyThreshold();
        if (!plain && settings.deleteUnvalidated()) {
            Deletion deletion = delete(upload, what, deadline);
            if (deletion.warning() == null) {
                return List.of(); // deleted as the checked object, after the copy: the copy was of it
            }
            if (!deletion.replaced() && stillChecked(upload, deadline)) {
                return List.of(deletion.warning());
            }
        } else if (!plain && stillChecked(upload, deadline)) {
            return List.of();
        }
        return undo(upload, target, copied, deadline);
    }

    private boolean stillChecked(UploadedObject upload, Deadline deadline) {
        HeadObjectResponse source = reader.head(upload.key(), deadline);
        return source != null && upload.eTag().equals(source.eTag());
    }

    private List<String> undo(UploadedObject upload, String target, String copied, Deadline deadline) {
        String what = "Removing the copy at " + uri(target);
        try {
            S3Calls.run(
                    what,
                    () -> s3.deleteObject(
                            b -> b.bucket(bucket).key(target).ifMatch(copied).overrideConfiguration(deadline.next())));
        } catch (RuntimeException e) {
            String message = "The store copied a newer upload than the one checked from " + uri(upload.key()) + " to "
                    + uri(target) + " (it ignores copy conditions) and removing it failed: delete " + target
                    + " by hand, then validate again. " + e.getMessage();
            log.error("{}", S3Names.quoteForLog(message));
            throw new StorageException(message, 0, null, false, e);
        }
        throw changed(
                upload.key(),
                target,
                uri(upload.key()) + " was replaced after it was checked (the copy was of the newer upload and was"
                        + " removed)",
                null);
    }

    /** The one message for an upload that changed under its validation. */
    static PromotionException changed(String key, String target, String what, Throwable cause) {
        return new PromotionException(
                key, target, what + "; nothing was promoted or deleted. Validate it again.", cause);
    }

    static String unquote(String eTag) {
        return eTag == null ? null : eTag.replace("\"", "");
    }

    private String uri(String key) {
        return "s3://" + bucket + "/" + key;
    }
}
