package dev.pontus.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.mock.web.MockHttpServletRequest;

/** The endpoints' input handling, without HTTP or S3. */
class UploadRequestsTest {
    private static final UploadRequests.AllowedTypes IMAGES =
            UploadRequests.AllowedTypes.of(List.of("image/*", "application/pdf"));
    private static final UploadKeys KEYS =
            new UploadKeys("0123456789abcdef0123456789abcdef".getBytes(), "unvalidated/");

    private static void refused(Runnable call, HttpStatus status, String field, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(Refused.class, e -> {
            assertThat(e.status).isEqualTo(status);
            assertThat(e.field).isEqualTo(field);
            assertThat(e.getMessage()).startsWith(field + ": ").contains(message);
        });
    }

    @Test
    void keepsPlainFileNamesAndCleansTheRest() {
        assertThat(UploadRequests.fileName("holiday photo.jpg")).isEqualTo("holiday photo.jpg");
        assertThat(UploadRequests.fileName(" Café (1).jpeg ")).isEqualTo("Café (1).jpeg");
        assertThat(UploadRequests.fileName("a<b>|c?.png")).isEqualTo("a_b__c_.png");
        assertThat(UploadRequests.fileName("..hidden")).isEqualTo("hidden");
        assertThat(UploadRequests.fileName("...")).isEqualTo("file");
        String longName = UploadRequests.fileName("n".repeat(300) + ".jpeg");
        assertThat(longName).hasSize(UploadRequests.MAX_FILE_NAME).endsWith(".jpeg");
        refused(() -> UploadRequests.fileName(null), HttpStatus.BAD_REQUEST, "filename", "is required");
        refused(() -> UploadRequests.fileName(" "), HttpStatus.BAD_REQUEST, "filename", "is required");
        refused(() -> UploadRequests.fileName("../../etc/passwd"), HttpStatus.BAD_REQUEST, "filename", "not a path");
        refused(() -> UploadRequests.fileName("..\\boot.ini"), HttpStatus.BAD_REQUEST, "filename", "not a path");
        refused(() -> UploadRequests.fileName(".."), HttpStatus.BAD_REQUEST, "filename", "not a path");
        refused(() -> UploadRequests.fileName("a\u0000.jpg"), HttpStatus.BAD_REQUEST, "filename", "U+0000");
        refused(() -> UploadRequests.fileName("a\n.jpg"), HttpStatus.BAD_REQUEST, "filename", "U+000A");
    }

    @Test
    void acceptsDeclaredTypesByWhatTheyStandFor() {
        assertThat(UploadRequests.contentType("image/jpg", IMAGES)).isEqualTo("image/jpeg");
        assertThat(UploadRequests.contentType("IMAGE/PNG", IMAGES)).isEqualTo("image/png");
        assertThat(UploadRequests.contentType("application/x-pdf", IMAGES)).isEqualTo("application/pdf");
        assertThat(UploadRequests.contentType(null, IMAGES)).isEqualTo("application/octet-stream");
        assertThat(UploadRequests.contentType("", IMAGES)).isEqualTo("application/octet-stream");
        assertThat(UploadRequests.contentType("text/html", UploadRequests.AllowedTypes.of(List.of())))
                .isEqualTo("text/html"); // judged by its content after the upload: active content is refused there
        refused(
                () -> UploadRequests.contentType("text/html", IMAGES),
                HttpStatus.BAD_REQUEST,
                "type",
                "allowed: image/*, application/pdf");
        UploadRequests.AllowedTypes noSvg =
                UploadRequests.AllowedTypes.of(List.of("image/*"), List.of("image/svg+xml"));
        assertThat(UploadRequests.contentType("image/png", noSvg)).isEqualTo("image/png");
        refused(
                () -> UploadRequests.contentType("IMAGE/SVG+XML", noSvg),
                HttpStatus.BAD_REQUEST,
                "type",
                "allowed: image/*; refused: image/svg+xml");
        refused(
                () -> UploadRequests.contentType(
                        "video/mp4", UploadRequests.AllowedTypes.of(List.of(), List.of("video/*", "application/zip"))),
                HttpStatus.BAD_REQUEST,
                "type",
                "allowed: any type; refused: video/*, application/zip");
        refused(() -> UploadRequests.contentType("jpeg", IMAGES), HttpStatus.BAD_REQUEST, "type", "not a MIME type");
    }

    @Test
    void limitsMetadataAsS3Does() {
        Map<String, String> given = new LinkedHashMap<>();
        given.put("Name", "Café.jpg");
        given.put("type", "image/jpeg");
        assertThat(UploadRequests.metadata(given))
                .containsExactly(Map.entry("name", "Caf%C3%A9.jpg"), Map.entry("type", "image/jpeg"));
        refused(
                () -> UploadRequests.metadata(Map.of("bad name", "x")),
                HttpStatus.BAD_REQUEST,
                "metadata[bad name]",
                "1-64 letters");
        refused(
                () -> UploadRequests.metadata(Map.of("note", "a\rb")),
                HttpStatus.BAD_REQUEST,
                "metadata[note]",
                "U+000D");
        refused(
                () -> UploadRequests.metadata(Map.of("note", "x".repeat(3000))),
                HttpStatus.BAD_REQUEST,
                "metadata[note]",
                "2048-byte limit");
    }

    @Test
    void uploaderMetadataIsTheServersAlone() {
        refused(
                () -> UploadRequests.metadata(Map.of("Pontus-Uploader", "bob")),
                HttpStatus.BAD_REQUEST,
                "metadata[Pontus-Uploader]",
                "set by the server");
        assertThat(UploadRequests.withUploader(Map.of("note", "x"), "alice"))
                .containsEntry("note", "x")
                .containsEntry(UploadKeys.UPLOADER_METADATA, "alice");
        assertThat(UploadRequests.withUploader(Map.of("note", "x"), "")).containsOnlyKeys("note");
    }

    @Test
    void refusesKeysIdsAndPartNumbersWithTheField() {
        String key = KEYS.issue("a.jpg", "alice");
        assertThat(UploadRequests.key(KEYS, key, "alice")).isEqualTo(key);
        refused(() -> UploadRequests.key(KEYS, key, "bob"), HttpStatus.FORBIDDEN, "key", "not issued");
        refused(() -> UploadRequests.key(KEYS, "", "alice"), HttpStatus.BAD_REQUEST, "key", "is required");
        assertThat(UploadRequests.uploadId("VXBsb2FkIElE-_.~")).isEqualTo("VXBsb2FkIElE-_.~");
        refused(() -> UploadRequests.uploadId("a/b"), HttpStatus.BAD_REQUEST, "uploadId", "not an upload id");
        refused(() -> UploadRequests.uploadId("a b"), HttpStatus.BAD_REQUEST, "uploadId", "not an upload id");
        assertThat(UploadRequests.partNumber("10000")).isEqualTo(10_000);
        for (String bad : new String[] {"0", "10001", "-1", "x", "", "1.5"}) {
            refused(() -> UploadRequests.partNumber(bad), HttpStatus.BAD_REQUEST, "partNumber", "1 to 10000");
        }
    }

    @Test
    void takesAPartSizeOf1ByteTo5GiBOrNone() {
        assertThat(UploadRequests.partSize(null)).isNull();
        assertThat(UploadRequests.partSize(" ")).isNull();
        assertThat(UploadRequests.partSize("1")).isEqualTo(1L);
        assertThat(UploadRequests.partSize(" 5242880 ")).isEqualTo(5_242_880L);
        assertThat(UploadRequests.partSize("5368709120")).isEqualTo(5_368_709_120L);
        for (String bad : List.of("0", "-1", "5368709121", "1e6", "x", "99999999999999999999")) {
            refused(() -> UploadRequests.partSize(bad), HttpStatus.BAD_REQUEST, "size", "1 to 5368709120");
        }
    }

    @Test
    void servesClientsThatAcceptJsonAndRefusesTheOthersWith406() {
        for (String accepted : List.of(
                "*/*",
                "application/json",
                "application/*",
                "application/problem+json",
                "text/html, */*;q=0.1",
                "text/html;q=0.9, application/json;q=0.5")) {
            UploadRequests.requireJsonAccepted(request(accepted));
        }
        UploadRequests.requireJsonAccepted(request(null));
        for (String refusedType : List.of("text/html", "application/xml", "text/*", "image/png, text/plain", ";;;")) {
            refused(
                    () -> UploadRequests.requireJsonAccepted(request(refusedType)),
                    HttpStatus.NOT_ACCEPTABLE,
                    "Accept",
                    "application/json");
        }
    }

    @Test
    void takesOnlyAConcreteJsonContentTypeAsJson() {
        assertThat(UploadRequests.isJson("application/json")).isTrue();
        assertThat(UploadRequests.isJson("application/json; charset=UTF-8")).isTrue();
        for (String other :
                Arrays.asList(null, "*/*", "application/*", "text/*", "text/plain", "application/xml", "garbage", "")) {
            assertThat(UploadRequests.isJson(other)).as(other).isFalse();
        }
    }

    private static MockHttpServletRequest request(String accept) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/s3/params");
        if (accept != null) {
            request.addHeader("Accept", accept);
        }
        return request;
    }
}
