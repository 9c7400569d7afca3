package dev.pontus.test;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.URLDecoder;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * A wire-level proxy between an S3 client and a {@link LocalS3} that injects faults per S3 operation: an error
 * status, a reset, a hang, a short or cut body, an error inside a 200, or the object replaced just before the
 * call. Like Toxiproxy, but it knows which S3 operation each request is. Requests are forwarded byte for byte
 * (path-style, one request per connection), so SigV4 signatures stay valid.
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.start(localS3)) {
 *     S3Client s3 = proxy.clientBuilder().build();
 *     proxy.injectOnce(S3Operation.RANGED_GET, Fault.truncateBody(100));
 *     ... s3.getObject(...) reads 100 bytes of a longer range ...
 *     assertThat(proxy.requests(S3Operation.RANGED_GET)).isEqualTo(1);
 * }
 * }</pre>
 */
public final class FaultProxy implements AutoCloseable {
    private static final byte[] HEAD_END = {'\r', '\n', '\r', '\n'};
    private static final int MAX_HEAD = 64 * 1024;

    private final LocalS3 target;
    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "pontus-fault-proxy");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final Map<S3Operation, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final Map<S3Operation, AtomicInteger> forwarded = new ConcurrentHashMap<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private FaultProxy(LocalS3 target) throws IOException {
        this.target = requireNonNull(target, "target");
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::accept);
    }

    /** Starts a proxy in front of {@code target} on a free loopback port. */
    public static FaultProxy start(LocalS3 target) {
        try {
            return new FaultProxy(target);
        } catch (IOException e) {
            throw new IllegalStateException("FaultProxy could not listen on a loopback port: " + e, e);
        }
    }

    /** The proxy's base URL; give it to the S3 client instead of the store's. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** A client builder for the store, through this proxy. */
    public S3ClientBuilder clientBuilder() {
        return target.clientBuilder().endpointOverride(endpoint());
    }

    /** Applies {@code fault} to every request of {@code operation} until {@link #clear()}. */
    public FaultProxy inject(S3Operation operation, Fault fault) {
        return inject(operation, fault, -1);
    }

    /** Applies {@code fault} to the next request of {@code operation} only. */
    public FaultProxy injectOnce(S3Operation operation, Fault fault) {
        return inject(operation, fault, 1);
    }

    /** Applies {@code fault} to the next {@code times} requests of {@code operation} (-1: all of them). */
    public FaultProxy inject(S3Operation operation, Fault fault, int times) {
        rules.add(new Rule(
                requireNonNull(operation, "operation"), requireNonNull(fault, "fault"), new AtomicInteger(times)));
        return this;
    }

    /** Removes every fault; requests from now on are forwarded unchanged. */
    public void clear() {
        rules.clear();
    }

    /** How many requests of {@code operation} reached the proxy since it started or {@link #resetCounts()}. */
    public int requests(S3Operation operation) {
        AtomicInteger count = counts.get(operation);
        return count == null ? 0 : count.get();
    }

    /** How many requests of {@code operation} were passed on to the store (not answered by a fault alone). */
    public int forwarded(S3Operation operation) {
        AtomicInteger count = forwarded.get(operation);
        return count == null ? 0 : count.get();
    }

    /** Requests per operation, in the enum's order, without those never seen. */
    public Map<S3Operation, Integer> requests() {
        Map<S3Operation, Integer> all = new EnumMap<>(S3Operation.class);
        counts.forEach((operation, count) -> all.put(operation, count.get()));
        return all;
    }

    public void resetCounts() {
        counts.clear();
        forwarded.clear();
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        open.forEach(FaultProxy::closeQuietly);
        threads.shutdownNow();
    }

    @Override
    public String toString() {
        return "FaultProxy[" + endpoint() + " -> " + target.endpoint() + ", faults=" + rules + "]";
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                open.add(client);
                threads.execute(() -> handle(client));
            } catch (IOException e) {
                if (!closed) {
                    System.getLogger(FaultProxy.class.getName()).log(System.Logger.Level.WARNING, "accept failed", e);
                }
            }
        }
    }

    private void handle(Socket client) {
        try (client) {
            Exchange exchange = new Exchange(client);
            if (exchange.method == null) {
                return;
            }
            counts.computeIfAbsent(exchange.operation, o -> new AtomicInteger()).incrementAndGet();
            Fault fault = faultFor(exchange.operation);
            if (fault == null) {
                exchange.forward();
            } else {
                fault.apply(exchange);
            }
        } catch (IOException e) {
            // the client or the store went away: nothing more to pass on
        } finally {
            open.remove(client);
        }
    }

    private Fault faultFor(S3Operation operation) {
        for (Rule rule : rules) {
            if (rule.operation == operation) {
                int left = rule.remaining.getAndUpdate(n -> n > 0 ? n - 1 : n);
                if (left != 0) {
                    return rule.fault;
                }
            }
        }
        return null;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    private record Rule(S3Operation operation, Fault fault, AtomicInteger remaining) {
        @Override
        public String toString() {
            return operation + ": " + fault;
        }
    }

    /** One request on its way through the proxy; the operations faults are made of. */
    final class Exchange {
        private final Socket client;
        private final InputStream fromClient;
        private final OutputStream toClient;
        final String method;
        private final String target;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private final S3Operation operation;
        private final byte[] forwardHead;

        Exchange(Socket client) throws IOException {
            this.client = client;
            this.fromClient = new BufferedInputStream(client.getInputStream());
            this.toClient = client.getOutputStream();
            byte[] head = readHead(fromClient);
            if (head == null) {
                method = null;
                target = null;
                operation = null;
                forwardHead = null;
                return;
            }
            String[] lines = new String(head, ISO_8859_1).split("\r\n");
            String[] requestLine = lines[0].split(" ");
            method = requestLine[0];
            target = requestLine.length > 1 ? requestLine[1] : "/";
            StringBuilder rewritten = new StringBuilder(lines[0]).append("\r\n");
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
                headers.put(name, lines[i].substring(colon + 1).trim());
                if (!name.equals("connection") && !name.equals("keep-alive")) {
                    rewritten.append(lines[i]).append("\r\n");
                }
            }
            rewritten.append("Connection: close\r\n\r\n");
            forwardHead = rewritten.toString().getBytes(ISO_8859_1);
            operation = S3Operation.of(method, target, headers);
        }

        /** Passes the request to the store and its answer back, unchanged. */
        void forward() throws IOException {
            try (Socket upstream = upstream()) {
                upstream.getInputStream().transferTo(toClient);
                toClient.flush();
            }
        }

        /** Passes on {@code keep} bytes of the answer's body: with Content-Length adjusted, or cut short. */
        void forwardTruncated(int keep, boolean adjustLength) throws IOException {
            try (Socket upstream = upstream()) {
                InputStream fromStore = new BufferedInputStream(upstream.getInputStream());
                byte[] head = readHead(fromStore);
                while (head != null && new String(head, ISO_8859_1).matches("(?s)HTTP/1\\.1 1\\d\\d.*")) {
                    toClient.write(head); // 100 Continue
                    head = readHead(fromStore);
                }
                if (head == null) {
                    return;
                }
                byte[] body = fromStore.readNBytes(keep);
                String responseHead = new String(head, ISO_8859_1);
                if (adjustLength) {
                    responseHead =
                            responseHead.replaceAll("(?im)^Content-Length:.*$", "Content-Length: " + body.length);
                }
                toClient.write(responseHead.getBytes(ISO_8859_1));
                toClient.write(body);
                toClient.flush();
                if (!adjustLength) {
                    reset();
                }
            }
        }

        /** Answers {@code status} with an S3 error document, without asking the store. */
        void answerError(int status, String code) throws IOException {
            drainBody();
            byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>"
                            + "Injected by FaultProxy</Message><RequestId>FAULTPROXY</RequestId></Error>")
                    .getBytes(UTF_8);
            String head = "HTTP/1.1 " + status + " " + (status == 200 ? "OK" : "Fault") + "\r\n"
                    + "Content-Type: application/xml\r\n"
                    + "Content-Length: " + body.length + "\r\n"
                    + "x-amz-request-id: FAULTPROXY\r\n"
                    + "Connection: close\r\n\r\n";
            toClient.write(head.getBytes(ISO_8859_1));
            if (!method.equals("HEAD")) {
                toClient.write(body);
            }
            toClient.flush();
        }

        void reset() throws IOException {
            client.setSoLinger(true, 0);
            client.close();
        }

        /** Holds the connection, answering nothing, until the client or the proxy closes it. */
        void hang() throws IOException {
            try {
                while (fromClient.read() >= 0) {
                    // discard whatever the client still sends
                }
            } catch (SocketException closed) {
                // the client gave up, or the proxy closed
            }
        }

        void sleep(Duration delay) throws IOException {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }

        /** Overwrites the object this request reads: the copy source for a copy, else the request's own key. */
        void replaceObject(byte[] content) {
            String path = headers.getOrDefault("x-amz-copy-source", target.split("\\?", 2)[0]);
            path = URLDecoder.decode(path.split("\\?", 2)[0], UTF_8);
            path = path.startsWith("/") ? path.substring(1) : path;
            int slash = path.indexOf('/');
            String bucket = path.substring(0, slash);
            String key = path.substring(slash + 1);
            FaultProxy.this.target.client().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(content));
        }

        private Socket upstream() throws IOException {
            URI store = FaultProxy.this.target.endpoint();
            Socket upstream = new Socket(store.getHost(), store.getPort());
            open.add(upstream);
            forwarded.computeIfAbsent(operation, o -> new AtomicInteger()).incrementAndGet();
            upstream.getOutputStream().write(forwardHead);
            upstream.getOutputStream().flush();
            threads.execute(() -> {
                try {
                    fromClient.transferTo(upstream.getOutputStream()); // the request body, if any
                } catch (IOException ignored) {
                    // one side closed: the exchange is over
                }
            });
            return upstream;
        }

        /** Reads and drops a request body of known length, so that the client reads the answer, not a reset. */
        private void drainBody() throws IOException {
            String length = headers.get("content-length");
            if (length != null && !"100-continue".equalsIgnoreCase(headers.get("expect"))) {
                fromClient.skipNBytes(Long.parseLong(length));
            }
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
}
