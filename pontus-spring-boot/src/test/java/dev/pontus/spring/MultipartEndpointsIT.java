package dev.pontus.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pontus.spring.example.ExampleApp;
import dev.pontus.test.LocalS3;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Companion's multipart routes over real HTTP, called as Uppy calls them, with parts PUT to S3Proxy through the
 * presigned URLs: limits enforced at completion, completion validating, keys that are their own credential, CORS.
 */
@SpringBootTest(
        classes = {ExampleApp.class, PontusEndpointsIT.Credentials.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MultipartEndpointsIT extends EndpointsClient {
    private static final LocalS3 S3 = LocalS3.shared();
    private static final String BUCKET = S3.newBucket();
    private static final int MIB = 1024 * 1024;
    private static final String FRONT_END = "https://app.example.com";

    @Autowired
    ExampleApp app;

    @DynamicPropertySource
    static void pontus(DynamicPropertyRegistry registry) {
        store(registry, S3, BUCKET);
        registry.add("pontus.allowed-content-types", () -> "image/*,application/pdf");
        registry.add("pontus.max-file-size", () -> "8MB");
        registry.add("pontus.web.allowed-origins", () -> FRONT_END);
    }

    private record Started(String key, String uploadId) {
        String query() {
            return "?key=" + URLEncoder.encode(key, StandardCharsets.UTF_8);
        }
    }

    private Started create(String filename, String type, String user) {
        Answer created = post(
                "/s3/multipart",
                Map.of("filename", filename, "type", type, "metadata", Map.of("name", filename, "type", type)),
                user);
        assertThat(created.status()).as("%s", created.json()).isEqualTo(200);
        assertThat(created.json().get("bucket").asString()).isEqualTo(BUCKET);
        return new Started(
                created.json().get("key").asString(),
                created.json().get("uploadId").asString());
    }

    /** Signs the parts in one batch and PUTs each as the browser does; answers what Uppy sends to complete. */
    private List<Map<String, Object>> putParts(Started upload, String user, byte[]... parts) throws Exception {
        String numbers = String.join(
                ",",
                IntStream.rangeClosed(1, parts.length).mapToObj(String::valueOf).toList());
        Answer batch =
                get("/s3/multipart/" + upload.uploadId() + "/batch" + upload.query() + "&partNumbers=" + numbers, user);
        assertThat(batch.status()).as("%s", batch.json()).isEqualTo(200);
        List<Map<String, Object>> sent = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            String url =
                    batch.json().get("presignedUrls").get(String.valueOf(i + 1)).asString();
            HttpResponse<String> put = HTTP.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .PUT(HttpRequest.BodyPublishers.ofByteArray(parts[i]))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
            Map<String, Object> part = new LinkedHashMap<>();
            part.put("PartNumber", i + 1);
            part.put("ETag", put.headers().firstValue("ETag").orElseThrow());
            sent.add(part);
        }
        return sent;
    }

    private Answer complete(Started upload, List<Map<String, Object>> parts, String user) {
        return post("/s3/multipart/" + upload.uploadId() + "/complete" + upload.query(), Map.of("parts", parts), user);
    }

    private static List<String> objects() {
        return S3.client().listObjectsV2(b -> b.bucket(BUCKET)).contents().stream()
                .map(o -> o.key())
                .sorted()
                .toList();
    }

    private static int openUploads() {
        return S3.client().listMultipartUploads(b -> b.bucket(BUCKET)).uploads().size();
    }

    private static byte[] scan(int size) {
        byte[] content = Arrays.copyOf(jpeg(), size);
        content[size - 1] = 7;
        return content;
    }

    @Test
    void uploadsInPartsAndCompletionValidatesAndPromotes() throws Exception {
        byte[] content = scan(6 * MIB + 5);
        Started upload = create("big scan.jpg", "image/jpeg", "alice");
        assertThat(upload.key()).matches("unvalidated/[A-Za-z0-9_-]{16}\\.[A-Za-z0-9_-]{22}/big scan\\.jpg");

        Answer one = get("/s3/multipart/" + upload.uploadId() + "/1" + upload.query(), "alice");
        assertThat(one.json().get("url").asString()).contains("partNumber=1").contains("uploadId=");
        assertThat(one.json().get("expires").asLong()).isBetween(590L, 600L);
        List<Map<String, Object>> parts = putParts(
                upload, "alice", Arrays.copyOf(content, 5 * MIB), Arrays.copyOfRange(content, 5 * MIB, content.length));
        Answer listed = get("/s3/multipart/" + upload.uploadId() + upload.query(), "alice");
        assertThat(listed.json().findValues("Size"))
                .extracting(JsonNode::asLong)
                .containsExactly(5L * MIB, MIB + 5L);
        assertThat(listed.json().findValuesAsString("ETag"))
                .containsExactly(
                        (String) parts.get(0).get("ETag"), (String) parts.get(1).get("ETag"));

        Answer done = complete(upload, parts, "alice");

        assertThat(done.status()).as("%s", done.json()).isEqualTo(200);
        String finalKey = "files/" + IssuedKey.of(upload.key()).id() + "/big scan.jpg";
        assertThat(done.json().get("key").asString()).isEqualTo(finalKey);
        assertThat(done.json().get("location").asString()).endsWith("/" + BUCKET + "/" + finalKey.replace(" ", "%20"));
        assertThat(done.json().get("type").asString()).isEqualTo("image/jpeg");
        var head = S3.client().headObject(b -> b.bucket(BUCKET).key(finalKey));
        assertThat(head.contentType()).isEqualTo("image/jpeg");
        assertThat(head.metadata()).containsEntry("name", "big scan.jpg");
        assertThat(S3.client()
                        .getObjectAsBytes(b -> b.bucket(BUCKET).key(finalKey))
                        .asByteArray())
                .isEqualTo(content);
        assertThat(objects()).doesNotContain(upload.key());
        assertThat(app.events)
                .anyMatch(e ->
                        e instanceof UploadEvents.Validated v && v.finalKey().equals(finalKey));

        Answer retried = complete(upload, parts, "alice"); // a client retrying after a lost answer
        assertThat(retried.status()).isEqualTo(200);
        assertThat(retried.json().get("key").asString()).isEqualTo(finalKey);
    }

    @Test
    void refusesCompletionOverTheMaximumAndLeavesNoObjectNorParts() throws Exception {
        Started upload = create("huge.jpg", "image/jpeg", "alice");
        List<Map<String, Object>> parts = putParts(upload, "alice", scan(5 * MIB), new byte[4 * MIB]);

        Answer refused = complete(upload, parts, "alice");

        assertThat(refused.status()).isEqualTo(413);
        assertThat(refused.json().get("code").asString()).isEqualTo("file-too-large");
        assertThat(refused.json().get("detail").asString())
                .contains(String.valueOf(9 * MIB))
                .contains(String.valueOf(8_000_000 > 8 * MIB ? 8_000_000 : 8 * MIB));
        assertThat(objects()).noneMatch(k -> k.endsWith("/huge.jpg"));
        assertThat(S3.client().listMultipartUploads(b -> b.bucket(BUCKET)).uploads())
                .noneMatch(u -> u.key().equals(upload.key()));
    }

    @Test
    void completionRefusesAnInvalidFileWith422AndDeletesIt() throws Exception {
        byte[] html = Arrays.copyOf(
                "<html><script>alert(1)</script></html>".getBytes(StandardCharsets.US_ASCII), 5 * MIB + 10);
        Started upload = create("photo.jpg", "image/jpeg", null);
        List<Map<String, Object>> parts =
                putParts(upload, null, Arrays.copyOf(html, 5 * MIB), Arrays.copyOfRange(html, 5 * MIB, html.length));

        Answer refused = complete(upload, parts, null);

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().get("violations").findValuesAsString("code")).contains("type-active-content");
        assertThat(objects()).doesNotContain(upload.key(), IssuedKey.promoted(upload.key()));
    }

    @Test
    void anotherUsersKeyIsRefusedOnEveryRouteBeforeS3IsTouched() throws Exception {
        Started alices = create("a.jpg", "image/jpeg", "alice");
        List<Map<String, Object>> parts = putParts(alices, "alice", scan(1024));
        List<String> before = objects();
        int uploadsBefore = openUploads();
        String id = "/s3/multipart/" + alices.uploadId();
        String forged = alices.key().substring(0, alices.key().lastIndexOf('.')) + ".AAAAAAAAAAAAAAAAAAAAAA/a.jpg";

        for (String user : new String[] {"mallory", null}) {
            assertRefused(get(id + "/1" + alices.query(), user));
            assertRefused(get(id + "/batch" + alices.query() + "&partNumbers=1,2", user));
            assertRefused(get(id + alices.query(), user));
            assertRefused(complete(alices, parts, user));
            assertRefused(delete(id + alices.query(), user));
            assertRefused(validate(alices.key(), user));
        }
        assertRefused(get(id + "/1?key=" + URLEncoder.encode(forged, StandardCharsets.UTF_8), "alice"));
        assertRefused(delete(id + "?key=unvalidated/whatever/a.jpg", "alice"));
        assertRefused(validate("files/a.jpg", "alice"));

        assertThat(objects()).isEqualTo(before);
        assertThat(openUploads()).isEqualTo(uploadsBefore);
        assertThat(get(id + alices.query(), "alice").json().findValuesAsString("ETag"))
                .hasSize(1);
        assertThat(delete(id + alices.query(), "alice").status()).isEqualTo(200);
        assertThat(openUploads()).isEqualTo(uploadsBefore - 1);
    }

    @Test
    void refusesBadMultipartInputWithTheField() {
        Started upload = create("a.jpg", "image/jpeg", "alice");
        String id = "/s3/multipart/" + upload.uploadId();

        assertProblem(post("/s3/multipart", Map.of("type", "image/jpeg"), "alice"), 400, "filename");
        assertProblem(
                post("/s3/multipart", Map.of("filename", "page.html", "type", "text/html"), "alice"), 400, "type");
        assertProblem(get(id + "/0" + upload.query(), "alice"), 400, "partNumber");
        assertProblem(get(id + "/10001" + upload.query(), "alice"), 400, "partNumber");
        assertProblem(get(id + "/x" + upload.query(), "alice"), 400, "partNumber");
        assertProblem(get(id + "/batch" + upload.query(), "alice"), 400, "partNumbers");
        assertProblem(get(id + "/1", "alice"), 400, "key");
        assertProblem(post(id + "/complete" + upload.query(), Map.of("parts", List.of()), "alice"), 400, "parts");
        assertProblem(
                post(
                        id + "/complete" + upload.query(),
                        Map.of(
                                "parts",
                                List.of(Map.of("PartNumber", 1, "ETag", "\"00000000000000000000000000000000\""))),
                        "alice"),
                400,
                "parts");
    }

    @Test
    void signsOnlyThePartsAFileWithinTheLimitNeedsAndTheLengthWhenGiven() throws Exception {
        Started upload = create("parts.jpg", "image/jpeg", "alice");
        String id = "/s3/multipart/" + upload.uploadId();

        for (String beyond : List.of("/3", "/9999", "/batch" + upload.query() + "&partNumbers=1,3")) {
            Answer refused = get(id + beyond + (beyond.startsWith("/batch") ? "" : upload.query()), "alice");
            assertProblem(refused, 400, "partNumber");
            assertThat(refused.json().get("code").asString()).isEqualTo("too-many-parts");
        }
        for (String size : List.of("0", "-5", "x", "5368709121")) {
            assertProblem(get(id + "/1" + upload.query() + "&size=" + size, "alice"), 400, "size");
        }
        assertThat(get(id + "/1" + upload.query() + "&size=" + (9 * MIB), "alice")
                        .status())
                .isEqualTo(413);
        String url = get(id + "/1" + upload.query() + "&size=16", "alice")
                .json()
                .get("url")
                .asString();

        assertThat(put(url, new byte[17])).isEqualTo(403);
        assertThat(put(url, new byte[16])).isEqualTo(200);
    }

    @Test
    void anUploadHoldingMoreThanTheLimitIsAbortedWhenMorePartsAreAskedFor() throws Exception {
        Started upload = create("stuffed.jpg", "image/jpeg", "alice");
        String id = "/s3/multipart/" + upload.uploadId();
        String url = get(id + "/1" + upload.query(), "alice").json().get("url").asString();
        assertThat(put(url, new byte[12 * MIB])).isEqualTo(200);

        Answer refused = get(id + "/2" + upload.query(), "alice");

        assertThat(refused.status()).isEqualTo(413);
        assertThat(refused.json().get("detail").asString()).contains("aborted");
        assertThat(S3.client().listMultipartUploads(b -> b.bucket(BUCKET)).uploads())
                .noneMatch(u -> u.key().equals(upload.key()));
        assertThat(get(id + "/2" + upload.query(), "alice").status()).isEqualTo(404);
    }

    @Test
    void anUploadIdIsHonouredOnlyWithTheKeyItWasStartedFor() throws Exception {
        Started mine = create("mine.jpg", "image/jpeg", "alice");
        Started other = create("other.jpg", "image/jpeg", "alice");
        Started someoneElses = create("theirs.jpg", "image/jpeg", "bob");
        int before = openUploads();

        for (String foreignId : List.of(other.uploadId(), someoneElses.uploadId(), "no-such-upload-id")) {
            String id = "/s3/multipart/" + foreignId;
            List<Answer> answers = List.of(
                    get(id + "/1" + mine.query(), "alice"),
                    get(id + "/batch" + mine.query() + "&partNumbers=1", "alice"),
                    get(id + mine.query(), "alice"),
                    complete(
                            new Started(mine.key(), foreignId),
                            List.of(Map.of("PartNumber", 1, "ETag", "\"e\"")),
                            "alice"),
                    delete(id + mine.query(), "alice"));
            for (Answer answer : answers) {
                assertProblem(answer, 404, "uploadId");
            }
        }
        assertThat(openUploads()).isEqualTo(before);
    }

    @Test
    void aCompletionWithPartsUnder5MiBIsA400ThatSaysWhatToDoAndAbortsTheUpload() throws Exception {
        Started upload = create("tiny-parts.jpg", "image/jpeg", "alice");
        List<Map<String, Object>> parts = putParts(upload, "alice", scan(16), new byte[16]);

        Answer refused = complete(upload, parts, "alice");

        assertProblem(refused, 400, "parts");
        assertThat(refused.json().get("code").asString()).isEqualTo("part-too-small");
        assertThat(refused.json().get("detail").asString())
                .contains("5 MiB or more")
                .contains("aborted");
        assertThat(S3.client().listMultipartUploads(b -> b.bucket(BUCKET)).uploads())
                .noneMatch(u -> u.key().equals(upload.key()));
    }

    private static int put(String url, byte[] body) throws Exception {
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .PUT(HttpRequest.BodyPublishers.ofByteArray(body))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    @Test
    void answersCorsForTheAllowedOriginOnlyAndNeverCachesSignatures() throws Exception {
        HttpResponse<String> allowed = preflight(FRONT_END);
        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).contains(FRONT_END);
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Methods").orElse(""))
                .contains("POST");
        HttpResponse<String> other = preflight("https://evil.example");
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();

        HttpResponse<String> params = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + query("a.jpg", "image/jpeg")))
                        .header("Origin", FRONT_END)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(params.headers().firstValue("Access-Control-Allow-Origin")).contains(FRONT_END);
        assertThat(params.headers().firstValue("Cache-Control")).contains("no-store");
        Started upload = create("a.jpg", "image/jpeg", "alice");
        HttpResponse<String> part = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/s3/multipart/" + upload.uploadId()
                                + "/1" + upload.query()))
                        .header("X-User", "alice")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(part.headers().firstValue("Cache-Control")).contains("no-store");
        HttpResponse<String> created = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/s3/multipart"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"filename\":\"a.jpg\",\"type\":\"image/jpeg\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.headers().firstValue("Cache-Control")).contains("no-store");
    }

    private HttpResponse<String> preflight(String origin) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/s3/multipart"))
                        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                        .header("Origin", origin)
                        .header("Access-Control-Request-Method", "POST")
                        .header("Access-Control-Request-Headers", "content-type")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void assertRefused(Answer answer) {
        assertProblem(answer, 403, "key");
    }

    private static void assertProblem(Answer answer, int status, String field) {
        assertThat(answer.status()).as("status of %s", answer.json()).isEqualTo(status);
        assertThat(answer.json().get("field").asString()).isEqualTo(field);
        assertThat(answer.json().get("detail").asString()).startsWith(field).doesNotContain("Exception");
    }
}
