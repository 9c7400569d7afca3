package dev.pontus.validate;

import dev.pontus.StorageException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * A GET's answer and the body bytes received ({@code more}: the store sent more than asked), checked against what
 * the answer announced: a short, long or misplaced body is a storage failure, never something to judge.
 */
record RangedRead(String uri, GetObjectResponse response, byte[] body, boolean more) {
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)");

    /** The range's first {@code asked} bytes from {@code start}, exactly: else the read was cut or garbled. */
    RangedRead requireRange(long start, int asked) {
        Matcher range = requirePartial().contentRange();
        long first = Long.parseLong(range.group(1));
        long last = Long.parseLong(range.group(2));
        long total = Long.parseLong(range.group(3));
        long expected = Math.min(asked, total - start);
        if (first != start || last - first + 1 != expected || body.length != expected || !bodyAsAnnounced()) {
            throw inconsistent("announced bytes " + first + "-" + last + "/" + total + " (Content-Length "
                    + response.contentLength() + ") for bytes " + start + "-" + (start + asked - 1) + " but sent "
                    + body.length + (more ? "+" : "") + " bytes");
        }
        return requireETag();
    }

    /** A 206 with a Content-Range, as a ranged GET must answer: else the store ignored the range. */
    RangedRead requirePartial() {
        if (status() != 206 || contentRange() == null) {
            throw inconsistent(
                    "answered " + status() + " with Content-Range " + response.contentRange() + " to a ranged GET");
        }
        return this;
    }

    /** The last bytes of the object, as a suffix range ({@code bytes=-n}) answers them, exactly. */
    RangedRead requireSuffix(int asked) {
        requirePartial();
        return requireRange(Math.max(0, size() - asked), asked);
    }

    /** A whole, empty object: what a GET without a range answers for one. */
    RangedRead requireEmpty() {
        if (status() != 200 || body.length != 0 || !bodyAsAnnounced()) {
            throw inconsistent("refused a range as if the object were empty, then sent " + body.length
                    + (more ? "+" : "") + " bytes");
        }
        return requireETag();
    }

    /** The object's whole size, from Content-Range (or the body, for an object read whole). */
    long size() {
        Matcher range = contentRange();
        return range == null ? body.length : Long.parseLong(range.group(3));
    }

    /** Where the body starts in the object. */
    long start() {
        Matcher range = contentRange();
        return range == null ? 0 : Long.parseLong(range.group(1));
    }

    String eTag() {
        return response.eTag();
    }

    /** A failure naming what the store did: nothing was judged on it. */
    StorageException inconsistent(String what) {
        return StorageException.inconsistent(
                "Reading " + uri + " failed: the store " + what + "; nothing was judged. Try again.",
                status(),
                response.responseMetadata() == null
                        ? null
                        : response.responseMetadata().requestId());
    }

    private boolean bodyAsAnnounced() {
        return !more && response.contentLength() != null && response.contentLength() == body.length;
    }

    private RangedRead requireETag() {
        if (response.eTag() == null || response.eTag().isEmpty()) {
            throw inconsistent("sent no ETag");
        }
        return this;
    }

    private int status() {
        return response.sdkHttpResponse().statusCode();
    }

    private Matcher contentRange() {
        Matcher range = CONTENT_RANGE.matcher(String.valueOf(response.contentRange()));
        return range.matches() ? range : null;
    }
}
