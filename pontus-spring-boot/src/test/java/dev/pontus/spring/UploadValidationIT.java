package dev.pontus.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pontus.test.LocalS3;
import dev.pontus.validate.UploadPromoter;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * What the validate endpoint answers and publishes, with the promoter made from {@code pontus.*} by
 * {@link PontusRules} against S3Proxy: the type a file is served with, and a 422 that sums up every violation.
 */
class UploadValidationIT {
    private static final LocalS3 S3 = LocalS3.shared();

    private final List<Object> events = new CopyOnWriteArrayList<>();

    private UploadValidation validation(String bucket, Map<String, String> settings) {
        UploadPromoter promoter = PontusRules.of(PontusRulesTest.bind(settings))
                .applyTo(UploadPromoter.builder().s3(S3.client()).bucket(bucket))
                .build();
        return new UploadValidation(promoter, S3.client().utilities(), UploadMetrics.NONE, events::add);
    }

    private static String upload(String bucket, String name, String type, byte[] content) {
        String key = "unvalidated/id/" + name;
        S3.client().putObject(b -> b.bucket(bucket).key(key).contentType(type), RequestBody.fromBytes(content));
        return key;
    }

    @Test
    void withoutTypeCorrectionTheEventReportsTheTypeTheFileIsServedWith() throws IOException {
        String bucket = S3.newBucket();
        String key = upload(bucket, "photo.jpg", "image/jpeg", png());

        ResponseEntity<Object> answer = validation(bucket, Map.of("pontus.correct-content-type", "false"))
                .validate(key, "alice");

        assertThat(answer.getStatusCode().value()).isEqualTo(200);
        UploadValidation.ValidatedUpload body = (UploadValidation.ValidatedUpload) answer.getBody();
        assertThat(body.type()).isEqualTo("image/jpeg");
        assertThat(body.typeCorrected()).isFalse();
        assertThat(S3.client().headObject(b -> b.bucket(bucket).key(body.key())).contentType())
                .isEqualTo("image/jpeg");
        assertThat(events).singleElement().isInstanceOfSatisfying(UploadEvents.Validated.class, event -> {
            assertThat(event.contentType())
                    .as("served as declared, not as detected")
                    .isEqualTo("image/jpeg");
            assertThat(event.typeCorrected()).isFalse();
        });
    }

    @Test
    void withTypeCorrectionTheEventReportsTheCorrectedType() throws IOException {
        String bucket = S3.newBucket();
        String key = upload(bucket, "photo.jpg", "image/jpeg", png());

        ResponseEntity<Object> answer = validation(bucket, Map.of()).validate(key, "alice");

        UploadValidation.ValidatedUpload body = (UploadValidation.ValidatedUpload) answer.getBody();
        assertThat(body.type()).isEqualTo("image/png");
        assertThat(body.typeCorrected()).isTrue();
        assertThat(S3.client().headObject(b -> b.bucket(bucket).key(body.key())).contentType())
                .isEqualTo("image/png");
        assertThat(events).singleElement().isInstanceOfSatisfying(UploadEvents.Validated.class, event -> {
            assertThat(event.contentType()).isEqualTo("image/png");
            assertThat(event.typeCorrected()).isTrue();
        });
    }

    @Test
    void refusalDetailSumsUpEveryViolation() {
        String bucket = S3.newBucket();
        byte[] html = "<html><script>alert(1)</script></html>".getBytes(StandardCharsets.UTF_8);
        String key = upload(bucket, "page.html", "text/html", html);

        ResponseEntity<Object> answer = validation(
                        bucket, Map.of("pontus.max-file-size", "10B", "pontus.allowed-content-types", "image/*"))
                .validate(key, "alice");

        assertThat(answer.getStatusCode().value()).isEqualTo(422);
        ProblemDetail problem = (ProblemDetail) answer.getBody();
        List<?> violations = (List<?>) problem.getProperties().get("violations");
        assertThat(violations).hasSizeGreaterThanOrEqualTo(2);
        assertThat(problem.getDetail())
                .startsWith("The file was refused for " + violations.size() + " reasons: (1) ")
                .contains("(2) ")
                .contains("at most");
    }

    private static byte[] png() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "png", out);
        return out.toByteArray();
    }
}
