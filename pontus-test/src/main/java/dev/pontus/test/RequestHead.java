package dev.pontus.test;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The head of one HTTP/1.1 request as {@link FaultProxy} and {@link ObservingProxy} read it: the request line, the
 * headers (names in lower case) and the bytes to send on to the store, which are the same but for
 * {@code Connection: close} in place of the hop-by-hop headers, since the proxies pass one request per connection.
 */
final class RequestHead {
    private static final byte[] HEAD_END = {'\r', '\n', '\r', '\n'};
    /**
     * Not passed on: each connection carries one request. An HTTP/2 upgrade offer ({@code Upgrade: h2c}, as Java's
     * HttpClient sends) without its {@code Connection} header makes the store answer 400.
     */
    private static final Set<String> HOP_BY_HOP =
            Set.of("connection", "keep-alive", "upgrade", "http2-settings", "proxy-connection", "te");
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
            if (!HOP_BY_HOP.contains(name)) {
                forward.append(lines[i]).append("\r\n");
            }
        }
        forward.append("Connection: close\r\n\r\n");
        return new RequestHead(
                requestLine[0], target, headers, forward.toString().getBytes(ISO_8859_1));
    }

    /**
     * The head of the store's final answer, each interim one (100 Continue) passed to {@code toClient} first; null
     * when the stream ends first.
     */
    static byte[] readAnswerHead(InputStream fromStore, OutputStream toClient) throws IOException {
        byte[] answer = readHead(fromStore);
        while (answer != null && status(answer) < 200) {
            toClient.write(answer);
            answer = readHead(fromStore);
        }
        return answer;
    }

    /** The status code in an answer's head, or 0 when it has none. */
    static int status(byte[] answerHead) {
        String[] statusLine = new String(answerHead, 0, Math.min(answerHead.length, 64), ISO_8859_1).split(" ", 3);
        try {
            return Integer.parseInt(statusLine[1].trim());
        } catch (RuntimeException e) {
            return 0;
        }
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
