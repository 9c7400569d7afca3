package dev.pontus.test;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A wire-level proxy that passes every request to a store unchanged (path-style, one request per connection, so
 * SigV4 signatures stay valid) and reports each finished exchange of the operations it watches, with the start of
 * the request and response bodies. {@link S3EventFeed} turns those reports into S3 events.
 */
final class ObservingProxy implements AutoCloseable {
    /** How much of a watched request or response body is kept: enough for form fields and XML results. */
    static final int KEEP = 64 * 1024;

    private final URI target;
    private final Set<S3Operation> watched;
    private final Consumer<Exchange> listener;
    private final ProxyServer server;

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
        this.server = new ProxyServer("pontus-event-feed-proxy", this::handle);
    }

    URI endpoint() {
        return server.endpoint();
    }

    @Override
    public void close() {
        server.close();
    }

    private void handle(Socket client) throws IOException {
        Exchange finished = relay(client);
        client.close();
        if (finished != null) {
            listener.accept(finished); // after the client has its answer, as S3 sends events after the fact
        }
    }

    /** Passes one request on and its answer back; returns the exchange when it is of a watched operation. */
    private Exchange relay(Socket client) throws IOException {
        InputStream fromClient = new BufferedInputStream(client.getInputStream());
        OutputStream toClient = client.getOutputStream();
        RequestHead request = RequestHead.read(fromClient);
        if (request == null) {
            return null;
        }
        S3Operation operation = request.operation();
        boolean watch = watched.contains(operation);
        ByteArrayOutputStream requestStart = new ByteArrayOutputStream();
        try (Socket upstream = new Socket(target.getHost(), target.getPort())) {
            server.track(upstream);
            upstream.getOutputStream().write(request.forwardBytes());
            upstream.getOutputStream().flush();
            server.execute(() -> copyBody(fromClient, upstream, watch ? requestStart : null));
            InputStream fromStore = new BufferedInputStream(upstream.getInputStream());
            byte[] responseHead = RequestHead.readAnswerHead(fromStore, toClient);
            if (responseHead == null) {
                return null;
            }
            toClient.write(responseHead);
            byte[] responseStart = fromStore.readNBytes(watch ? KEEP : 0);
            toClient.write(responseStart);
            fromStore.transferTo(toClient);
            toClient.flush();
            server.forget(upstream);
            if (!watch) {
                return null;
            }
            String address = client.getRemoteSocketAddress() instanceof InetSocketAddress inet
                    ? inet.getAddress().getHostAddress()
                    : "127.0.0.1";
            return new Exchange(
                    operation,
                    request.target(),
                    Map.copyOf(request.headers()),
                    requestStart.toByteArray(),
                    RequestHead.status(responseHead),
                    Map.copyOf(RequestHead.parse(new String(responseHead, ISO_8859_1))
                            .headers()),
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
}
