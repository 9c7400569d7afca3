package dev.pontus.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

class PostSignerTest {
    private static final String ACCESS = "AKIAIOSFODNN7EXAMPLE";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final Instant NOW = Instant.parse("2015-12-29T00:00:00Z");

    private final PostSigner signer =
            signer(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET)));

    private static PostSigner signer(AwsCredentialsProvider credentials) {
        return PostSigner.builder()
                .credentialsProvider(credentials)
                .region(Region.US_EAST_1)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .build();
    }

    @Test
    void reproducesAwsPublishedSignature() throws IOException {
        String vector;
        try (InputStream in = getClass().getResourceAsStream("/vectors/aws-sigv4-post-example.json")) {
            vector = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String policy = json(vector, "policyBase64");
        byte[] key = SigV4.signingKey(json(vector, "secretAccessKey"), json(vector, "date"), json(vector, "region"));

        assertThat(signHex(key, policy)).isEqualTo(json(vector, "expectedSignature"));
    }

    @Test
    void signsItsOwnPolicyWithTheDerivedKey() {
        PresignedPost post = signer.sign(PostPolicyRequest.builder()
                .bucket("sigv4examplebucket")
                .key("a.jpg")
                .build());

        String expected = signHex(
                SigV4.signingKey(SECRET, "20151229", "us-east-1"), post.fields().get("policy"));
        assertThat(post.fields().get("x-amz-signature")).isEqualTo(expected);
    }

    @Test
    void writesFieldsInOrderAndAConditionForEach() {
        PresignedPost post = signer.sign(PostPolicyRequest.builder()
                .bucket("photos")
                .key("cat.jpg")
                .contentType("image/jpeg")
                .metadata("owner", "42")
                .contentLengthRange(10, 500)
                .build());

        assertThat(post.fields())
                .containsExactly(
                        Map.entry("key", "cat.jpg"),
                        Map.entry("Content-Type", "image/jpeg"),
                        Map.entry("x-amz-meta-owner", "42"),
                        Map.entry("success_action_status", "201"),
                        Map.entry("x-amz-algorithm", "AWS4-HMAC-SHA256"),
                        Map.entry("x-amz-credential", ACCESS + "/20151229/us-east-1/s3/aws4_request"),
                        Map.entry("x-amz-date", "20151229T000000Z"),
                        Map.entry("policy", post.fields().get("policy")),
                        Map.entry("x-amz-signature", post.fields().get("x-amz-signature")));
        assertThat(policy(post))
                .isEqualTo("{\"expiration\":\"2015-12-29T00:10:00.000Z\",\"conditions\":["
                        + "{\"bucket\":\"photos\"},{\"key\":\"cat.jpg\"},{\"Content-Type\":\"image/jpeg\"},"
                        + "{\"x-amz-meta-owner\":\"42\"},{\"success_action_status\":\"201\"},"
                        + "[\"content-length-range\",10,500],{\"x-amz-algorithm\":\"AWS4-HMAC-SHA256\"},"
                        + "{\"x-amz-credential\":\"" + ACCESS + "/20151229/us-east-1/s3/aws4_request\"},"
                        + "{\"x-amz-date\":\"20151229T000000Z\"}]}");
        assertThat(post.expiresAt()).isEqualTo(NOW.plus(Duration.ofMinutes(10)));
        assertThat(post.url()).isEqualTo(URI.create("https://photos.s3.us-east-1.amazonaws.com/"));
    }

    @Test
    void startsWithKeyLetsS3FillInTheFilename() {
        PresignedPost post = signer.sign(PostPolicyRequest.builder()
                .bucket("photos")
                .keyStartsWith("users/42/")
                .contentTypeStartsWith("image/")
                .metadataStartsWith("tag", "")
                .build());

        assertThat(post.key()).isEqualTo("users/42/${filename}");
        assertThat(policy(post))
                .contains(
                        "[\"starts-with\",\"$key\",\"users/42/\"]",
                        "[\"starts-with\",\"$Content-Type\",\"image/\"]",
                        "[\"starts-with\",\"$x-amz-meta-tag\",\"\"]");
        assertThat(post.fields()).doesNotContainKey("Content-Type");
    }

    @Test
    void putsUnvalidatedPrefixAndRandomIdBeforeTheKey() {
        PostSigner prefixed = PostSigner.builder()
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET)))
                .region(Region.EU_WEST_1)
                .unvalidatedPrefix("unvalidated/")
                .ids(() -> "id-1")
                .build();

        PresignedPost post = prefixed.sign(PostPolicyRequest.builder()
                .bucket("b-1")
                .key("a.png")
                .randomize(true)
                .build());

        assertThat(post.key()).isEqualTo("unvalidated/id-1/a.png");
        assertThat(policy(post)).contains("{\"key\":\"unvalidated/id-1/a.png\"}");
    }

    @Test
    void temporaryCredentialsAddTheTokenAndCapTheExpiry() {
        Instant credentialsExpire = NOW.plus(Duration.ofMinutes(3));
        PostSigner temporary = signer(StaticCredentialsProvider.create(AwsSessionCredentials.builder()
                .accessKeyId(ACCESS)
                .secretAccessKey(SECRET)
                .sessionToken("TOKEN/1")
                .expirationTime(credentialsExpire)
                .build()));

        PresignedPost post = temporary.sign(
                PostPolicyRequest.builder().bucket("photos").key("a").build());

        assertThat(post.fields()).containsEntry("x-amz-security-token", "TOKEN/1");
        assertThat(policy(post)).contains("{\"x-amz-security-token\":\"TOKEN/1\"}", "2015-12-29T00:03:00.000Z");
        assertThat(post.expiresAt()).isEqualTo(credentialsExpire);
        assertThat(post.toString())
                .doesNotContain("TOKEN/1")
                .doesNotContain(post.fields().get("x-amz-signature"));
    }

    @Test
    void resolvesCredentialsAtEverySigning() {
        String[] secret = {SECRET};
        PostSigner rotating = signer(() -> AwsBasicCredentials.create(ACCESS, secret[0]));
        PostPolicyRequest request =
                PostPolicyRequest.builder().bucket("photos").key("a").build();

        String before = rotating.sign(request).fields().get("x-amz-signature");
        secret[0] = "rotated-secret";
        String after = rotating.sign(request).fields().get("x-amz-signature");

        assertThat(after).isNotEqualTo(before);
    }

    @Test
    void buildsVirtualHostedPathStyleAndCustomEndpointUrls() {
        assertThat(signer.url("photos")).hasToString("https://photos.s3.us-east-1.amazonaws.com/");
        assertThat(signer.url("my.photos")).hasToString("https://s3.us-east-1.amazonaws.com/my.photos/");
        PostSigner.Builder custom = PostSigner.builder()
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET)));
        assertThat(custom.endpoint(URI.create("http://127.0.0.1:9000")).build().url("photos"))
                .hasToString("http://127.0.0.1:9000/photos/");
        assertThat(custom.endpoint(URI.create("https://acct.r2.cloudflarestorage.com/"))
                        .build()
                        .url("photos"))
                .hasToString("https://photos.acct.r2.cloudflarestorage.com/");
        assertThat(custom.pathStyle(true).build().url("photos"))
                .hasToString("https://acct.r2.cloudflarestorage.com/photos/");
        assertThat(PostSigner.builder()
                        .region(Region.CN_NORTH_1)
                        .credentialsProvider(signer.credentials())
                        .build()
                        .url("b-1"))
                .hasToString("https://b-1.s3.cn-north-1.amazonaws.com.cn/");
    }

    @Test
    void refusesKeysThatGrowPastTheLimitWithPrefixes() {
        PostSigner prefixed = PostSigner.builder()
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET)))
                .region(Region.US_EAST_1)
                .unvalidatedPrefix("unvalidated/")
                .build();
        PostPolicyRequest request = PostPolicyRequest.builder()
                .bucket("photos")
                .key("k".repeat(1020))
                .build();

        assertThatThrownBy(() -> prefixed.sign(request))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key: is 1032 bytes");
    }

    @Test
    void neverPrintsTheSecret() {
        assertThat(signer.toString()).doesNotContain(SECRET);
        assertThat(signer.sign(PostPolicyRequest.builder()
                                .bucket("photos")
                                .key("a")
                                .build())
                        .toString())
                .doesNotContain(SECRET);
    }

    private static String policy(PresignedPost post) {
        return new String(Base64.getDecoder().decode(post.fields().get("policy")), StandardCharsets.UTF_8);
    }

    private static String json(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        if (!m.find()) {
            throw new AssertionError("no " + name + " in the vector");
        }
        return m.group(1);
    }

    /** The lowercase hex HMAC-SHA256 of the base64 policy under the derived key, as the AWS example computes it. */
    private static String signHex(byte[] key, String policy) {
        return SigV4.hex(SigV4.mac(key).doFinal(policy.getBytes(StandardCharsets.US_ASCII)));
    }
}
