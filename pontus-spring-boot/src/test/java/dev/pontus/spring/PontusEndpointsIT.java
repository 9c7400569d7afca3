package dev.pontus.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pontus.spring.example.ExampleApp;
import dev.pontus.test.BrowserPost;
import dev.pontus.test.LocalS3;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/** The whole flow over real HTTP: the app on a random port, S3Proxy as the store, uploads as a browser sends them. */
@SpringBootTest(
        classes = {ExampleApp.class, PontusEndpointsIT.Credentials.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PontusEndpointsIT extends EndpointsClient {
    private static final LocalS3 S3 = LocalS3.shared();
    private static final String BUCKET = S3.newBucket();

    @Autowired
    ExampleApp app;

    @DynamicPropertySource
    static void pontus(DynamicPropertyRegistry registry) {
        store(registry, S3, BUCKET);
        registry.add("pontus.allowed-content-types", () -> "image/*,application/pdf");
        registry.add("pontus.max-file-size", () -> "1MB");
        registry.add("pontus.denied-content-types", () -> "image/gif");
    }

    /** The store's credentials, as an app would get them from its environment. */
    @TestConfiguration(proxyBeanMethods = false)
    static class Credentials {
        @Bean
        AwsCredentialsProvider credentials() {
            return S3.credentialsProvider();
        }
    }

    private static List<String> bucket() {
        return S3.client().listObjectsV2(b -> b.bucket(BUCKET)).contents().stream()
                .map(o -> o.key())
                .sorted()
                .toList();
    }

    @Test
    void signsUploadsValidatesAndPromotes() throws IOException {
        byte[] jpeg = jpeg();
        Answer params =
                get(query("holiday photo.jpg", "image/jpeg") + "&metadata%5Bname%5D=holiday%20photo.jpg", "alice");

        assertThat(params.status()).isEqualTo(200);
        assertThat(params.json().get("method").asString()).isEqualTo("POST");
        assertThat(params.json().get("expires").asLong()).isBetween(590L, 600L);
        Map<String, String> fields = fields(params.json());
        String key = fields.get("key");
        assertThat(key).matches("unvalidated/[A-Za-z0-9_-]{16}\\.[A-Za-z0-9_-]{22}/holiday photo\\.jpg");
        assertThat(fields).doesNotContainKey("ticket").containsEntry("x-amz-meta-name", "holiday photo.jpg");

        BrowserPost.Response upload = BrowserPost.post(
                URI.create(params.json().get("url").asString()), fields, "holiday photo.jpg", "image/jpeg", jpeg);
        assertThat(upload.status()).isEqualTo(201);

        Answer validated = validate(key, "alice");
        assertThat(validated.status()).isEqualTo(200);
        String finalKey = validated.json().get("key").asString();
        assertThat(finalKey).isEqualTo("files/" + IssuedKey.of(key).id() + "/holiday photo.jpg");
        assertThat(validated.json().get("size").asLong()).isEqualTo(jpeg.length);
        assertThat(validated.json().get("type").asString()).isEqualTo("image/jpeg");
        assertThat(validated.json().get("location").asString())
                .isEqualTo(S3.endpoint() + "/" + BUCKET + "/" + finalKey.replace(" ", "%20"));
        assertThat(S3.client()
                        .getObjectAsBytes(b -> b.bucket(BUCKET).key(finalKey))
                        .asByteArray())
                .isEqualTo(jpeg);
        assertThat(bucket()).doesNotContain(key);
        assertThat(app.events)
                .anyMatch(e -> e instanceof UploadEvents.Validated v
                        && v.finalKey().equals(finalKey)
                        && v.principal().equals("alice"));

        Answer again = validate(key, "alice");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("key").asString()).isEqualTo(finalKey);
        assertThat(app.events)
                .filteredOn(e ->
                        e instanceof UploadEvents.Validated v && v.finalKey().equals(finalKey))
                .as("one event per upload, however often it is validated")
                .hasSize(1);
    }

    @Test
    void promotedKeysNeverCarryTheCredentialTheUploadWasMadeWith() {
        byte[] jpeg = jpeg();
        List<String> names = List.of("a.b.c.jpg", "no extension", "ünï ✓ (1).jpg", "x..y.jpg", ".hidden.jpg");
        for (String name : names) {
            Answer params = get(query(name, "image/jpeg"), "carol");
            String key = fields(params.json()).get("key");
            IssuedKey issued = IssuedKey.of(key);
            assertThat(BrowserPost.post(
                                    URI.create(params.json().get("url").asString()),
                                    fields(params.json()),
                                    name,
                                    "image/jpeg",
                                    jpeg)
                            .status())
                    .isEqualTo(201);

            Answer validated = validate(key, "carol");
            Answer again = validate(key, "carol"); // after the original is gone, the same final key answers

            assertThat(validated.status()).as(name).isEqualTo(200);
            String finalKey = validated.json().get("key").asString();
            assertThat(finalKey).isEqualTo("files/" + issued.id() + "/" + issued.name());
            assertThat(validated.json().get("location").asString()).doesNotContain(issued.mac());
            assertThat(again.json().get("key").asString()).isEqualTo(finalKey);
            assertThat(app.events)
                    .filteredOn(e -> e instanceof UploadEvents.Validated v
                            && v.uploadedKey().equals(key))
                    .singleElement()
                    .matches(e -> ((UploadEvents.Validated) e).finalKey().equals(finalKey));
            assertThat(bucket()).contains(finalKey).noneMatch(k -> k.contains(issued.mac()));
        }
    }

    @Test
    void refusesDisguisedFileWith422AndDeletesIt() {
        Answer params = get(query("photo.jpg", "image/jpeg"), null);
        Map<String, String> fields = fields(params.json());
        byte[] html = "<html><body><script>alert(1)</script></body></html>".getBytes(StandardCharsets.UTF_8);
        assertThat(BrowserPost.post(
                                URI.create(params.json().get("url").asString()),
                                fields,
                                "photo.jpg",
                                "image/jpeg",
                                html)
                        .status())
                .isEqualTo(201);

        Answer refused = validate(fields.get("key"), null);

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().get("violations").findValuesAsString("code"))
                .containsExactly("type-active-content", "type-not-allowed");
        assertThat(refused.json().get("deleted").asBoolean()).isTrue();
        assertThat(bucket()).doesNotContain(fields.get("key")).doesNotContain(IssuedKey.promoted(fields.get("key")));
        assertThat(app.events)
                .anyMatch(e ->
                        e instanceof UploadEvents.Rejected r && r.uploadedKey().equals(fields.get("key")));
    }

    @Test
    void refusesBadInputsWithProblemDetailsAndLeavesTheBucketAlone() {
        Answer good = get(query("a.jpg", "image/jpeg"), "alice");
        String key = fields(good.json()).get("key");
        List<String> before = bucket();

        assertProblem(get(query("../../etc/passwd", "image/jpeg"), null), 400, "filename");
        assertProblem(get(query("..\\boot.ini", "image/jpeg"), null), 400, "filename");
        assertProblem(get(query("a\u0000.jpg", "image/jpeg"), null), 400, "filename");
        assertProblem(get(query("a\n.jpg", "image/jpeg"), null), 400, "filename");
        assertProblem(get("/s3/params?type=image/jpeg", null), 400, "filename");
        assertProblem(get(query("page.html", "text/html"), null), 400, "type");
        assertProblem(
                get(query("a.jpg", "image/jpeg") + "&metadata%5Bnote%5D=" + "x".repeat(3000), null),
                400,
                "metadata[note]");
        String id = key.substring("unvalidated/".length(), key.lastIndexOf('/'));
        assertProblem(validate(key.replace(id, id.substring(0, id.length() - 2) + "xx"), "alice"), 403, "key");
        assertProblem(validate(key, "mallory"), 403, "key");
        assertProblem(validate(key, null), 403, "key");
        assertProblem(validate("unvalidated/" + id + "/other.jpg", "alice"), 403, "key");
        assertProblem(validate("files/someone-else.jpg", "alice"), 403, "key");
        assertProblem(validate("unvalidated/" + id + "/../../files/a.jpg", "alice"), 403, "key");
        assertProblem(validate(null, "alice"), 400, "key");
        assertProblem(validate(key, "alice"), 404, "key"); // signed, never uploaded
        assertThat(good.json().has("ticket")).isFalse();
        assertProblem(
                send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/s3/validate"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{not json"))
                        .build()),
                400,
                "body");

        assertThat(bucket()).isEqualTo(before);
    }

    @Test
    void deniedTypesAreRefusedWhenSigningAndOnTheContent() throws IOException {
        Answer declared = get(query("anim.gif", "image/gif"), "alice");
        assertProblem(declared, 400, "type");
        assertThat(declared.json().get("detail").asString()).contains("refused: image/gif");

        Answer params = get(query("anim.png", "image/png"), "alice"); // a GIF declared as an allowed type
        ByteArrayOutputStream gif = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "gif", gif);
        assertThat(BrowserPost.post(
                                URI.create(params.json().get("url").asString()),
                                fields(params.json()),
                                "anim.png",
                                "image/png",
                                gif.toByteArray())
                        .status())
                .isEqualTo(201);

        Answer refused = validate(fields(params.json()).get("key"), "alice");

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().get("violations").findValuesAsString("code")).containsExactly("type-denied");
    }

    @Test
    void longFileNamesAreShortenedKeepingTheExtension() {
        Answer params = get(query("n".repeat(300) + ".jpeg", "image/jpeg"), null);

        String key = fields(params.json()).get("key");
        assertThat(key.substring(key.lastIndexOf('/') + 1)).hasSize(120).endsWith(".jpeg");
    }

    private static void assertProblem(Answer answer, int status, String field) {
        assertThat(answer.status()).as("status of %s", answer.json()).isEqualTo(status);
        assertThat(answer.json().get("status").asInt()).isEqualTo(status);
        assertThat(answer.json().get("field").asString()).isEqualTo(field);
        assertThat(answer.json().get("detail").asString()).startsWith(field).doesNotContain("Exception");
    }
}
