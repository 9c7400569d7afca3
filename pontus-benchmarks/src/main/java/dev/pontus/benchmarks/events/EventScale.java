package dev.pontus.benchmarks.events;

import dev.pontus.sign.PostPolicyRequest;
import dev.pontus.sign.PostSigner;
import dev.pontus.sign.PresignedPost;
import dev.pontus.test.BrowserPost;
import dev.pontus.test.LocalS3;
import dev.pontus.test.LocalSqs;
import dev.pontus.test.Moto;
import dev.pontus.test.S3Event;
import dev.pontus.test.S3EventFeed;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The event benchmark's driver (item 9): LocalS3 (S3Proxy) behind the test kit's S3EventFeed sending S3's events to
 * ElasticMQ (or, with {@code moto} as sixth argument, moto as S3 and SQS with the bucket notifying the queue), for
 * every object created under {@code unvalidated/}; N {@link EventWorker} instances (child JVMs) on that one queue; U browser POST uploads, a
 * tenth hostile (HTML declared as a PNG), a tenth delivered twice (the driver sends S3's message once more); in the
 * fault run one instance is killed with SIGKILL when half the uploads are in. It checks the outcome against the store
 * and the instances' outcome lines, and prints the figures. A measurement, not a test: nothing here asserts a time.
 *
 * <p>Arguments: {@code <instances> <uploads> <live|preload> <kill-at or 0> <work dir>}. In {@code live} mode the
 * instances run while the uploads arrive (latency from upload to promoted); in {@code preload} mode every upload is
 * queued first and the instances are timed draining the queue (throughput).
 */
public final class EventScale {
    private static final String BUCKET = "bench";
    private static final String HOSTILE =
            "<html><body><script>fetch('/steal?c='+document.cookie)</script></body></html>";

    private final int instances;
    private final int uploads;
    private final boolean live;
    private final int killAt;
    private final Path work;
    private final Map<String, Long> uploadedAt = new ConcurrentHashMap<>();
    private final Map<String, Boolean> hostile = new ConcurrentHashMap<>();
    private final List<Process> workers = new ArrayList<>();
    private final boolean onMoto;
    private Moto moto;
    private LocalS3 localS3;
    private LocalSqs localSqs;
    private S3EventFeed feed;
    private URI s3Endpoint;
    private URI sqsEndpoint;
    private AwsCredentialsProvider credentials;
    private S3Client s3;
    private SqsClient sqs;
    private String queueUrl;

    private EventScale(String[] args) {
        instances = Integer.parseInt(args[0]);
        uploads = Integer.parseInt(args[1]);
        live = args[2].equals("live");
        killAt = Integer.parseInt(args[3]);
        work = Path.of(args[4]);
        onMoto = args.length > 5 && args[5].equals("moto");
    }

    public static void main(String[] args) throws Exception {
        EventScale run = new EventScale(args);
        try {
            run.run();
        } finally {
            run.stop();
        }
        System.exit(0);
    }

    private void run() throws Exception {
        Files.createDirectories(work);
        setUp();
        if (live) {
            startWorkers();
        }
        long firstUpload = System.currentTimeMillis();
        upload();
        long lastUpload = System.currentTimeMillis();
        long start = firstUpload;
        if (!live) {
            start = startWorkers();
        }
        Outcomes outcomes = awaitOutcomes(Instant.now().plusSeconds(600));
        report(outcomes, start, lastUpload - firstUpload);
    }

    private void setUp() {
        if (onMoto) {
            setUpMoto();
        } else {
            setUpLocal();
        }
    }

    /** LocalS3 (S3Proxy) with the test kit's S3EventFeed sending S3's events to ElasticMQ, all local. */
    private void setUpLocal() {
        localS3 = LocalS3.builder().build().start();
        localS3.createBucket(BUCKET);
        localSqs = LocalSqs.start();
        queueUrl = localSqs.createQueue("uploads", Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "10"));
        feed = S3EventFeed.builder(localS3)
                .queue(localSqs.client(), queueUrl)
                .prefix("unvalidated/")
                .start();
        s3Endpoint = feed.endpoint();
        sqsEndpoint = localSqs.endpoint();
        credentials = localS3.credentialsProvider();
        s3 = localS3.client();
        sqs = localSqs.client();
    }

    /** moto as S3 and SQS, the bucket notifying the queue itself. */
    private void setUpMoto() {
        moto = Moto.start();
        s3Endpoint = moto.endpoint();
        sqsEndpoint = moto.endpoint();
        credentials = moto.credentialsProvider();
        s3 = moto.s3ClientBuilder().build();
        sqs = SqsClient.builder()
                .endpointOverride(moto.endpoint())
                .region(moto.region())
                .credentialsProvider(moto.credentialsProvider())
                .build();
        s3.createBucket(b -> b.bucket(BUCKET));
        // 10 s visibility: the messages the killed instance held come back to the other one within 10 s
        queueUrl = sqs.createQueue(
                        b -> b.queueName("uploads").attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "10")))
                .queueUrl();
        String arn = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes()
                .get(QueueAttributeName.QUEUE_ARN);
        s3.putBucketNotificationConfiguration(b -> b.bucket(BUCKET)
                .notificationConfiguration(n -> n.queueConfigurations(q -> q.queueArn(arn)
                        .events(Event.S3_OBJECT_CREATED)
                        // "prefix": moto 5.2.1 answers 500 to the SDK's FilterRuleName.PREFIX ("Prefix")
                        .filter(f ->
                                f.key(k -> k.filterRules(r -> r.name("prefix").value("unvalidated/")))))));
    }

    /** Starts the instances and returns when every one is polling. */
    private long startWorkers() throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        String classpath = System.getProperty("java.class.path");
        for (int i = 0; i < instances; i++) {
            Path log = work.resolve("instance-" + i + ".log");
            ProcessBuilder worker = new ProcessBuilder(
                            java,
                            "-Xmx256m",
                            "-cp",
                            classpath,
                            EventWorker.class.getName(),
                            s3Endpoint.toString(),
                            sqsEndpoint.toString(),
                            queueUrl,
                            BUCKET,
                            "4")
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            // the store's keys through the environment, not the command line that ps shows
            worker.environment()
                    .put(
                            EventWorker.ACCESS_KEY,
                            credentials.resolveCredentials().accessKeyId());
            worker.environment()
                    .put(
                            EventWorker.SECRET_KEY,
                            credentials.resolveCredentials().secretAccessKey());
            workers.add(worker.start());
        }
        for (int i = 0; i < instances; i++) {
            Path log = work.resolve("instance-" + i + ".log");
            while (!Files.readString(log).contains("READY")) {
                Thread.sleep(50);
            }
        }
        return System.currentTimeMillis();
    }

    private void upload() throws Exception {
        PostSigner signer = PostSigner.builder()
                .credentialsProvider(credentials)
                .region(Region.US_EAST_1)
                .endpoint(s3Endpoint)
                .pathStyle(true)
                .build();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        AtomicInteger done = new AtomicInteger();
        for (int i = 0; i < uploads; i++) {
            int n = i;
            pool.execute(() -> {
                uploadOne(signer, n);
                if (done.incrementAndGet() == killAt && !workers.isEmpty()) {
                    kill(workers.get(0));
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(30, TimeUnit.MINUTES);
    }

    private void uploadOne(PostSigner signer, int n) {
        boolean bad = n % 10 == 3;
        byte[] content = bad ? (HOSTILE + n).getBytes(StandardCharsets.UTF_8) : png(n);
        String name = "photo-" + n + ".png";
        PresignedPost post = signer.sign(PostPolicyRequest.builder()
                .bucket(BUCKET)
                .keyStartsWith("unvalidated/" + n + "/")
                .contentType("image/png")
                .contentLengthRange(1, 1_000_000)
                .build());
        String key = post.fields().get("key").replace("${filename}", name);
        BrowserPost.Response response = BrowserPost.post(post.url(), post.fields(), name, "image/png", content);
        if (response.status() / 100 != 2) {
            throw new IllegalStateException("upload " + n + " answered " + response.status() + ": " + response.body());
        }
        uploadedAt.put(key, System.currentTimeMillis());
        hostile.put(key, bad);
        if (n % 10 == 5) { // delivered twice: S3's message for it once more
            S3Event again = new S3Event(
                    "ObjectCreated:Post",
                    "us-east-1",
                    BUCKET,
                    key,
                    content.length,
                    md5(content),
                    "0000000000000000" + String.format("%02X", n % 256),
                    Instant.now(),
                    "127.0.0.1",
                    "DUPLICATE" + n);
            sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(again.toMessageBody()));
        }
    }

    private static void kill(Process process) {
        process.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup, messages in flight stay invisible
        System.err.println("killed instance 0 (pid " + process.pid() + ") with SIGKILL");
    }

    /** Outcome lines of every instance: kind, time and key. */
    private record Outcomes(List<String[]> lines) {
        long count(String kind, String key) {
            return lines.stream()
                    .filter(l -> l[1].equals(kind) && l[3].equals(key))
                    .count();
        }
    }

    /**
     * Waits until every upload has an outcome line and the queue is empty, or the queue stays empty for two checks
     * (an upload the killed instance promoted after its last line has none: its redelivery is a duplicate).
     */
    private Outcomes awaitOutcomes(Instant deadline) throws IOException, InterruptedException {
        int emptyChecks = 0;
        while (true) {
            Outcomes outcomes = readOutcomes();
            long decided = uploadedAt.keySet().stream()
                    .filter(k -> outcomes.count("VALIDATED", k) + outcomes.count("REJECTED", k) > 0)
                    .count();
            boolean empty = queueEmpty();
            emptyChecks = empty ? emptyChecks + 1 : 0;
            if ((decided == uploads && empty)
                    || emptyChecks >= 3
                    || Instant.now().isAfter(deadline)) {
                return outcomes;
            }
            Thread.sleep(500);
        }
    }

    private Outcomes readOutcomes() throws IOException {
        List<String[]> lines = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            Path log = work.resolve("instance-" + i + ".log");
            if (Files.exists(log)) {
                for (String line : Files.readAllLines(log)) {
                    if (line.startsWith("OUTCOME ")) {
                        lines.add(line.split(" ", 4));
                    }
                }
            }
        }
        return new Outcomes(lines);
    }

    private boolean queueEmpty() {
        Map<QueueAttributeName, String> a = sqs.getQueueAttributes(b -> b.queueUrl(queueUrl)
                        .attributeNames(
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
                .attributes();
        return a.values().stream().allMatch("0"::equals);
    }

    private void report(Outcomes outcomes, long start, long uploadMillis) {
        List<String> finals = new ArrayList<>();
        s3.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix("files/"))
                .contents()
                .forEach(o -> finals.add(o.key()));
        List<String> leftovers = new ArrayList<>();
        s3.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix("unvalidated/"))
                .contents()
                .forEach(o -> leftovers.add(o.key()));
        int validOnce = 0, validTwice = 0, validByKilled = 0, lost = 0, refused = 0, hostilePromoted = 0;
        List<Long> latencies = new ArrayList<>();
        long last = start;
        for (Map.Entry<String, Long> upload : uploadedAt.entrySet()) {
            String key = upload.getKey();
            boolean isFinal = finals.contains("files/" + key.substring("unvalidated/".length()));
            long validated = outcomes.count("VALIDATED", key);
            if (hostile.get(key)) {
                refused += outcomes.count("REJECTED", key) > 0 && !isFinal ? 1 : 0;
                hostilePromoted += isFinal ? 1 : 0;
            } else if (!isFinal) {
                lost++;
            } else if (validated == 1) {
                validOnce++;
            } else if (validated == 0) {
                validByKilled++; // promoted by the killed instance after its last line; the redelivery was a duplicate
            } else {
                validTwice++;
            }
            for (String[] line : outcomes.lines()) {
                if (line[3].equals(key) && (line[1].equals("VALIDATED") || line[1].equals("REJECTED"))) {
                    long at = Long.parseLong(line[2]);
                    last = Math.max(last, at);
                    if (line[1].equals("VALIDATED")) {
                        latencies.add(at - upload.getValue());
                    }
                }
            }
        }
        latencies.sort(null);
        long duplicates =
                outcomes.lines().stream().filter(l -> l[1].equals("DUPLICATE")).count();
        long retries =
                outcomes.lines().stream().filter(l -> l[1].equals("RETRYLATER")).count();
        double seconds = (last - start) / 1000.0;
        System.out.printf(
                "RESULT instances=%d uploads=%d mode=%s killAt=%d | valid promoted once=%d, promoted by the killed"
                        + " instance before its line=%d, promoted twice=%d, lost=%d | hostile refused=%d of %d,"
                        + " hostile promoted=%d | left under unvalidated/=%d | duplicate outcomes=%d, retries=%d |"
                        + " uploads took %.1f s | %s %.1f s = %.1f uploads/s | upload->promoted p50=%d ms p99=%d ms%n",
                instances,
                uploads,
                live ? "live" : "preload",
                killAt,
                validOnce,
                validByKilled,
                validTwice,
                lost,
                refused,
                hostile.values().stream().filter(b -> b).count(),
                hostilePromoted,
                leftovers.size(),
                duplicates,
                retries,
                uploadMillis / 1000.0,
                live ? "first upload to last outcome" : "drain",
                seconds,
                uploads / seconds,
                percentile(latencies, 50),
                percentile(latencies, 99));
    }

    private static long percentile(List<Long> sorted, int p) {
        return sorted.isEmpty()
                ? -1
                : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private void stop() {
        workers.forEach(Process::destroyForcibly);
        for (AutoCloseable c : new AutoCloseable[] {feed, localSqs, localS3, moto}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                System.err.println("stopping " + c + ": " + e);
            }
        }
    }

    private static byte[] png(int n) {
        BufferedImage image = new BufferedImage(48, 32, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < 48; x++) {
            for (int y = 0; y < 32; y++) {
                image.setRGB(x, y, (x * 5 + y * 7 + n * 13) & 0xFFFFFF);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    private static String md5(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
