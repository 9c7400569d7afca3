package dev.pontus.benchmarks;

import dev.pontus.test.ByteCounter;
import dev.pontus.test.LocalS3;
import dev.pontus.validate.UploadPromoter;
import dev.pontus.validate.Validators;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Validating one upload against S3Proxy: Pontus (one ranged GET of 64 KiB shared by every validator) against
 * the original Pontus's way (a HEAD for the size, then a full GET for each MIME validator, here an allow and a
 * deny list), and Pontus on a JPEG whose frame header lies past the head. Every run has the pixel cap on, as the
 * starter does. Prints the bytes read per validation at the end of each iteration.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ValidateBenchmark {
    private static final String KEY = "unvalidated/bench/photo.jpg";
    private static final String KEY_FRAME_BEHIND_METADATA = "unvalidated/bench/behind-metadata.jpg";
    private static final long MIB = 1024 * 1024;

    @Param({"1", "20", "200"})
    public int mib;

    private LocalS3 s3;
    private S3Client client;
    private final ByteCounter counter = new ByteCounter();
    private UploadPromoter pontus;
    private String bucket;
    private long operations;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        s3 = LocalS3.builder()
                .dataDirectory(Files.createTempDirectory("pontus-bench"))
                .build()
                .start();
        bucket = s3.newBucket();
        put(KEY, jpegHead());
        put(KEY_FRAME_BEHIND_METADATA, behindMetadata(jpegHead()));
        client = s3.clientBuilder()
                .overrideConfiguration(o -> o.addExecutionInterceptor(counter))
                .build();
        pontus = UploadPromoter.builder()
                .s3(client)
                .bucket(bucket)
                .unvalidatedPrefix("unvalidated/")
                .validators(
                        Validators.fileSize(1, 500 * MIB),
                        Validators.allowTypes("image/*"),
                        Validators.denyTypes("text/html"),
                        Validators.imageDimensions() // as the starter has it by default
                                .maxPixels(100_000_000)
                                .requireReadable()
                                .build())
                .build();
        warmUpTheStore();
    }

    /** S3Proxy is a JVM of its own, started per trial: give its JIT the same head start on both paths. */
    private void warmUpTheStore() {
        long until = System.nanoTime() + 4_000_000_000L;
        while (System.nanoTime() < until) {
            pontus.check(KEY);
        }
        for (int i = 0; i < Math.max(2, 40 / mib); i++) {
            client.getObjectAsBytes(b -> b.bucket(bucket).key(KEY));
        }
    }

    @Setup(Level.Iteration)
    public void resetCounter() {
        counter.reset();
        operations = 0;
    }

    @Benchmark
    public boolean pontus() {
        operations++;
        return pontus.check(KEY).isValid();
    }

    /**
     * A JPEG whose frame header two 64 KiB metadata segments push past the head, as the hostile-input probe's was:
     * its dimensions cost one more small read.
     */
    @Benchmark
    public boolean pontusFrameBehindMetadata() {
        operations++;
        return pontus.check(KEY_FRAME_BEHIND_METADATA).isValid();
    }

    /** The original Pontus: HEAD for FileSize, a whole download for MimeType and again for DenyMimeType. */
    @Benchmark
    public boolean pontusStyle() throws IOException {
        operations++;
        long size = client.headObject(b -> b.bucket(bucket).key(KEY)).contentLength();
        boolean sizeOk = size >= 1 && size <= 500 * MIB;
        String allowed = Tika.detect(
                client.getObjectAsBytes(b -> b.bucket(bucket).key(KEY)).asByteArray());
        String denied = Tika.detect(
                client.getObjectAsBytes(b -> b.bucket(bucket).key(KEY)).asByteArray());
        return sizeOk && allowed.startsWith("image/") && !denied.equals("text/html");
    }

    @TearDown(Level.Iteration)
    public void report() {
        if (operations > 0) {
            System.out.printf(
                    "%n[bytes] %d MiB object: %d bytes read per validation (%d requests)%n",
                    mib, counter.bytes() / operations, counter.requests() / operations);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        client.close();
        s3.close();
    }

    /** {@code head}, then zeros to the object's size. */
    private void put(String key, byte[] head) {
        long size = mib * MIB;
        InputStream content = new SequenceInputStream(
                new ByteArrayInputStream(head), new ByteArrayInputStream(new byte[(int) (size - head.length)]));
        s3.client()
                .putObject(
                        b -> b.bucket(bucket).key(key).contentType("image/jpeg"),
                        RequestBody.fromInputStream(content, size));
    }

    /** {@code jpeg} with two APP15 segments of 65,535 bytes after its start. */
    private static byte[] behindMetadata(byte[] jpeg) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        for (int n = 0; n < 2; n++) {
            out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xEF, (byte) 0xFF, (byte) 0xFF});
            out.writeBytes(new byte[65_533]);
        }
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    /** The first bytes of a real JPEG, so that sniffing sees image/jpeg. */
    private static byte[] jpegHead() throws IOException {
        BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", out);
        return out.toByteArray();
    }
}
