package dev.pontus.test;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.time.Duration;

/**
 * What a {@link FaultProxy} does to a request instead of (or besides) forwarding it. Each fault is what a flaky
 * network, a failing store or a racing client does in real life.
 *
 * <pre>{@code
 * proxy.inject(S3Operation.COPY, Fault.status(500, "InternalError"));     // every CopyObject fails
 * proxy.injectOnce(S3Operation.RANGED_GET, Fault.truncateBody(100));      // one short read
 * }</pre>
 */
public final class Fault {
    private final String description;
    private final Action action;

    private Fault(String description, Action action) {
        this.description = description;
        this.action = action;
    }

    /** Answers {@code status} with an S3 error body of {@code code}, without forwarding the request. */
    public static Fault status(int status, String code) {
        if (status < 300 || status > 599) {
            throw new IllegalArgumentException("status: " + status + " is not an error status (300..599)");
        }
        requireNonNull(code, "code");
        return new Fault(status + " " + code, exchange -> exchange.answerError(status, code));
    }

    /** Closes the connection with a TCP reset, without forwarding the request. */
    public static Fault reset() {
        return new Fault("connection reset", Exchange::reset);
    }

    /** Never answers: holds the connection until the client gives up (or the proxy closes). */
    public static Fault hang() {
        return new Fault("hang", Exchange::hang);
    }

    /** Forwards after {@code delay}. */
    public static Fault delay(Duration delay) {
        requireNonNull(delay, "delay");
        return new Fault("delay " + delay.toMillis() + " ms", exchange -> {
            exchange.sleep(delay);
            exchange.forward();
        });
    }

    /**
     * Forwards, then passes on only the first {@code keep} bytes of the response body, with Content-Length
     * changed to match: a well-formed but short answer (its Content-Range, if any, still announces the full
     * range).
     */
    public static Fault truncateBody(int keep) {
        return new Fault("body truncated to " + keep + " bytes", exchange -> exchange.forwardTruncated(keep, true));
    }

    /** Forwards, then cuts the connection after {@code keep} bytes of the body, its Content-Length unchanged. */
    public static Fault cutBody(int keep) {
        return new Fault(
                "connection cut after " + keep + " body bytes", exchange -> exchange.forwardTruncated(keep, false));
    }

    /**
     * Answers 200 with an S3 error document of {@code code} in the body, without forwarding the request, as S3 can
     * do for CopyObject, UploadPartCopy and CompleteMultipartUpload when they fail after the status was sent.
     */
    public static Fault errorIn200(String code) {
        requireNonNull(code, "code");
        return new Fault("200 with " + code + " inside", exchange -> exchange.answerError(200, code));
    }

    /**
     * Overwrites the object the request reads (the copy source for a copy, else the request's key) with
     * {@code content}, then forwards the request: a racing client re-uploading just before the call.
     */
    public static Fault replaceObject(byte[] content) {
        byte[] copy = content.clone();
        return new Fault("object replaced just before", exchange -> {
            exchange.replaceObject(copy);
            exchange.forward();
        });
    }

    void apply(Exchange exchange) throws IOException {
        action.apply(exchange);
    }

    @Override
    public String toString() {
        return description;
    }

    interface Action {
        void apply(Exchange exchange) throws IOException;
    }
}
