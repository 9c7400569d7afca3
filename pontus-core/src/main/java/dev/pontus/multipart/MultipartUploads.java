package dev.pontus.multipart;

import static java.util.Objects.requireNonNull;

import dev.pontus.S3Names;
import dev.pontus.StorageException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Browser uploads in parts (S3 multipart), with the limits a POST policy would enforce: the browser gets a
 * presigned URL per part and PUTs the bytes straight to S3; at completion the total size is taken from S3's own
 * list of parts, and an upload outside the size limits is aborted, so that no object over the limit ever appears.
 * The caller decides the key (under the unvalidated prefix) and checks that the client may use it.
 *
 * <pre>{@code
 * MultipartUploads uploads = MultipartUploads.builder()
 *         .s3(s3Client).presigner(S3Presigner.create())
 *         .bucket("photos").fileSize(1, 5L << 30)
 *         .build();
 * String uploadId = uploads.create(key, "video/mp4", Map.of());
 * URI part1 = uploads.signPart(key, uploadId, 1).url();      // the browser PUTs part 1 there, keeps the ETag
 * MultipartUploads.Completed done = uploads.complete(key, uploadId, browsersParts);
 * }</pre>
 */
public final class MultipartUploads {
    /** S3's largest part number. */
    public static final int MAX_PARTS = 10_000;

    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;
    private final long minFileSize;
    private final long maxFileSize;
    private final Duration partUrlExpiry;
    private final Duration callTimeout;

    private MultipartUploads(Builder b) {
        this.s3 = requireNonNull(b.s3, "s3: is not set; give the S3Client that writes the bucket");
        this.presigner = requireNonNull(b.presigner, "presigner: is not set; give an S3Presigner for the bucket");
        this.bucket = S3Names.requireBucket(b.bucket);
        this.minFileSize = b.minFileSize;
        this.maxFileSize = b.maxFileSize;
        this.partUrlExpiry = b.partUrlExpiry;
        this.callTimeout = b.callTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String bucket() {
        return bucket;
    }

    /** One part S3 holds: what ListParts answers. */
    public record Part(int partNumber, String eTag, long size, Instant lastModified) {}

    /** A presigned UploadPart URL: the browser PUTs the part's bytes there and reads the ETag header back. */
    public record PresignedPart(int partNumber, URI url, Instant expiresAt) {}

    /** A completed upload: the object at {@code key}, {@code size} bytes in {@code parts} parts. */
    public record Completed(String key, long size, int parts, String eTag) {}

    /** What {@link #removeAbandoned} removed. */
    public record Removed(int multipartUploads, int objects) {}

    /** Starts a multipart upload to {@code key}; answers its upload id. */
    public String create(String key, String contentType, Map<String, String> metadata) {
        return call(
                "Starting a multipart upload to " + uri(key),
                () -> s3.createMultipartUpload(b -> b.bucket(bucket)
                                .key(key)
                                .contentType(contentType)
                                .metadata(metadata)
                                .overrideConfiguration(timeout()))
                        .uploadId());
    }

    /** A URL to PUT part {@code partNumber} (1..10,000) to, valid for the part URL expiry. */
    public PresignedPart signPart(String key, String uploadId, int partNumber) {
        checkPartNumber(partNumber);
        var presigned = call(
                "Signing part " + partNumber + " of " + uri(key),
                () -> presigner.presignUploadPart(r -> r.signatureDuration(partUrlExpiry)
                        .uploadPartRequest(p ->
                                p.bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber))));
        return new PresignedPart(partNumber, URI.create(presigned.url().toString()), presigned.expiration());
    }

    /** Every part S3 holds for the upload, in part-number order, all pages. */
    public List<Part> parts(String key, String uploadId) {
        List<Part> parts = new ArrayList<>();
        Integer marker = null;
        while (true) {
            Integer from = marker;
            ListPartsResponse page = call(
                    "Listing the parts of " + uri(key),
                    () -> s3.listParts(b -> b.bucket(bucket)
                            .key(key)
                            .uploadId(uploadId)
                            .partNumberMarker(from)
                            .overrideConfiguration(timeout())));
            page.parts().forEach(p -> parts.add(new Part(p.partNumber(), p.eTag(), p.size(), p.lastModified())));
            if (!Boolean.TRUE.equals(page.isTruncated())
                    || page.nextPartNumberMarker() == null
                    || Objects.equals(page.nextPartNumberMarker(), marker)) {
                break;
            }
            marker = page.nextPartNumberMarker();
        }
        parts.sort(Comparator.comparingInt(Part::partNumber));
        return parts;
    }

    /**
     * Completes the upload if the client's parts are exactly the ones S3 holds and their total, as S3 counts it, is
     * within the size limits; otherwise aborts it when it can never be completed (size) and refuses.
     *
     * @throws MultipartException naming the size and the limit, or the parts that differ
     */
    public Completed complete(String key, String uploadId, List<Part> claimed) {
        List<Part> held = parts(key, uploadId);
        if (held.isEmpty()) {
            throw new MultipartException(
                    "no-parts",
                    "The upload " + uploadId + " has no parts at S3: upload the parts" + " first, or start again.");
        }
        long size = held.stream().mapToLong(Part::size).sum();
        if (size > maxFileSize || size < minFileSize) {
            abort(key, uploadId);
            boolean large = size > maxFileSize;
            throw new MultipartException(
                    large ? "file-too-large" : "file-too-small",
                    "The file is " + size
                            + " bytes; " + (large ? "at most " + maxFileSize : "at least " + minFileSize)
                            + " bytes are allowed."
                            + " The upload was aborted and its parts deleted.");
        }
        Map<Integer, String> mine = new LinkedHashMap<>();
        held.forEach(p -> mine.put(p.partNumber(), unquote(p.eTag())));
        Map<Integer, String> theirs = new LinkedHashMap<>();
        claimed.stream()
                .sorted(Comparator.comparingInt(Part::partNumber))
                .forEach(p -> theirs.put(p.partNumber(), unquote(p.eTag())));
        if (!mine.equals(theirs)) {
            throw new MultipartException(
                    "parts-mismatch",
                    "The parts sent (" + theirs.keySet() + ") differ from the"
                            + " parts S3 holds (" + mine.keySet()
                            + ") or their ETags do: send every part's number and the"
                            + " ETag its upload answered.");
        }
        List<CompletedPart> parts = held.stream()
                .map(p -> CompletedPart.builder()
                        .partNumber(p.partNumber())
                        .eTag(p.eTag())
                        .build())
                .toList();
        String eTag = call(
                "Completing the multipart upload to " + uri(key),
                () -> s3.completeMultipartUpload(b -> b.bucket(bucket)
                                .key(key)
                                .uploadId(uploadId)
                                .multipartUpload(m -> m.parts(parts))
                                .overrideConfiguration(timeout()))
                        .eTag());
        return new Completed(key, size, parts.size(), eTag);
    }

    /** Aborts the upload: S3 deletes its parts. */
    public void abort(String key, String uploadId) {
        call(
                "Aborting the multipart upload to " + uri(key),
                () -> s3.abortMultipartUpload(
                        b -> b.bucket(bucket).key(key).uploadId(uploadId).overrideConfiguration(timeout())));
    }

    /**
     * For stores without lifecycle rules: aborts the multipart uploads under {@code prefix} started before
     * {@code now - age}, and deletes the objects under it last modified before then (each only if it is still the
     * one listed). On AWS, set the bucket's lifecycle rules instead (README).
     */
    public Removed removeAbandoned(String prefix, Duration age, Instant now) {
        if (prefix == null || prefix.isEmpty()) {
            throw new IllegalArgumentException("prefix: give the unvalidated prefix, such as \"unvalidated/\"; the"
                    + " whole bucket is never cleaned");
        }
        Instant cutoff = now.minus(age);
        int uploads = 0;
        String keyMarker = null;
        String idMarker = null;
        while (true) {
            String k = keyMarker;
            String i = idMarker;
            ListMultipartUploadsResponse page = call(
                    "Listing multipart uploads",
                    () -> s3.listMultipartUploads(b -> b.bucket(bucket)
                            .prefix(prefix)
                            .keyMarker(k)
                            .uploadIdMarker(i)
                            .overrideConfiguration(timeout())));
            for (MultipartUpload upload : page.uploads()) {
                if (upload.initiated().isBefore(cutoff)) {
                    abort(upload.key(), upload.uploadId());
                    uploads++;
                }
            }
            if (!Boolean.TRUE.equals(page.isTruncated())) {
                break;
            }
            keyMarker = page.nextKeyMarker();
            idMarker = page.nextUploadIdMarker();
        }
        int objects = 0;
        String token = null;
        while (true) {
            String t = token;
            ListObjectsV2Response page = call(
                    "Listing " + uri(prefix),
                    () -> s3.listObjectsV2(b ->
                            b.bucket(bucket).prefix(prefix).continuationToken(t).overrideConfiguration(timeout())));
            for (S3Object object : page.contents()) {
                if (object.lastModified().isBefore(cutoff) && deleteIfUnchanged(object)) {
                    objects++;
                }
            }
            if (!Boolean.TRUE.equals(page.isTruncated())) {
                break;
            }
            token = page.nextContinuationToken();
        }
        return new Removed(uploads, objects);
    }

    private boolean deleteIfUnchanged(S3Object object) {
        try {
            s3.deleteObject(b ->
                    b.bucket(bucket).key(object.key()).ifMatch(object.eTag()).overrideConfiguration(timeout()));
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 412 || e.statusCode() == 404) {
                return false; // replaced or gone since it was listed
            }
            throw StorageException.of("Deleting " + uri(object.key()), e);
        } catch (SdkException e) {
            throw StorageException.of("Deleting " + uri(object.key()), e);
        }
    }

    /** Part numbers are 1..10,000. */
    public static void checkPartNumber(int partNumber) {
        if (partNumber < 1 || partNumber > MAX_PARTS) {
            throw new IllegalArgumentException("partNumber: " + partNumber + " is outside 1.." + MAX_PARTS
                    + "; S3 numbers parts from 1 to " + MAX_PARTS);
        }
    }

    private static String unquote(String eTag) {
        return eTag == null ? "" : eTag.replace("\"", "");
    }

    private AwsRequestOverrideConfiguration timeout() {
        return AwsRequestOverrideConfiguration.builder()
                .apiCallTimeout(callTimeout)
                .build();
    }

    private <T> T call(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (S3Exception e) {
            if (e.awsErrorDetails() != null
                    && "NoSuchUpload".equals(e.awsErrorDetails().errorCode())) {
                throw new MultipartException(
                        "no-such-upload",
                        what + " failed: there is no such upload; it was"
                                + " completed, aborted or never started. Start again.");
            }
            throw StorageException.of(what, e);
        } catch (SdkException e) {
            throw StorageException.of(what, e);
        }
    }

    private String uri(String key) {
        return "s3://" + bucket + "/" + key;
    }

    /** Builds {@link MultipartUploads}. */
    public static final class Builder {
        private S3Client s3;
        private S3Presigner presigner;
        private String bucket;
        private long minFileSize = 1;
        private long maxFileSize = 5L * 1024 * 1024 * 1024 * 1024; // S3's largest object, 5 TiB
        private Duration partUrlExpiry = Duration.ofMinutes(10);
        private Duration callTimeout = Duration.ofSeconds(10);

        private Builder() {}

        public Builder s3(S3Client s3) {
            this.s3 = requireNonNull(s3, "s3");
            return this;
        }

        public Builder presigner(S3Presigner presigner) {
            this.presigner = requireNonNull(presigner, "presigner");
            return this;
        }

        public Builder bucket(String bucket) {
            this.bucket = S3Names.requireBucket(bucket);
            return this;
        }

        /** The smallest and largest whole file, in bytes, checked at completion against S3's list of parts. */
        public Builder fileSize(long min, long max) {
            if (min < 0 || min > max) {
                throw new IllegalArgumentException(
                        "fileSize: min " + min + " and max " + max + " must satisfy" + " 0 <= min <= max");
            }
            this.minFileSize = min;
            this.maxFileSize = max;
            return this;
        }

        /** How long a part URL stays valid (default 10 minutes, at most 7 days). */
        public Builder partUrlExpiry(Duration expiry) {
            this.partUrlExpiry = S3Names.requireExpiry("partUrlExpiry", expiry);
            return this;
        }

        /** How long one S3 call may take, retries included (default 10 s). */
        public Builder callTimeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("callTimeout: " + timeout + " is not a positive duration");
            }
            this.callTimeout = timeout;
            return this;
        }

        public MultipartUploads build() {
            return new MultipartUploads(this);
        }
    }
}
