package dev.pontus.multipart;

import dev.pontus.S3Names;
import dev.pontus.StorageException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** {@link MultipartUploads#removeAbandoned}: what a lifecycle rule does, for stores without one. */
final class AbandonedSweep {
    private final MultipartCalls calls;
    private final UploadOwnership ownership;

    AbandonedSweep(MultipartCalls calls, UploadOwnership ownership) {
        this.calls = calls;
        this.ownership = ownership;
    }

    MultipartUploads.Removed remove(String prefix, Instant cutoff) {
        List<String> failed = new ArrayList<>();
        int[] uploads = {0};
        calls.eachUpload(prefix, upload -> {
            if (upload.initiated().isBefore(cutoff)) {
                uploads[0] += removeUpload(upload, failed);
            }
            return true;
        });
        int objects = 0;
        String token = null;
        while (true) {
            String t = token;
            ListObjectsV2Response page = calls.call(
                    "Listing " + calls.uri(prefix),
                    () -> calls.s3.listObjectsV2(b -> b.bucket(calls.bucket)
                            .prefix(prefix)
                            .continuationToken(t)
                            .overrideConfiguration(calls.timeout())));
            for (S3Object object : page.contents()) {
                if (object.lastModified().isBefore(cutoff)) {
                    objects += removeObject(object, failed);
                }
            }
            if (!Boolean.TRUE.equals(page.isTruncated())
                    || page.nextContinuationToken() == null
                    || page.nextContinuationToken().equals(t)) {
                break;
            }
            token = page.nextContinuationToken();
        }
        return new MultipartUploads.Removed(uploads[0], objects, failed);
    }

    /** 1 if the upload was aborted, 0 if it was gone already or failed (then noted in {@code failed}). */
    private int removeUpload(MultipartUpload upload, List<String> failed) {
        try {
            ownership.forget(upload.key(), upload.uploadId());
            calls.abort(upload.key(), upload.uploadId());
            return 1;
        } catch (MultipartException gone) {
            return 0; // completed or aborted since it was listed
        } catch (StorageException e) {
            failed.add(
                    "upload " + upload.uploadId() + " of " + S3Names.quoteForLog(upload.key()) + ": " + e.getMessage());
            return 0;
        }
    }

    private int removeObject(S3Object object, List<String> failed) {
        try {
            return deleteIfUnchanged(object) ? 1 : 0;
        } catch (StorageException e) {
            failed.add(S3Names.quoteForLog(object.key()) + ": " + e.getMessage());
            return 0;
        }
    }

    private boolean deleteIfUnchanged(S3Object object) {
        try {
            calls.s3.deleteObject(b -> b.bucket(calls.bucket)
                    .key(object.key())
                    .ifMatch(object.eTag())
                    .overrideConfiguration(calls.timeout()));
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 412 || e.statusCode() == 404) {
                return false; // replaced or gone since it was listed
            }
            throw StorageException.of("Deleting " + calls.uri(object.key()), e);
        } catch (SdkException e) {
            throw StorageException.of("Deleting " + calls.uri(object.key()), e);
        }
    }
}
