package dev.pontus.benchmarks;

import dev.pontus.sign.PostPolicyRequest;
import dev.pontus.sign.PostSigner;
import io.minio.PostPolicy;
import io.minio.credentials.Credentials;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * Signing one browser POST: Pontus's signer against MinIO Java's {@code PostPolicy.formData} with the same
 * conditions (no network), and against the floor: one HMAC-SHA256 over a 600-byte string.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 10, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class SignBenchmark {
    private static final String ACCESS = "AKIAIOSFODNN7EXAMPLE";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final long MAX = 20L * 1024 * 1024;

    private PostSigner signer;
    private PostPolicyRequest request;
    private Credentials minioCredentials;
    private Mac mac;
    private byte[] sixHundredBytes;

    @Setup
    public void setUp() throws Exception {
        signer = PostSigner.builder()
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET)))
                .region(Region.US_EAST_1)
                .build();
        request = PostPolicyRequest.builder()
                .bucket("photos")
                .key("uploads/cat.jpg")
                .contentType("image/jpeg")
                .contentLengthRange(1, MAX)
                .successActionStatus(201)
                .build();
        minioCredentials = new Credentials(ACCESS, SECRET, null, null);
        mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        sixHundredBytes = "p".repeat(600).getBytes(StandardCharsets.US_ASCII);
    }

    @Benchmark
    public Map<String, String> pontus() {
        return signer.sign(request).fields();
    }

    @Benchmark
    public Map<String, String> minio() throws Exception {
        // The same conditions; MinIO reads the clock inside formData.
        PostPolicy policy = new PostPolicy("photos", ZonedDateTime.now().plusMinutes(10));
        policy.addEqualsCondition("key", "uploads/cat.jpg");
        policy.addEqualsCondition("Content-Type", "image/jpeg");
        policy.addEqualsCondition("success_action_status", "201");
        policy.addContentLengthRangeCondition(1, MAX);
        return policy.formData(minioCredentials, "us-east-1");
    }

    @Benchmark
    public byte[] floorOneHmac() {
        return mac.doFinal(sixHundredBytes);
    }
}
