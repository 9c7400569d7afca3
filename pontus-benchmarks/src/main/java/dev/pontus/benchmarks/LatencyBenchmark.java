package dev.pontus.benchmarks;

import dev.pontus.multipart.MultipartUploads;
import dev.pontus.test.Fault;
import dev.pontus.test.FaultProxy;
import dev.pontus.test.LocalS3;
import dev.pontus.test.S3Operation;
import dev.pontus.validate.UploadPromoter;
import dev.pontus.validate.ValidationResult;
import dev.pontus.validate.Validators;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
 * Validation time when every S3 call costs a round trip: a fixed latency ({@code latencyMs}, default 20 ms) is
 * added to every request by {@link FaultProxy}, and the time of one validation and promotion is compared with the
 * least any can take, {@code 2 x latency} (read, then copy). {@code post}: a 300 KiB JPEG as a browser POST leaves
 * it; {@code multipart}: the completion of a two-part upload (ListParts and CompleteMultipartUpload, then the
 * validation). The uploads themselves are made directly, outside the timed part.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 4, time = 4)
@Fork(value = 1)
public class LatencyBenchmark {
    private static final int MIB = 1024 * 1024;

    @Param({"20"})
    public int latencyMs;

    private LocalS3 s3;
    private FaultProxy proxy;
    private S3Client slow;
    private String bucket;
    private UploadPromoter promoter;
    private MultipartUploads uploads;
    private byte[] jpeg;
    private final AtomicLong next = new AtomicLong();
    private String key;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        s3 = LocalS3.builder()
                .dataDirectory(Files.createTempDirectory("pontus-latency"))
                .build()
                .start();
        bucket = s3.newBucket();
        proxy = FaultProxy.start(s3);
        for (S3Operation operation : S3Operation.values()) {
            proxy.inject(operation, Fault.delay(Duration.ofMillis(latencyMs)));
        }
        slow = proxy.clientBuilder().build();
        promoter = UploadPromoter.builder()
                .s3(slow)
                .bucket(bucket)
                .unvalidatedPrefix("unvalidated/")
                .validators(Validators.fileSize(1, 100L * MIB), Validators.allowTypes("image/*"))
                .build();
        uploads = MultipartUploads.builder()
                .s3(slow)
                .presigner(s3.presignerBuilder().build())
                .bucket(bucket)
                .fileSize(1, 100L * MIB)
                .build();
        jpeg = jpeg(300 * 1024);
    }

    @Setup(Level.Invocation)
    public void upload() {
        key = "unvalidated/" + next.incrementAndGet() + "/photo.jpg";
        s3.client().putObject(b -> b.bucket(bucket).key(key).contentType("image/jpeg"), RequestBody.fromBytes(jpeg));
    }

    @Benchmark
    public ValidationResult post() {
        return promoter.validateAndPromote(key);
    }

    /** Its own state: a multipart upload of two parts waiting for its completion. */
    @State(Scope.Benchmark)
    public static class Multipart {
        String key;
        String uploadId;
        List<MultipartUploads.Part> parts;

        @Setup(Level.Invocation)
        public void start(LatencyBenchmark bench) {
            key = "unvalidated/mp-" + bench.next.incrementAndGet() + "/photo.jpg";
            S3Client direct = bench.s3.client();
            uploadId = direct.createMultipartUpload(
                            b -> b.bucket(bench.bucket).key(key).contentType("image/jpeg"))
                    .uploadId();
            byte[] first = new byte[5 * MIB];
            System.arraycopy(bench.jpeg, 0, first, 0, bench.jpeg.length);
            for (int number = 1; number <= 2; number++) {
                int n = number;
                direct.uploadPart(
                        b -> b.bucket(bench.bucket).key(key).uploadId(uploadId).partNumber(n),
                        RequestBody.fromBytes(n == 1 ? first : bench.jpeg));
            }
            parts = bench.uploads.parts(key, uploadId);
        }
    }

    @Benchmark
    public ValidationResult multipart(Multipart upload) {
        uploads.complete(upload.key, upload.uploadId, upload.parts);
        return promoter.validateAndPromote(upload.key);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        slow.close();
        proxy.close();
        s3.close();
    }

    /** A real JPEG of about {@code bytes}: random pixels compress badly, so the size follows the dimensions. */
    private static byte[] jpeg(int bytes) throws IOException {
        int side = (int) Math.sqrt(bytes / 1.5);
        BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(1);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                image.setRGB(x, y, random.nextInt());
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", out);
        return out.toByteArray();
    }
}
