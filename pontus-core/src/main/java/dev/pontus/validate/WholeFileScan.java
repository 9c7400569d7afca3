package dev.pontus.validate;

import dev.pontus.StorageException;
import dev.pontus.validate.S3Calls.Refused;
import java.util.Arrays;
import java.util.List;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;

/**
 * Scans a whole image or PDF for markup, for apps that serve uploads in risky ways: the head and tail already
 * read, then the middle, streamed by one ranged GET (if it is still the checked object) in 1 MiB windows that
 * overlap each other, and the head and tail, by 1 KiB (more than any pattern spans); stops at the first finding.
 */
final class WholeFileScan {
    private static final int WINDOW = 1 << 20;
    private static final int OVERLAP = 1024;

    private final S3Client s3;
    private final long maxBytes;

    WholeFileScan(S3Client s3, long maxBytes) {
        this.s3 = s3;
        this.maxBytes = maxBytes;
    }

    /** Whether {@code upload} gets a whole-file scan: enabled, a scanned type, and bytes left unread. */
    boolean applies(UploadedObject upload) {
        boolean middleUnread = upload.size() > upload.headUnsafe().length + upload.tailUnsafe().length;
        return maxBytes > 0 && middleUnread && Validators.scannedForMarkup(upload.detectedType());
    }

    List<Violation> scan(UploadedObject upload, Deadline deadline) {
        String type = upload.detectedType();
        if (upload.size() > maxBytes) {
            return List.of(new Violation(
                    "too-large-to-scan",
                    "The file is " + Validators.bytes(upload.size()) + "; files of type " + type
                            + " are scanned whole, up to " + Validators.bytes(maxBytes) + "."));
        }
        String found = MarkupScanner.find(upload.headUnsafe(), type);
        if (found == null) {
            found = MarkupScanner.findInside(upload.tailUnsafe(), type);
        }
        if (found == null) {
            found = scanMiddle(upload, deadline);
        }
        return found == null ? List.of() : List.of(Validators.embeddedMarkup(type, found));
    }

    private String scanMiddle(UploadedObject upload, Deadline deadline) {
        long first = Math.max(0, upload.headUnsafe().length - OVERLAP);
        long last = Math.min(upload.size(), upload.size() - upload.tailUnsafe().length + OVERLAP) - 1;
        String uri = "s3://" + upload.bucket() + "/" + upload.key();
        GetObjectRequest request = GetObjectRequest.builder()
                .bucket(upload.bucket())
                .key(upload.key())
                .range("bytes=" + first + "-" + last)
                .ifMatch(upload.eTag())
                .overrideConfiguration(deadline.rest())
                .build();
        Scan scan;
        try {
            scan = S3Calls.call(
                    "Scanning " + uri,
                    () -> s3.getObject(request, (response, in) -> {
                        byte[] carried = new byte[0];
                        long read = 0;
                        while (true) {
                            byte[] chunk = in.readNBytes(WINDOW);
                            read += chunk.length;
                            byte[] bytes = new byte[carried.length + chunk.length];
                            System.arraycopy(carried, 0, bytes, 0, carried.length);
                            System.arraycopy(chunk, 0, bytes, carried.length, chunk.length);
                            String found = MarkupScanner.findInside(bytes, upload.detectedType());
                            if (found != null) {
                                in.abort();
                                return new Scan(found, read);
                            }
                            if (chunk.length < WINDOW) {
                                return new Scan(null, read);
                            }
                            carried = Arrays.copyOfRange(bytes, bytes.length - OVERLAP, bytes.length);
                        }
                    }));
        } catch (Refused e) { // 412, 404: not the checked object any more
            throw Promotion.changed(upload.key(), null, uri + " changed while it was being checked", e);
        }
        if (scan.found() == null && scan.read() != last - first + 1) {
            throw StorageException.inconsistent(
                    "Scanning " + uri + " failed: the store sent " + scan.read() + " of the " + (last - first + 1)
                            + " bytes asked for; nothing was judged. Try again.",
                    0,
                    null);
        }
        return scan.found();
    }

    private record Scan(String found, long read) {}
}
