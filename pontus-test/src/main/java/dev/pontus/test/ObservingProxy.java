package dev.pontus.test;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * A wire-level proxy that passes every request to a store unchanged (path-style, one request per connection, so
 * SigV4 signatures stay valid) and reports each finished exchange of the operations it watches, with the start of
 * the request and response bodies. {@link S3EventFeed} turns those reports into S3 events.
 */
final class ObservingProxy implements AutoCloseable {
    /** How much of a watched request or response body is kept: enough for form fields and XML results. */
    static final int KEEP = 64 * 1024;

    private static final byte[] HEAD_END = {'\r', '\n', '\r', '\n'};
    private static final int MAX_HEAD = 64 * 1024;
    private static final Set<String> HOP_BY_HOP =
            Set.of("connection", "keep-alive", "upgrade", "http2-settings", "proxy-connection", "te");

    private final URI target;
    private final Set<S3Operation> watched;
    private final Consumer<Exchange> listener;
    private final ServerSocket server;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "pontus-event-feed-proxy");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean closed;

    /** A finished exchange of a watched operation; header names in lower case. */
    record Exchange(
            S3Operation operation,
            String target,
            Map<String, String> requestHeaders,
            byte[] requestStart,
            int status,
            Map<String, String> responseHeaders,
            byte[] responseStart,
            String clientAddress) {}

    ObservingProxy(URI target, Set<S3Operation> watched, Consumer<Exchange> listener) throws IOException {
        this.target = target;
        this.watched = Set.copyOf(watched);
        this.listener = listener;
        this.server = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        threads.execute(this::accept);
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        open.forEach(ObservingProxy::closeQuietly);
        threads.shutdownNow();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                open.add(client);
                threads.execute(() -> handle(client));
            } catch (IOException e) {
                if (!closed) {
                    System.getLogger(ObservingProxy.class.getName())
                            .log(System.Logger.Level.WARNING, "accept failed", e);
                }
            }
        }
    }

    private void handle(Socket client) {
        Exchange finished = null;
        try (client) {
            finished = relay(client);
        } catch (IOException e) {
            // the client or the store went away: the exchange did not finish, nothing to report
        } finally {
            open.remove(client);
        }
        if (finished != null) {
            listener.accept(finished); // after the client has its answer, as S3 sends events after the fact
        }
    }

    /** Passes one request on and its answer back; returns the exchange when it is of a watched operation. */
    private Exchange relay(Socket client) throws IOException {
        InputStream fromClient = new BufferedInputStream(client.getInputStream());
        OutputStream toClient = client.getOutputStream();
        byte[] head = readHead(fromClient);
        if (head == null) {
            return null;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        String[] requestLine = parseHead(head, headers);
        String method = requestLine[0];
        String path = requestLine.length > 1 ? requestLine[1] : "/";
        S3Operation operation = S3Operation.of(method, path, headers);
        boolean watch = watched.contains(operation);
        ByteArrayOutputStream requestStart = new ByteArrayOutputStream();
        try (Socket upstream = new Socket(target.getHost(), target.getPort())) {
            open.add(upstream);
            upstream.getOutputStream().write(forwardHead(head));
            upstream.getOutputStream().flush();
            threads.execute(() -> copyBody(fromClient, upstream, watch ? requestStart : null));
            InputStream fromStore = new BufferedInputStream(upstream.getInputStream());
            byte[] responseHead = readHead(fromStore);
            while (responseHead != null && statusOf(responseHead) < 200) {
                toClient.write(responseHead); // 100 Continue
                responseHead = readHead(fromStore);
            }
            if (responseHead == null) {
                return null;
            }
            toClient.write(responseHead);
            byte[] responseStart = fromStore.readNBytes(watch ? KEEP : 0);
            toClient.write(responseStart);
            fromStore.transferTo(toClient);
            toClient.flush();
            open.remove(upstream);
            if (!watch) {
                return null;
            }
            Map<String, String> responseHeaders = new LinkedHashMap<>();
            parseHead(responseHead, responseHeaders);
            String address = client.getRemoteSocketAddress() instanceof InetSocketAddress inet
                    ? inet.getAddress().getHostAddress()
                    : "127.0.0.1";
            return new Exchange(
                    operation,
                    path,
                    Map.copyOf(headers),
                    requestStart.toByteArray(),
                    statusOf(responseHead),
                    Map.copyOf(responseHeaders),
                    responseStart,
                    address);
        }
    }

    /** The request body, if any, on to the store; the first {@link #KEEP} bytes also into {@code keep}. */
    private static void copyBody(InputStream fromClient, Socket upstream, ByteArrayOutputStream keep) {
        try {
            OutputStream toStore = upstream.getOutputStream();
            byte[] buffer = new byte[16 * 1024];
            for (int n; (n = fromClient.read(buffer)) >= 0; ) {
                if (keep != null && keep.size() < KEEP) {
                    keep.write(buffer, 0, Math.min(n, KEEP - keep.size()));
                }
                toStore.write(buffer, 0, n);
            }
        } catch (IOException ignored) {
            // one side closed: the exchange is over
        }
    }

    /**
     * The head with {@code Connection: close}, so that each connection carries one request, and without the other
     * hop-by-hop headers: an HTTP/2 upgrade offer ({@code Upgrade: h2c}, as Java's HttpClient sends) stripped of its
     * {@code Connection} header makes the store answer 400.
     */
    private static byte[] forwardHead(byte[] head) {
        String[] lines = new String(head, ISO_8859_1).split("\r\n");
        StringBuilder rewritten = new StringBuilder(lines[0]).append("\r\n");
        for (int i = 1; i < lines.length; i++) {
            String name = lines[i].split(":", 2)[0].trim().toLowerCase(Locale.ROOT);
            if (!lines[i].isEmpty() && !HOP_BY_HOP.contains(name)) {
                rewritten.append(lines[i]).append("\r\n");
            }
        }
        return rewritten.append("Connection: close\r\n\r\n").toString().getBytes(ISO_8859_1);
    }

    /** The first line split on spaces; the headers (names in lower case) into {@code headers}. */
    private static String[] parseHead(byte[] head, Map<String, String> headers) {
        String[] lines = new String(head, ISO_8859_1).split("\r\n");
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(
                        lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
        }
        return lines[0].split(" ");
    }

    private static int statusOf(byte[] responseHead) {
        String[] statusLine = new String(responseHead, 0, Math.min(responseHead.length, 64), ISO_8859_1).split(" ", 3);
        try {
            return Integer.parseInt(statusLine[1].trim());
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** The bytes of an HTTP head up to and including the blank line, or null at the end of the stream. */
    private static byte[] readHead(InputStream in) throws IOException {
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

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
