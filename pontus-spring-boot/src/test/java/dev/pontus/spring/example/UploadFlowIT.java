package dev.pontus.spring.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pontus.test.BrowserPost;
import dev.pontus.test.LocalS3;
import dev.pontus.test.spring.AutoConfigureLocalS3;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.web.client.RestClient;

// The README's @SpringBootTest, as it is shown there (ReadmeTest checks that they stay the same).
// README-BEGIN
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureLocalS3
class UploadFlowIT {
    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {};

    @LocalServerPort
    int port;

    @Autowired
    LocalS3 s3;

    @Value("${pontus.bucket}")
    String bucket;

    @Test
    void uploadsValidatesAndPromotesAPhoto() throws Exception {
        RestClient app = RestClient.create("http://127.0.0.1:" + port);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB), "png", png);

        Map<String, Object> params = app.get()
                .uri("/s3/params?filename={name}&type={type}", "photo.png", "image/png")
                .retrieve()
                .body(JSON);
        @SuppressWarnings("unchecked")
        Map<String, String> fields = (Map<String, String>) params.get("fields");
        BrowserPost.Response upload = BrowserPost.post(
                URI.create((String) params.get("url")), fields, "photo.png", "image/png", png.toByteArray());
        Map<String, Object> validated = app.post()
                .uri("/s3/validate")
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("key", fields.get("key")))
                .retrieve()
                .body(JSON);

        assertThat(upload.status()).isEqualTo(201);
        assertThat(validated).containsEntry("type", "image/png");
        String finalKey = (String) validated.get("key");
        assertThat(s3.client().headObject(b -> b.bucket(bucket).key(finalKey)).contentLength())
                .isEqualTo(png.size());
    }
}
// README-END
