package dev.pontus.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pontus.spring.example.ExampleApp;
import dev.pontus.test.LocalS3;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Every route with odd but legal headers: wildcard or non-JSON Content-Types get 415, an Accept without JSON gets
 * 406, both as problem details naming the header, before anything is signed, started or promoted; never a 500, never
 * a stack trace in the log.
 */
@SpringBootTest(
        classes = {ExampleApp.class, PontusEndpointsIT.Credentials.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class OddHeadersIT extends EndpointsClient {
    private static final LocalS3 S3 = LocalS3.shared();
    private static final String BUCKET = S3.newBucket();
    private static final List<String> ODD_CONTENT_TYPES = List.of(
            "*/*",
            "application/*",
            "text/*",
            "text/plain",
            "text/html",
            "application/xml",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "not a type");
    private static final List<String> NO_JSON_ACCEPTED =
            List.of("text/html", "application/xml", "text/plain", "image/*", "text/html, application/xhtml+xml");
    private static final List<String> JSON_ACCEPTED = List.of(
            "*/*",
            "application/json",
            "application/*",
            "text/html, */*;q=0.1",
            "application/problem+json",
            "text/html;q=0.9, application/json;q=0.8");

    @DynamicPropertySource
    static void pontus(DynamicPropertyRegistry registry) {
        store(registry, S3, BUCKET);
    }

    private record Route(String method, String path, String body) {}

    /** Every route, with a real key and upload id, so that only the headers can be at fault. */
    private List<Route> routes() {
        Answer created = post("/s3/multipart", Map.of("filename", "a.jpg", "type", "image/jpeg"), "alice");
        String key = created.json().get("key").asString();
        String id = "/s3/multipart/" + created.json().get("uploadId").asString();
        String query = "?key=" + URLEncoder.encode(key, StandardCharsets.UTF_8);
        return List.of(
                new Route("GET", query("a.jpg", "image/jpeg"), null),
                new Route("POST", "/s3/validate", "{\"key\":\"" + key + "\"}"),
                new Route("POST", "/s3/multipart", "{\"filename\":\"b.jpg\",\"type\":\"image/jpeg\"}"),
                new Route("GET", id + "/1" + query, null),
                new Route("GET", id + "/batch" + query + "&partNumbers=1", null),
                new Route("GET", id + query, null),
                new Route("POST", id + "/complete" + query, "{\"parts\":[{\"PartNumber\":1,\"ETag\":\"\\\"e\\\"\"}]}"),
                new Route("DELETE", id + query, null));
    }

    @Test
    void aBodyThatIsNotDeclaredAsJsonIs415OnEveryPostRoute(CapturedOutput log) {
        int uploads = openUploads();
        for (Route route : routes()) {
            if (route.body() == null) {
                continue;
            }
            for (String type : ODD_CONTENT_TYPES) {
                HttpResponse<String> answer = call(route, type, null);
                assertProblem(answer, 415, "Content-Type", route.method() + " " + route.path() + " as " + type);
            }
        }
        assertThat(openUploads()).as("no upload was started").isEqualTo(uploads + 1);
        assertThat(log.getAll()).doesNotContain("\tat ").doesNotContain(" ERROR ");
    }

    @Test
    void anAcceptWithoutJsonIs406OnEveryRouteAndNothingIsDone(CapturedOutput log) {
        List<Route> routes = routes();
        int uploads = openUploads();
        for (Route route : routes) {
            for (String accept : NO_JSON_ACCEPTED) {
                HttpResponse<String> answer = call(route, "application/json", accept);
                assertProblem(answer, 406, "Accept", route.method() + " " + route.path() + " accepting " + accept);
            }
        }
        assertThat(openUploads()).as("nothing started or aborted").isEqualTo(uploads);
        assertThat(log.getAll()).doesNotContain("\tat ").doesNotContain(" ERROR ");
    }

    @Test
    void anyAcceptThatAdmitsJsonIsServed() {
        for (String accept : JSON_ACCEPTED) {
            HttpResponse<String> answer = call(new Route("GET", query("a.jpg", "image/jpeg"), null), null, accept);
            assertThat(answer.statusCode()).as(accept).isEqualTo(200);
            assertThat(answer.headers().firstValue("Content-Type").orElse(""))
                    .as(accept)
                    .matches("application/(problem\\+)?json.*");
        }
    }

    private HttpResponse<String> call(Route route, String contentType, String accept) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + route.path()))
                .header("X-User", "alice")
                .method(
                        route.method(),
                        route.body() == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(route.body()));
        if (contentType != null && route.body() != null) {
            request.header("Content-Type", contentType);
        }
        if (accept != null) {
            request.header("Accept", accept);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void assertProblem(HttpResponse<String> answer, int status, String field, String what) {
        assertThat(answer.statusCode()).as("%s: %s", what, answer.body()).isEqualTo(status);
        assertThat(answer.headers().firstValue("Content-Type").orElse(""))
                .as(what)
                .startsWith("application/problem+json");
        var json = JSON.readTree(answer.body());
        assertThat(json.get("field").asString()).as(what).isEqualTo(field);
        assertThat(json.get("detail").asString()).as(what).contains("application/json");
    }

    private static int openUploads() {
        return S3.client().listMultipartUploads(b -> b.bucket(BUCKET)).uploads().size();
    }
}
