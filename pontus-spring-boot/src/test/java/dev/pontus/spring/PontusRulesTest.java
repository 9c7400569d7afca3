package dev.pontus.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pontus.validate.UploadPromoter;
import dev.pontus.validate.UploadedObject;
import dev.pontus.validate.Validator;
import dev.pontus.validate.Violation;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** The mapping of {@code pontus.*} to rules, as a tool outside an application context uses it. */
class PontusRulesTest {

    /** Binds {@code settings} with Boot's Binder, with no application context, as the CLI does. */
    static PontusProperties bind(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings)).bindOrCreate("pontus", PontusProperties.class);
    }

    @Test
    void bindsOutsideAnApplicationContext() {
        PontusProperties properties = bind(Map.of(
                "pontus.bucket", "photos",
                "pontus.max-file-size", "5MB",
                "pontus.allowed-content-types", "image/*,application/pdf",
                "pontus.scan", "full",
                "pontus.web.base-path", "/uploads"));
        assertThat(properties.getBucket()).isEqualTo("photos");
        assertThat(properties.getMaxFileSize().toMegabytes()).isEqualTo(5);
        assertThat(properties.getAllowedContentTypes()).containsExactly("image/*", "application/pdf");
        assertThat(properties.getScan()).isEqualTo(PontusProperties.Scan.FULL);
        assertThat(properties.getWeb().getBasePath()).isEqualTo("/uploads");
    }

    @Test
    void builtInRulesRunSizeThenTypesThenMarkupThenDimensions() {
        List<Validator> rules = PontusRules.of(bind(Map.of(
                        "pontus.max-file-size", "1KB",
                        "pontus.allowed-content-types", "image/png",
                        "pontus.max-image-pixels", "4")))
                .validators();
        assertThat(rules).hasSize(4);
        // A 2 KiB HTML file declared as text/html: too large, wrong type; each rule speaks in its turn.
        UploadedObject html = upload("text/html", 2048);
        assertThat(codes(rules.get(0), html)).containsExactly("file-too-large");
        assertThat(codes(rules.get(1), html)).isNotEmpty();
        assertThat(codes(rules.get(0), upload("image/png", 10))).isEmpty();
        assertThat(PontusRules.of(bind(Map.of())).validators())
                .as("without an allow list there is no type rule")
                .hasSize(3);
    }

    @Test
    void deniedTypesAreRefusedEvenWhenAllowed() {
        List<Validator> rules = PontusRules.of(bind(Map.of(
                        "pontus.allowed-content-types", "image/*",
                        "pontus.denied-content-types", "image/gif,image/svg+xml")))
                .validators();

        assertThat(rules).hasSize(5);
        assertThat(codes(rules.get(2), upload("image/gif", 10))).containsExactly("type-denied");
        assertThat(codes(rules.get(2), upload("image/png", 10))).isEmpty();
        assertThat(codes(rules.get(1), upload("image/gif", 10))).isEmpty();
        assertThat(PontusRules.of(bind(Map.of("pontus.denied-content-types", "video/*")))
                        .validators())
                .as("a deny list without an allow list")
                .hasSize(4);
    }

    @Test
    void appliesEveryPromoterSettingAndTheValidators() {
        PontusProperties properties = bind(Map.of(
                "pontus.unvalidated-prefix", "incoming/",
                "pontus.validated-prefix", "files/"));
        PontusRules rules = PontusRules.of(properties);
        try (S3Client s3 = S3Client.builder()
                .region(Region.EU_WEST_1)
                .credentialsProvider(AnonymousCredentialsProvider.create())
                .build()) {
            UploadPromoter promoter = rules.applyTo(
                            UploadPromoter.builder().s3(s3).bucket("photos"))
                    .build();
            assertThat(promoter.unvalidatedPrefix()).isEqualTo("incoming/");
            assertThat(promoter.finalKey("incoming/id/a.jpg")).isEqualTo("files/id/a.jpg");
            assertThat(promoter.validators()).containsExactlyElementsOf(rules.validators());
        }
    }

    @Test
    void negativeMaxFileSizeIsReportedAgainstItselfWithItsValue() {
        assertThatThrownBy(() -> PontusRules.of(bind(Map.of("pontus.max-file-size", "-1MB"))))
                .isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, e -> {
                    assertThat(e.getName()).isEqualTo("pontus.max-file-size");
                    assertThat(e.getValue()).isEqualTo("-1MB");
                    assertThat(e.getReason()).contains("must not be negative").contains("20MB");
                });
    }

    @Test
    void badValuesNameTheirOwnProperty() {
        assertInvalid("pontus.min-file-size", "-1B", "pontus.min-file-size", "-1B");
        assertInvalid("pontus.head-size", "100B", "pontus.head-size", "100B");
        assertInvalid("pontus.tail-size", "17MB", "pontus.tail-size", "17MB");
        assertInvalid("pontus.s3-call-timeout", "0s", "pontus.s3-call-timeout", null);
        assertInvalid("pontus.acl", "everyone", "pontus.acl", "everyone");
        assertInvalid("pontus.max-image-pixels", "0", "pontus.max-image-pixels", 0L);
    }

    private static void assertInvalid(String setting, String text, String property, Object value) {
        assertThatThrownBy(() -> PontusRules.of(bind(Map.of(setting, text))))
                .as(setting + "=" + text)
                .isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, e -> {
                    assertThat(e.getName()).isEqualTo(property);
                    if (value != null) {
                        assertThat(e.getValue()).isEqualTo(value);
                    }
                });
    }

    private static UploadedObject upload(String type, long size) {
        return new UploadedObject(
                "photos", "unvalidated/id/a", size, type, Map.of(), "etag", Instant.EPOCH, type, new byte[16]);
    }

    private static List<String> codes(Validator validator, UploadedObject upload) {
        return validator.validate(upload).stream().map(Violation::code).toList();
    }
}
