package dev.pontus.test;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
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
    private final LocalS3 target;
    private final ProxyServer server;
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final Map<S3Operation, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final Map<S3Operation, AtomicInteger> forwarded = new ConcurrentHashMap<>();

    private FaultProxy(LocalS3 target) throws IOException {
        this.target = requireNonNull(target, "target");
        this.server = new ProxyServer("pontus-fault-proxy", this::handle);
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
        return server.endpoint();
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
        server.close();
    }

    @Override
    public String toString() {
        return "FaultProxy[" + endpoint() + " -> " + target.endpoint() + ", faults=" + rules + "]";
    }

    private void handle(Socket client) throws IOException {
        Exchange exchange = Exchange.read(this, client);
        if (exchange == null) {
            return;
        }
        counts.computeIfAbsent(exchange.operation(), o -> new AtomicInteger()).incrementAndGet();
        Fault fault = faultFor(exchange.operation());
        if (fault == null) {
            exchange.forward();
        } else {
            fault.apply(exchange);
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

    private record Rule(S3Operation operation, Fault fault, AtomicInteger remaining) {
        @Override
        public String toString() {
            return operation + ": " + fault;
        }
    }

    /** A connection to the store for a request of {@code operation}, closed with the proxy, and counted. */
    Socket connectUpstream(S3Operation operation) throws IOException {
        URI store = target.endpoint();
        Socket upstream = server.track(new Socket(store.getHost(), store.getPort()));
        forwarded.computeIfAbsent(operation, o -> new AtomicInteger()).incrementAndGet();
        return upstream;
    }

    /** Runs {@code task} on the proxy's threads, which stop when it closes. */
    void execute(Runnable task) {
        server.execute(task);
    }

    /** Writes {@code content} to the store directly, past the proxy. */
    void replace(String bucket, String key, byte[] content) {
        target.client().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(content));
    }
}
