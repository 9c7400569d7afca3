package dev.pontus.test;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The head of one HTTP/1.1 request as {@link FaultProxy} reads it: the request line, the headers (names in lower
 * case) and the bytes to send on to the store, which are the same but for {@code Connection: close}, since the
 * proxy passes one request per connection.
 */
final class RequestHead {
    private static final byte[] HEAD_END = {'\r', '\n', '\r', '\n'};
    /** Longer heads are refused: no S3 client sends one. */
    static final int MAX_HEAD = 64 * 1024;

    private final String method;
    private final String target;
    private final Map<String, String> headers;
    private final byte[] forwardBytes;

    private RequestHead(String method, String target, Map<String, String> headers, byte[] forwardBytes) {
        this.method = method;
        this.target = target;
        this.headers = Collections.unmodifiableMap(headers);
        this.forwardBytes = forwardBytes;
    }

    /** Reads a request head from {@code in}; null when the stream ends first (a client that sent nothing). */
    static RequestHead read(InputStream in) throws IOException {
        byte[] head = readHead(in);
        return head == null ? null : parse(new String(head, ISO_8859_1));
    }

    /** Parses a head, blank line included; lines without a colon are dropped, as are hop-by-hop headers. */
    static RequestHead parse(String head) {
        String[] lines = head.split("\r\n");
        String[] requestLine = lines[0].split(" ");
        String target = requestLine.length > 1 ? requestLine[1] : "/";
        Map<String, String> headers = new LinkedHashMap<>();
        StringBuilder forward = new StringBuilder(lines[0]).append("\r\n");
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            headers.put(name, lines[i].substring(colon + 1).trim());
            if (!name.equals("connection") && !name.equals("keep-alive")) {
                forward.append(lines[i]).append("\r\n");
            }
        }
        forward.append("Connection: close\r\n\r\n");
        return new RequestHead(
                requestLine[0], target, headers, forward.toString().getBytes(ISO_8859_1));
    }

    /** The bytes of an HTTP head up to and including the blank line, or null at the end of the stream. */
    static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream(512);
        int matched = 0;
        while (matched < HEAD_END.length) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = b == HEAD_END[matched] ? matched + 1 : b == '\r' ? 1 : 0;
            if (head.size() > MAX_HEAD) {
                throw new IOException("HTTP head longer than " + MAX_HEAD + " bytes");
            }
        }
        return head.toByteArray();
    }

    String method() {
        return method;
    }

    /** The request target as sent: path and query, still percent-encoded. */
    String target() {
        return target;
    }

    /** Header values by lower-case name; the last one wins where a name repeats. */
    Map<String, String> headers() {
        return headers;
    }

    /** The head to send on to the store. */
    byte[] forwardBytes() {
        return forwardBytes.clone();
    }

    /** The S3 operation this request is. */
    S3Operation operation() {
        return S3Operation.of(method, target, headers);
    }
}
