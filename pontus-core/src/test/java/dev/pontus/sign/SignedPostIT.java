package dev.pontus.sign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pontus.test.BrowserPost;
import dev.pontus.test.LocalS3;
import dev.pontus.test.LocalS3Extension;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** Real multipart POSTs of signed fields to S3Proxy, which checks POST policies as S3 does. */
@ExtendWith(LocalS3Extension.class)
class SignedPostIT {
    private static final byte[] FILE = "hello, pontus".getBytes(StandardCharsets.UTF_8);

    private LocalS3 s3;
    private String bucket;
    private PostSigner signer;

    @BeforeEach
    void setUp(LocalS3 s3) {
        this.s3 = s3;
        this.bucket = s3.newBucket();
        this.signer = signer(s3.credentialsProvider(), Clock.systemUTC());
    }

    private PostSigner signer(AwsCredentialsProvider credentials, Clock clock) {
        return PostSigner.builder()
                .credentialsProvider(credentials)
                .region(s3.region())
                .endpoint(s3.endpoint())
                .clock(clock)
                .build();
    }

    private PostPolicyRequest.Builder request() {
        return PostPolicyRequest.builder()
                .bucket(bucket)
                .key("docs/a.txt")
                .contentType("text/plain")
                .contentLengthRange(1, FILE.length);
    }

    private BrowserPost.Response upload(PresignedPost post, Consumer<Map<String, String>> tamper, byte[] content) {
        Map<String, String> fields = new LinkedHashMap<>(post.fields());
        tamper.accept(fields);
        return BrowserPost.post(post.url(), fields, "a.txt", "text/plain", content);
    }

    private boolean stored(String key) {
        return s3.client().listObjectsV2(b -> b.bucket(bucket)).contents().stream()
                .anyMatch(o -> o.key().equals(key));
    }

    @Test
    void storesCorrectUpload() {
        PresignedPost post = signer.sign(request().metadata("owner", "42").build());

        BrowserPost.Response response = upload(post, f -> {}, FILE);

        assertThat(response.status()).isEqualTo(201);
        var stored = s3.client().getObjectAsBytes(b -> b.bucket(bucket).key("docs/a.txt"));
        assertThat(stored.asByteArray()).isEqualTo(FILE);
        assertThat(stored.response().contentType()).isEqualTo("text/plain");
        assertThat(stored.response().metadata()).containsEntry("owner", "42");
    }

    @Test
    void storesUploadUnderStartsWithPrefixWithFilename() {
        PresignedPost post = signer.sign(request().keyStartsWith("users/7/").build());

        assertThat(upload(post, f -> {}, FILE).status()).isEqualTo(201);
        assertThat(stored("users/7/a.txt")).isTrue();
    }

    @Test
    void refusesWrongKey() {
        PresignedPost post = signer.sign(request().build());

        assertThat(upload(post, f -> f.put("key", "docs/b.txt"), FILE).status()).isEqualTo(403);
        assertThat(stored("docs/b.txt")).isFalse();
    }

    @Test
    void refusesKeyOutsideStartsWithPrefix() {
        PresignedPost post = signer.sign(request().keyStartsWith("users/7/").build());

        assertThat(upload(post, f -> f.put("key", "users/8/a.txt"), FILE).status())
                .isEqualTo(403);
        assertThat(stored("users/8/a.txt")).isFalse();
    }

    @Test
    void refusesUploadOneByteOverMaximum() {
        PresignedPost post = signer.sign(request().build());
        byte[] tooLarge = (new String(FILE, StandardCharsets.UTF_8) + "!").getBytes(StandardCharsets.UTF_8);

        BrowserPost.Response response = upload(post, f -> {}, tooLarge);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).contains("EntityTooLarge");
        assertThat(stored("docs/a.txt")).isFalse();
    }

    @Test
    void refusesUploadBelowMinimum() {
        PresignedPost post =
                signer.sign(request().contentLengthRange(FILE.length + 1, 100).build());

        BrowserPost.Response response = upload(post, f -> {}, FILE);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body()).contains("EntityTooSmall");
    }

    @Test
    void refusesOtherContentType() {
        PresignedPost post = signer.sign(request().build());

        assertThat(upload(post, f -> f.put("Content-Type", "text/html"), FILE).status())
                .isEqualTo(403);
        assertThat(stored("docs/a.txt")).isFalse();
    }

    @Test
    void refusesExpiredPolicy() {
        Clock past = Clock.fixed(Instant.now().minus(Duration.ofHours(1)), ZoneOffset.UTC);
        PresignedPost post = signer(s3.credentialsProvider(), past)
                .sign(request().expiresIn(Duration.ofMinutes(5)).build());

        BrowserPost.Response response = upload(post, f -> {}, FILE);

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.body()).contains("Policy expired");
    }

    @Test
    void refusesFieldNotInPolicy() {
        PresignedPost post = signer.sign(request().build());

        BrowserPost.Response response = upload(post, f -> f.put("x-amz-meta-admin", "true"), FILE);

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.body()).contains("Extra input fields");
    }

    @Test
    void refusesTamperedPolicy() {
        PresignedPost post = signer.sign(request().build());
        PresignedPost wider =
                signer.sign(request().contentLengthRange(1, 1 << 30).build());

        assertThat(upload(post, f -> f.put("policy", wider.fields().get("policy")), FILE)
                        .status())
                .isEqualTo(403);
        assertThat(stored("docs/a.txt")).isFalse();
    }

    @Test
    void refusesWrongSecret() {
        PostSigner wrong = signer(
                StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), "not-it")),
                Clock.systemUTC());

        assertThat(upload(wrong.sign(request().build()), f -> {}, FILE).status())
                .isEqualTo(403);
        assertThat(stored("docs/a.txt")).isFalse();
    }
}
