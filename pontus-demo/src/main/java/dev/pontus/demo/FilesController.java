package dev.pontus.demo;

import dev.pontus.S3Names;
import dev.pontus.spring.PontusProperties;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.InputStreamResource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The validated files: a list for the page, and each file served back (only validated ones). */
@RestController
class FilesController {
    private static final Logger log = LoggerFactory.getLogger(FilesController.class);
    private final S3Client s3;
    private final PontusProperties pontus;

    private final boolean events;

    FilesController(S3Client s3, PontusProperties pontus, @Value("${demo.events:false}") boolean events) {
        this.s3 = s3;
        this.pontus = pontus;
        this.events = events;
    }

    record FileEntry(String key, String name, long size, String url) {}

    /** The page's rules, so it can explain refusals, and whether S3's events validate uploads (not the page). */
    @GetMapping("/api/config")
    Map<String, Object> config() {
        return Map.of(
                "maxFileSize",
                pontus.getMaxFileSize().toBytes(),
                "allowedContentTypes",
                pontus.getAllowedContentTypes(),
                "basePath",
                pontus.getWeb().getBasePath(),
                "events",
                events);
    }

    @GetMapping("/api/files")
    List<FileEntry> files() {
        return s3
                .listObjectsV2(b -> b.bucket(pontus.getBucket())
                        .prefix(pontus.getValidatedPrefix())
                        .maxKeys(200))
                .contents()
                .stream()
                .filter(o -> !o.key().startsWith(pontus.getUnvalidatedPrefix()))
                .sorted((a, b) -> b.lastModified().compareTo(a.lastModified()))
                .map(FilesController::entry)
                .toList();
    }

    private static FileEntry entry(S3Object o) {
        return new FileEntry(o.key(), o.key().substring(o.key().lastIndexOf('/') + 1), o.size(), "/files/" + o.key());
    }

    /** Serves a validated file with the type it was validated with; never anything under the unvalidated prefix. */
    @GetMapping("/files/{*key}")
    ResponseEntity<InputStreamResource> file(@PathVariable String key) {
        String objectKey = key.startsWith("/") ? key.substring(1) : key;
        if (objectKey.startsWith(pontus.getUnvalidatedPrefix())
                || !objectKey.startsWith(pontus.getValidatedPrefix())
                || !isStorableKey(objectKey)) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).build(); // no such file could have been promoted
        }
        try {
            ResponseInputStream<GetObjectResponse> in =
                    s3.getObject(b -> b.bucket(pontus.getBucket()).key(objectKey));
            return ResponseEntity.ok()
                    .contentType(MediaType.parseMediaType(in.response().contentType()))
                    .contentLength(in.response().contentLength())
                    .header("X-Content-Type-Options", "nosniff")
                    .header("Content-Security-Policy", "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'")
                    .body(new InputStreamResource(in));
        } catch (NoSuchKeyException e) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).build();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return ResponseEntity.status(HttpStatus.NOT_FOUND).build();
            }
            log.warn(
                    "Serving {} failed: S3 answered {} (request id {})",
                    S3Names.quoteForLog(objectKey),
                    e.statusCode(),
                    S3Names.quoteForLog(e.requestId()));
            return ResponseEntity.status(HttpStatus.BAD_GATEWAY).build();
        } catch (SdkException e) {
            log.warn("Serving {} failed: {}", S3Names.quoteForLog(objectKey), S3Names.quoteForLog(e.getMessage()));
            return ResponseEntity.status(HttpStatus.BAD_GATEWAY).build();
        }
    }

    /** A key S3 can hold (at most 1,024 bytes, no control characters, no dot segments): the core's one rule. */
    private static boolean isStorableKey(String key) {
        try {
            S3Names.requireKey("key", key);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
