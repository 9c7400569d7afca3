package dev.pontus.validate;

import dev.pontus.PontusException;
import dev.pontus.StorageException;
import dev.pontus.validate.S3Calls.Refusal;
import dev.pontus.validate.S3Calls.Refused;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Reads what validation judges in one round trip: the object's head and tail by ranged GETs and the final key's
 * HEAD go out together; whether they agree (one ETag, one size) is checked when they are back, so that an object
 * replaced between them is never judged on mixed bytes. Each read takes at most what it asked for: a store that
 * sends more is cut off, not downloaded.
 */
final class ObjectReader {
    /** Runs the reads that go beside the caller's own; daemon threads, gone when idle. */
    static final ExecutorService PARALLEL = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "pontus-s3");
        thread.setDaemon(true);
        return thread;
    });

    private final S3Client s3;
    private final String bucket;
    private final int headBytes;
    private final int tailBytes;

    ObjectReader(S3Client s3, String bucket, int headBytes, int tailBytes) {
        this.s3 = s3;
        this.bucket = bucket;
        this.headBytes = headBytes;
        this.tailBytes = tailBytes;
    }

    /** The upload and, when a final key is given, what is there (null: nothing). */
    record Reads(UploadedObject upload, HeadObjectResponse promoted) {}

    /**
     * Reads {@code key} (only the object with {@code eTag}, when given) and HEADs {@code finalKey} (when not null).
     *
     * @throws ObjectNotFoundException with the final key's HEAD as {@link NotFound#promoted()}
     * @throws PromotionException      when the object is not the one with {@code eTag}, or changed between reads
     * @throws StorageException        when a read failed or the store answered inconsistently
     */
    Reads read(String key, String eTag, String finalKey, Deadline deadline) {
        CompletableFuture<RangedRead> tail =
                tailBytes == 0 ? null : async(() -> get(key, "bytes=-" + tailBytes, eTag, deadline, true));
        CompletableFuture<HeadObjectResponse> promoted =
                finalKey == null ? null : async(() -> head(finalKey, deadline));
        RangedRead first;
        try {
            first = get(key, "bytes=0-" + (headBytes - 1), eTag, deadline, false);
        } catch (Refused e) {
            if (e.refusal() == Refusal.NOT_FOUND) {
                throw new NotFound(bucket, key, join(promoted), e);
            }
            if (e.refusal() == Refusal.CHANGED) {
                throw replaced(key, finalKey, eTag, e);
            }
            first = emptyObject(key, finalKey, eTag, deadline); // S3 refuses any range of an empty object (416)
        }
        byte[] tailBody = tail == null ? new byte[0] : tail(key, finalKey, first, tail);
        return new Reads(uploaded(key, first, tailBody), join(promoted));
    }

    /** HEAD of {@code key}: its metadata, or null when nothing is there. */
    HeadObjectResponse head(String key, Deadline deadline) {
        String what = "Looking up " + uri(key);
        try {
            return S3Calls.call(
                    what, () -> s3.headObject(b -> b.bucket(bucket).key(key).overrideConfiguration(deadline.next())));
        } catch (Refused e) {
            if (e.refusal() == Refusal.NOT_FOUND) {
                return null;
            }
            throw e.asFailure(what);
        }
    }

    /** At most this many reads beyond the head and tail per validation, of this many bytes in all. */
    static final int MAX_RANGE_READS = 16;

    static final int MAX_RANGE_BYTES = 64 * 1024;

    /**
     * Reads of {@code upload} beyond its head and tail, for validators that follow the file's offsets: from memory
     * where the head or tail holds the range, else a ranged GET conditional on the checked ETag (a replaced object
     * is a changed upload); at most {@link #MAX_RANGE_READS} reads and {@link #MAX_RANGE_BYTES} bytes.
     */
    Ranges ranges(UploadedObject upload, Deadline deadline) {
        int[] spent = {0, 0};
        return (offset, length) -> {
            long end = Math.min(upload.size(), offset + length);
            if (offset < 0 || offset >= end) {
                return new byte[0];
            }
            byte[] head = upload.headUnsafe();
            byte[] tail = upload.tailUnsafe();
            long tailStart = upload.size() - tail.length;
            if (end <= head.length) {
                return Arrays.copyOfRange(head, (int) offset, (int) end);
            }
            if (offset >= tailStart && tail.length > 0) {
                return Arrays.copyOfRange(tail, (int) (offset - tailStart), (int) (end - tailStart));
            }
            int asked = (int) (end - offset);
            if (spent[0] + 1 > MAX_RANGE_READS || spent[1] + asked > MAX_RANGE_BYTES) {
                return null;
            }
            spent[0]++;
            spent[1] += asked;
            return range(upload, offset, asked, deadline);
        };
    }

    private byte[] range(UploadedObject upload, long offset, int length, Deadline deadline) {
        String key = upload.key();
        GetObjectRequest request = GetObjectRequest.builder()
                .bucket(bucket)
                .key(key)
                .range("bytes=" + offset + "-" + (offset + length - 1))
                .ifMatch(upload.eTag())
                .overrideConfiguration(deadline.next())
                .build();
        try {
            return S3Calls.call(
                            "Reading " + uri(key),
                            () -> s3.getObject(request, (response, in) -> {
                                byte[] body = in.readNBytes(length);
                                boolean more = in.read() >= 0;
                                if (more) {
                                    in.abort();
                                }
                                return new RangedRead(uri(key), response, body, more);
                            }))
                    .requireRange(offset, length)
                    .body();
        } catch (Refused e) {
            throw changed(key, null, e);
        }
    }

    /** The tail's bytes past the head, from the same object as the head (one ETag, one size). */
    private byte[] tail(String key, String finalKey, RangedRead first, CompletableFuture<RangedRead> pending) {
        RangedRead last;
        try {
            last = join(pending);
        } catch (Refused e) {
            if (first.size() <= headBytes) {
                return new byte[0]; // the head holds it all (an empty object refuses any range: 416)
            }
            throw changed(key, finalKey, e);
        }
        if (first.size() <= headBytes) {
            return new byte[0]; // the head holds it all; the tail's body was left unread
        }
        last.requirePartial();
        if (!first.eTag().equals(last.eTag()) || first.size() != last.size()) {
            throw changed(key, finalKey, null);
        }
        last.requireSuffix(tailBytes);
        int skip = (int) Math.max(0, headBytes - last.start()); // a tail that overlaps the head: keep what is new
        return Arrays.copyOfRange(last.body(), skip, last.body().length);
    }

    private RangedRead emptyObject(String key, String finalKey, String eTag, Deadline deadline) {
        try {
            return get(key, null, eTag, deadline, false).requireEmpty();
        } catch (Refused e) {
            if (e.refusal() == Refusal.NOT_FOUND) {
                throw new NotFound(bucket, key, null, e);
            }
            throw replaced(key, finalKey, eTag, e);
        }
    }

    /**
     * One GET of at most the range's bytes, read inside the call so that its timeout covers the body too. For the
     * tail ({@code suffix}), a body that the head already covers (a small object) is left unread.
     */
    private RangedRead get(String key, String range, String eTag, Deadline deadline, boolean suffix) {
        int limit = range == null ? 1 : suffix ? tailBytes : headBytes;
        GetObjectRequest request = GetObjectRequest.builder()
                .bucket(bucket)
                .key(key)
                .range(range)
                .ifMatch(eTag)
                .overrideConfiguration(deadline.next())
                .build();
        RangedRead read = S3Calls.call(
                "Reading " + uri(key),
                () -> s3.getObject(request, (response, in) -> {
                    RangedRead announced = new RangedRead(uri(key), response, new byte[0], false);
                    if (suffix && announced.size() <= headBytes) {
                        in.abort();
                        return announced;
                    }
                    byte[] body = in.readNBytes(limit);
                    boolean more = in.read() >= 0;
                    if (more) {
                        in.abort();
                    }
                    return new RangedRead(uri(key), response, body, more);
                }));
        return range == null || suffix ? read : read.requireRange(0, headBytes);
    }

    private UploadedObject uploaded(String key, RangedRead first, byte[] tail) {
        var response = first.response();
        return new UploadedObject(
                bucket,
                key,
                first.size(),
                response.contentType(),
                response.metadata(),
                response.eTag(),
                response.lastModified(),
                MimeSniffer.detect(first.body(), key.substring(key.lastIndexOf('/') + 1)),
                first.body(),
                tail);
    }

    private PromotionException replaced(String key, String finalKey, String eTag, Refused e) {
        return new PromotionException(
                key, finalKey, uri(key) + " holds a later upload than " + eTag + "; it was not checked", e);
    }

    private PromotionException changed(String key, String finalKey, Throwable cause) {
        return Promotion.changed(key, finalKey, uri(key) + " changed while it was being checked", cause);
    }

    private String uri(String key) {
        return "s3://" + bucket + "/" + key;
    }

    static <T> CompletableFuture<T> async(Supplier<T> call) {
        return CompletableFuture.supplyAsync(call, PARALLEL);
    }

    /** The future's value, or its own exception as thrown, not wrapped. */
    static <T> T join(CompletableFuture<T> future) {
        if (future == null) {
            return null;
        }
        try {
            return future.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause
                    ? cause
                    : new PontusException("Reading failed: " + e.getCause(), e.getCause());
        }
    }

    /** No upload at the key; {@link #promoted()} is what the final key holds (null: nothing). */
    static final class NotFound extends ObjectNotFoundException {
        private final transient HeadObjectResponse promoted;

        NotFound(String bucket, String key, HeadObjectResponse promoted, Throwable cause) {
            super(
                    bucket,
                    key,
                    "No upload at s3://" + bucket + "/" + key + ": it was never uploaded, or was deleted",
                    cause);
            this.promoted = promoted;
        }

        HeadObjectResponse promoted() {
            return promoted;
        }
    }
}
