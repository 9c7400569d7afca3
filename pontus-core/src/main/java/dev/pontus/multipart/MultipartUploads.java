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
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.ListPartsResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Browser uploads in parts (S3 multipart), with the limits a POST policy would enforce: the browser gets a
 * presigned URL per part and PUTs the bytes straight to S3; at completion the total size is taken from S3's own
 * list of parts, and an upload outside the size limits is aborted, so that no object over the limit ever appears.
 * Before completion what an upload can hold is bounded too: only the part numbers a file within the limit needs at
 * S3's 5 MiB minimum part size are signed, a part's length is signed when the caller knows it, and an upload found
 * holding more than the limit when further parts are signed is aborted. An upload id is honoured only with the key
 * it was started for, as S3 does (S3Proxy does not). The caller decides the key (under the unvalidated prefix) and
 * checks that the client may use it.
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
    /** S3's smallest part, but for the last: 5 MiB. */
    public static final long MIN_PART_SIZE = 5L * 1024 * 1024;
    /** S3's largest part: 5 GiB. */
    public static final long MAX_PART_SIZE = 5L * 1024 * 1024 * 1024;

    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;
    private final long minFileSize;
    private final long maxFileSize;
    private final Duration partUrlExpiry;
    private final MultipartCalls calls;
    private final UploadOwnership ownership;
    private final AbandonedSweep sweep;

    private MultipartUploads(Builder b) {
        this.s3 = requireNonNull(b.s3, "s3: is not set; give the S3Client that writes the bucket");
        this.presigner = requireNonNull(b.presigner, "presigner: is not set; give an S3Presigner for the bucket");
        this.bucket = S3Names.requireBucket(b.bucket);
        this.minFileSize = b.minFileSize;
        this.maxFileSize = b.maxFileSize;
        this.partUrlExpiry = b.partUrlExpiry;
        this.calls = new MultipartCalls(s3, bucket, b.callTimeout);
        this.ownership = new UploadOwnership(calls);
        this.sweep = new AbandonedSweep(calls, ownership);
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

    /**
     * What {@link #removeAbandoned} removed, and what it could not remove (each with the reason); uploads and
     * objects gone before their turn are neither.
     */
    public record Removed(int multipartUploads, int objects, List<String> failed) {
        public Removed {
            failed = List.copyOf(failed);
        }

        /** Nothing failed. */
        public Removed(int multipartUploads, int objects) {
            this(multipartUploads, objects, List.of());
        }
    }

    /**
     * The highest part number a file within the size limit can need: every part but the last holds at least
     * {@link #MIN_PART_SIZE}, so {@code (max - 1) / 5 MiB + 1}, at most {@link #MAX_PARTS}. No higher part is signed.
     */
    public int maxPartNumber() {
        return (int) Math.min(MAX_PARTS, (Math.max(1, maxFileSize) - 1) / MIN_PART_SIZE + 1);
    }

    /** Starts a multipart upload to {@code key}; answers its upload id. */
    public String create(String key, String contentType, Map<String, String> metadata) {
        return calls.call(
                "Starting a multipart upload to " + calls.uri(key),
                () -> s3.createMultipartUpload(b -> b.bucket(bucket)
                                .key(key)
                                .contentType(contentType)
                                .metadata(metadata)
                                .overrideConfiguration(calls.timeout()))
                        .uploadId());
    }

    /**
     * A URL to PUT part {@code partNumber} (1..{@link #maxPartNumber()}) to, valid for the part URL expiry, once the
     * upload is found under {@code key} and what S3 holds for it is within the limit (an upload over it is aborted).
     *
     * @throws MultipartException {@code no-such-upload}, {@code too-many-parts} or {@code file-too-large}
     */
    public PresignedPart signPart(String key, String uploadId, int partNumber) {
        return signParts(key, uploadId, List.of(partNumber)).get(0);
    }

    /**
     * As {@link #signPart(String, String, int)}, for a part of {@code size} bytes: the length is signed, so S3 takes
     * no other, and a part that would take the upload over the limit is not signed.
     */
    public PresignedPart signPart(String key, String uploadId, int partNumber, long size) {
        if (size < 1 || size > MAX_PART_SIZE) {
            throw new IllegalArgumentException(
                    "size: " + size + " is outside 1.." + MAX_PART_SIZE + "; S3 parts are 1 byte to 5 GiB");
        }
        checkSignable(partNumber);
        List<Part> held = heldWithinLimit(key, uploadId);
        long others = held.stream()
                .filter(p -> p.partNumber() != partNumber)
                .mapToLong(Part::size)
                .sum();
        if (others + size > maxFileSize) {
            throw new MultipartException(
                    "file-too-large",
                    "A part of " + size + " bytes would make the upload " + (others + size) + " bytes; at most "
                            + maxFileSize + " bytes are allowed. Nothing was signed.");
        }
        return presign(key, uploadId, partNumber, size);
    }

    /** URLs for several parts, with one check of the upload for all of them (see {@link #signPart}). */
    public List<PresignedPart> signParts(String key, String uploadId, List<Integer> partNumbers) {
        partNumbers.forEach(this::checkSignable);
        heldWithinLimit(key, uploadId);
        return partNumbers.stream().map(n -> presign(key, uploadId, n, null)).toList();
    }

    private void checkSignable(int partNumber) {
        checkPartNumber(partNumber);
        if (partNumber > maxPartNumber()) {
            throw new MultipartException(
                    "too-many-parts",
                    "Part " + partNumber + " is beyond the " + maxPartNumber() + " parts a file of at most "
                            + maxFileSize + " bytes needs in parts of 5 MiB (S3's smallest); number parts from 1.");
        }
    }

    /** The parts S3 holds for an upload found under {@code key}; an upload holding more than the limit is aborted. */
    private List<Part> heldWithinLimit(String key, String uploadId) {
        List<Part> held = parts(key, uploadId);
        long size = held.stream().mapToLong(Part::size).sum();
        if (size > maxFileSize) {
            abortOwned(key, uploadId);
            throw new MultipartException(
                    "file-too-large",
                    "The upload holds " + size + " bytes, more than the " + maxFileSize
                            + " allowed; it was aborted and its parts deleted.");
        }
        return held;
    }

    private PresignedPart presign(String key, String uploadId, int partNumber, Long size) {
        var presigned = calls.call(
                "Signing part " + partNumber + " of " + calls.uri(key),
                () -> presigner.presignUploadPart(r -> r.signatureDuration(partUrlExpiry)
                        .uploadPartRequest(p -> p.bucket(bucket)
                                .key(key)
                                .uploadId(uploadId)
                                .partNumber(partNumber)
                                .contentLength(size))));
        return new PresignedPart(partNumber, URI.create(presigned.url().toString()), presigned.expiration());
    }

    /** Every part S3 holds for the upload, in part-number order, all pages. */
    public List<Part> parts(String key, String uploadId) {
        ownership.require(key, uploadId);
        List<Part> parts = new ArrayList<>();
        Integer marker = null;
        while (true) {
            Integer from = marker;
            ListPartsResponse page = calls.call(
                    "Listing the parts of " + calls.uri(key),
                    () -> s3.listParts(b -> b.bucket(bucket)
                            .key(key)
                            .uploadId(uploadId)
                            .partNumberMarker(from)
                            .overrideConfiguration(calls.timeout())));
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
            abortOwned(key, uploadId);
            boolean large = size > maxFileSize;
            throw new MultipartException(
                    large ? "file-too-large" : "file-too-small",
                    "The file is " + size
                            + " bytes; " + (large ? "at most " + maxFileSize : "at least " + minFileSize)
                            + " bytes are allowed."
                            + " The upload was aborted and its parts deleted.");
        }
        requireLargeEnoughParts(key, uploadId, held);
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
        String eTag;
        try {
            eTag = calls.call(
                    "Completing the multipart upload to " + calls.uri(key),
                    () -> s3.completeMultipartUpload(b -> b.bucket(bucket)
                                    .key(key)
                                    .uploadId(uploadId)
                                    .multipartUpload(m -> m.parts(parts))
                                    .overrideConfiguration(calls.timeout()))
                            .eTag());
        } catch (StorageException e) {
            if (e.getCause() instanceof S3Exception s3e && "EntityTooSmall".equals(MultipartCalls.errorCode(s3e))) {
                throw partsTooSmall(key, uploadId, "S3 found a part under 5 MiB that is not the last");
            }
            throw e;
        }
        return new Completed(key, size, parts.size(), eTag);
    }

    /**
     * S3 refuses to complete an upload with a part under 5 MiB but the last, and retrying cannot change that: such
     * an upload is aborted at once, as every store would leave it behind.
     */
    private void requireLargeEnoughParts(String key, String uploadId, List<Part> held) {
        for (Part part : held.subList(0, held.size() - 1)) {
            if (part.size() < MIN_PART_SIZE) {
                throw partsTooSmall(key, uploadId, "part " + part.partNumber() + " is " + part.size() + " bytes");
            }
        }
    }

    private MultipartException partsTooSmall(String key, String uploadId, String which) {
        abortOwned(key, uploadId);
        return new MultipartException(
                "part-too-small",
                "The upload cannot be completed: " + which + ", and every part but the last must be at least "
                        + MIN_PART_SIZE + " bytes (5 MiB). It was aborted and its parts deleted: upload the file"
                        + " again in parts of 5 MiB or more.");
    }

    /** Aborts the upload, once found under {@code key}: S3 deletes its parts. */
    public void abort(String key, String uploadId) {
        ownership.require(key, uploadId);
        abortOwned(key, uploadId);
    }

    private void abortOwned(String key, String uploadId) {
        ownership.forget(key, uploadId);
        calls.abort(key, uploadId);
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
        return sweep.remove(prefix, now.minus(age));
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
