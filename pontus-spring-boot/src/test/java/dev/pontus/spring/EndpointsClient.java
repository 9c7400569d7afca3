package dev.pontus.spring;

import dev.pontus.test.LocalS3;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Calls the upload endpoints of the app under test as a browser or widget would. */
abstract class EndpointsClient {
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    /** The settings every endpoint test shares: the store and bucket, promotion to files/. */
    static void store(DynamicPropertyRegistry registry, LocalS3 s3, String bucket) {
        registry.add("pontus.bucket", () -> bucket);
        registry.add("pontus.endpoint", () -> s3.endpoint().toString());
        registry.add("pontus.path-style-access", () -> "true");
        registry.add("pontus.region", () -> "us-east-1");
        registry.add("pontus.validated-prefix", () -> "files/");
        registry.add("spring.main.banner-mode", () -> "off");
        // Spring Cloud AWS is on the test classpath (for the ordering test); these apps configure S3 with pontus.*
        registry.add("spring.cloud.aws.s3.enabled", () -> "false");
    }

    record Answer(int status, JsonNode json) {}

    Answer get(String pathAndQuery, String user) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery));
        if (user != null) {
            request.header("X-User", user);
        }
        return send(request.GET().build());
    }

    Answer validate(String key, String user) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("key", key);
        return post("/s3/validate", body, user);
    }

    /** POSTs {@code body} as JSON (null: no body). */
    Answer post(String path, Object body, String user) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : JSON.writeValueAsString(body)));
        if (user != null) {
            request.header("X-User", user);
        }
        return send(request.build());
    }

    Answer delete(String path, String user) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .DELETE();
        if (user != null) {
            request.header("X-User", user);
        }
        return send(request.build());
    }

    static Answer send(HttpRequest request) {
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body().isEmpty() ? null : JSON.readTree(response.body()));
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    static String query(String filename, String type) {
        return "/s3/params?filename=" + URLEncoder.encode(filename, StandardCharsets.UTF_8) + "&type="
                + URLEncoder.encode(type, StandardCharsets.UTF_8);
    }

    static Map<String, String> fields(JsonNode answer) {
        Map<String, String> fields = new LinkedHashMap<>();
        answer.get("fields")
                .properties()
                .forEach(e -> fields.put(e.getKey(), e.getValue().asString()));
        return fields;
    }

    /**
     * {@link #jpeg()} declaring {@code declared x declared} pixels, its frame header pushed past the 64 KiB head by
     * {@code segments} APP15 segments of 65,535 bytes: the pixel-cap dodge of the hostile-input probe.
     */
    static byte[] jpegBehindMetadata(int segments, int declared) {
        byte[] jpeg = jpeg();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        for (int n = 0; n < segments; n++) {
            out.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xEF, (byte) 0xFF, (byte) 0xFF});
            out.writeBytes(new byte[65_533]);
        }
        for (int i = 2; i + 9 < jpeg.length; i++) {
            if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == 0xC0) {
                jpeg[i + 5] = jpeg[i + 7] = (byte) (declared >> 8);
                jpeg[i + 6] = jpeg[i + 8] = (byte) declared;
                break;
            }
        }
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    /** A real 40x30 JPEG. */
    static byte[] jpeg() {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB), "jpg", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
