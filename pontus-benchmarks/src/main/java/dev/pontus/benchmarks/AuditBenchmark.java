package dev.pontus.benchmarks;

import dev.pontus.cli.PontusCommand;
import dev.pontus.test.ByteCounter;
import dev.pontus.test.LocalS3;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code pontus audit} over 10,000 objects of mixed sizes on S3Proxy (filesystem store), against a peer in the same
 * run that lists the same objects and downloads each one whole, then sniffs it with the same Tika detector, at the
 * same concurrency: objects per second and bytes read per object. Total data is kept modest for a 2-core machine:
 * mostly small objects (2-32 KiB), some medium (256 KiB-2 MiB), a few large (10-50 MiB).
 *
 * <p>A plain program rather than JMH: the 10,000 objects are uploaded once and both sides run on them in alternating
 * rounds; JMH would set the store up again for each benchmark's fork. Run:
 * {@code java -cp pontus-benchmarks/target/benchmarks.jar dev.pontus.benchmarks.AuditBenchmark [rounds]}.
 */
public final class AuditBenchmark {
    private static final int SMALL = 9_840;
    private static final int MEDIUM = 150;
    private static final int LARGE = 10;
    private static final int CONCURRENCY = 16;
    private static final Pattern SUMMARY = Pattern.compile(
            "audited \\S+: ([\\d,]+) objects in [\\d.]+ s .*?, .* read \\(([\\d,]+) bytes per object\\)");

    private AuditBenchmark() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        try (LocalS3 s3 = LocalS3.builder()
                .dataDirectory(Files.createTempDirectory("pontus-audit-bench"))
                .build()
                .start()) {
            String bucket = s3.newBucket();
            long stored = upload(s3, bucket);
            System.out.printf(
                    Locale.ROOT,
                    "stored %,d objects, %,d bytes (%.1f MiB)%n",
                    SMALL + MEDIUM + LARGE,
                    stored,
                    stored / 1048576.0);
            ByteCounter counter = new ByteCounter();
            try (S3Client peer = s3.clientBuilder()
                    .overrideConfiguration(o -> o.addExecutionInterceptor(counter))
                    .build()) {
                System.out.println("warm-up: one round each");
                pontus(s3, bucket, "");
                download(peer, bucket, "", counter);
                for (int round = 1; round <= rounds; round++) {
                    for (String prefix : List.of("", "small/", "medium/", "large/")) {
                        Result ours = pontus(s3, bucket, prefix);
                        Result theirs = download(peer, bucket, prefix, counter);
                        System.out.printf(
                                Locale.ROOT,
                                "round %d %-8s %,6d objects: pontus audit %.0f objects/s, %,d bytes/object |"
                                        + " download+sniff %.0f objects/s, %,d bytes/object | %.1fx%n",
                                round,
                                prefix.isEmpty() ? "all" : prefix,
                                ours.objects(),
                                ours.rate(),
                                ours.bytesPerObject(),
                                theirs.rate(),
                                theirs.bytesPerObject(),
                                ours.rate() / theirs.rate());
                    }
                }
            }
        }
    }

    record Result(long objects, double seconds, long bytesPerObject) {
        double rate() {
            return objects / seconds;
        }
    }

    /** {@code pontus audit} in this JVM; its summary says how many objects it read and how many bytes per object. */
    private static Result pontus(LocalS3 s3, String bucket, String prefix) {
        System.setProperty("aws.accessKeyId", s3.accessKey());
        System.setProperty("aws.secretAccessKey", s3.secretKey());
        StringWriter err = new StringWriter();
        long start = System.nanoTime();
        int exit = PontusCommand.run(
                new PrintWriter(Writer.nullWriter()),
                new PrintWriter(err),
                "audit",
                "s3://" + bucket + "/" + prefix,
                "--endpoint",
                s3.endpoint().toString(),
                "--path-style",
                "--progress=none",
                "--max-size=100MB",
                "--concurrency=" + CONCURRENCY);
        double seconds = (System.nanoTime() - start) / 1e9;
        Matcher summary = SUMMARY.matcher(err.toString());
        if (exit > 1 || !summary.find()) {
            throw new IllegalStateException("pontus audit exited " + exit + ": " + err);
        }
        return new Result(number(summary.group(1)), seconds, number(summary.group(2)));
    }

    /** The peer: the same listing, each object downloaded whole and sniffed by Tika, as many at once. */
    private static Result download(S3Client s3, String bucket, String prefix, ByteCounter counter) throws Exception {
        counter.reset();
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENCY);
        Semaphore slots = new Semaphore(CONCURRENCY * 2);
        AtomicLong objects = new AtomicLong();
        List<Future<?>> running = new ArrayList<>();
        long start = System.nanoTime();
        for (S3Object object :
                s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
            slots.acquire();
            running.add(pool.submit(() -> {
                try {
                    byte[] whole = s3.getObjectAsBytes(b -> b.bucket(bucket).key(object.key()))
                            .asByteArray();
                    if (Tika.detect(whole).isEmpty()) {
                        throw new IllegalStateException("no type for " + object.key());
                    }
                    objects.incrementAndGet();
                } finally {
                    slots.release();
                }
            }));
        }
        for (Future<?> task : running) {
            task.get();
        }
        pool.shutdown();
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(objects.get(), seconds, counter.bytes() / Math.max(1, objects.get()));
    }

    /** 10,000 objects: JPEG heads (photos), PDFs and text, of mixed sizes; returns the bytes stored. */
    private static long upload(LocalS3 s3, String bucket) throws Exception {
        Random random = new Random(42);
        byte[] jpeg = jpegHead();
        byte[] pdf = "%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n".getBytes(StandardCharsets.US_ASCII);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Long>> puts = new ArrayList<>();
        for (int i = 0; i < SMALL + MEDIUM + LARGE; i++) {
            int size = i < SMALL
                    ? 2048 + random.nextInt(30 * 1024)
                    : i < SMALL + MEDIUM
                            ? 256 * 1024 + random.nextInt(1792 * 1024)
                            : (10 + random.nextInt(41)) * 1024 * 1024;
            int kind = i % 10;
            String folder = i < SMALL ? "small" : i < SMALL + MEDIUM ? "medium" : "large";
            String key = String.format("%s/%05d.%s", folder, i, kind < 7 ? "jpg" : kind < 9 ? "pdf" : "txt");
            String type = kind < 7 ? "image/jpeg" : kind < 9 ? "application/pdf" : "text/plain";
            byte[] head = kind < 7 ? jpeg : kind < 9 ? pdf : "plain text notes\n".getBytes(StandardCharsets.US_ASCII);
            long seed = random.nextLong();
            puts.add(pool.submit(() -> {
                byte[] body = new byte[size];
                new Random(seed).nextBytes(body);
                if (type.equals("text/plain")) {
                    Arrays.fill(body, (byte) 'a');
                }
                System.arraycopy(head, 0, body, 0, Math.min(head.length, size));
                s3.client().putObject(b -> b.bucket(bucket).key(key).contentType(type), RequestBody.fromBytes(body));
                return (long) size;
            }));
        }
        long total = 0;
        for (Future<Long> put : puts) {
            total += put.get();
        }
        pool.shutdown();
        return total;
    }

    private static long number(String digits) {
        return Long.parseLong(digits.replace(",", ""));
    }

    private static byte[] jpegHead() throws IOException {
        BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", out);
        return out.toByteArray();
    }
}
