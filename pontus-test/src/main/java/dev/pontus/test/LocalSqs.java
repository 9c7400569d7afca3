package dev.pontus.test;

import java.net.URI;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * A local SQS: ElasticMQ, a JVM SQS server, in this JVM on a free loopback port. It speaks the SQS protocol of the
 * AWS SDK v2 (long polling, visibility timeout, redrive to a dead-letter queue). Feed it S3 events with
 * {@link S3EventFeed}.
 *
 * <pre>{@code
 * try (LocalSqs sqs = LocalSqs.start()) {
 *     String queueUrl = sqs.newQueue();
 *     sqs.client().sendMessage(b -> b.queueUrl(queueUrl).messageBody("hello"));
 * }
 * }</pre>
 *
 * ElasticMQ is an optional dependency of pontus-test (it brings Scala and Pekko, ~30 MB): add
 * {@code org.elasticmq:elasticmq-rest-sqs_2.13} to your test dependencies to use this class. Without it,
 * {@link #start()} fails and says so. moto's SQS ({@link Moto}) is the alternative that needs no JVM dependency.
 */
public final class LocalSqs implements AutoCloseable {
    private static final String SERVER_CLASS = "org.elasticmq.rest.sqs.SQSRestServerBuilder";
    /** The account id in ElasticMQ's queue URLs and ARNs. */
    static final String ACCOUNT = "000000000000";

    private static LocalSqs shared;

    private final URI endpoint;
    private final ElasticMq server;
    private SqsClient client;

    private LocalSqs(URI endpoint, ElasticMq server) {
        this.endpoint = endpoint;
        this.server = server;
    }

    /** Starts a new server on a free loopback port and returns once it listens. */
    public static LocalSqs start() {
        return start(freePort());
    }

    /**
     * Starts a new server on this loopback port and returns once it listens: for an app whose queue URL
     * ({@code http://127.0.0.1:PORT/000000000000/NAME}) must be known before the server starts.
     */
    public static LocalSqs start(int port) {
        try {
            Class.forName(SERVER_CLASS, false, LocalSqs.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("LocalSqs needs ElasticMQ on the test class path: add the test dependency"
                    + " org.elasticmq:elasticmq-rest-sqs_2.13 (1.7.1 is the version pontus-test is built with), or"
                    + " use moto's SQS (dev.pontus.test.Moto)");
        }
        return new LocalSqs(URI.create("http://127.0.0.1:" + port), ElasticMq.start(port));
    }

    /** The server this JVM shares, started on first use; tests keep apart by using fresh queues. */
    public static synchronized LocalSqs shared() {
        if (shared == null || !shared.server.running()) {
            if (shared == null) { // one hook, for whichever server is shared when the JVM exits
                Runtime.getRuntime().addShutdownHook(new Thread(LocalSqs::closeShared, "pontus-local-sqs-stop"));
            }
            shared = start();
        }
        return shared;
    }

    /** The server's base URL, for {@code pontus.events.endpoint} or an SDK client's endpoint override. */
    public URI endpoint() {
        return endpoint;
    }

    /** The region in its queue ARNs; the server accepts any. */
    public Region region() {
        return Region.US_EAST_1;
    }

    /** ElasticMQ accepts any credentials; these are fixed test values. */
    public StaticCredentialsProvider credentialsProvider() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
    }

    /** An SQS client builder set up for this server. */
    public SqsClientBuilder clientBuilder() {
        return SqsClient.builder()
                .endpointOverride(endpoint)
                .region(region())
                .credentialsProvider(credentialsProvider());
    }

    /** An SQS client for this server, made once. */
    public synchronized SqsClient client() {
        if (client == null) {
            client = clientBuilder().build();
        }
        return client;
    }

    /** The URL of queue {@code name} on this server, whether or not it exists yet. */
    public String queueUrl(String name) {
        return endpoint + "/" + ACCOUNT + "/" + name;
    }

    /** Creates a queue with a fresh name and returns its URL. */
    public String newQueue() {
        return createQueue("test-" + UUID.randomUUID().toString().substring(0, 18), Map.of());
    }

    /** Creates a queue (or finds it) with these attributes, such as a short visibility timeout; returns its URL. */
    public String createQueue(String name, Map<QueueAttributeName, String> attributes) {
        return client().createQueue(b -> b.queueName(name).attributes(attributes))
                .queueUrl();
    }

    /** Whether the server is still running. */
    public boolean isRunning() {
        return server.running();
    }

    /** Stops the server. */
    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
            client = null;
        }
        server.stop();
    }

    @Override
    public String toString() {
        return "LocalSqs[endpoint=" + endpoint + "]";
    }

    private static synchronized void closeShared() {
        shared.close();
    }

    /** A free loopback port, for {@link #start(int)}. */
    public static int freePort() {
        return LoopbackPorts.free();
    }

    /** The calls into ElasticMQ, in a nested class so that LocalSqs loads even when ElasticMQ is absent. */
    private static final class ElasticMq {
        private final org.elasticmq.rest.sqs.SQSRestServer server;
        private volatile boolean running = true;

        private ElasticMq(org.elasticmq.rest.sqs.SQSRestServer server) {
            this.server = server;
        }

        static ElasticMq start(int port) {
            var server = org.elasticmq.rest.sqs.SQSRestServerBuilder.withInterface("127.0.0.1")
                    .withPort(port)
                    .withServerAddress(org.elasticmq.NodeAddress.apply("http", "127.0.0.1", port, ""))
                    .withAWSRegion("us-east-1")
                    .start();
            server.waitUntilStarted();
            return new ElasticMq(server);
        }

        boolean running() {
            return running;
        }

        synchronized void stop() {
            if (running) {
                running = false;
                server.stopAndWait();
            }
        }
    }
}
