package dev.pontus.spring;

import dev.pontus.StorageException;
import dev.pontus.sign.PostPolicyRequest;
import dev.pontus.sign.PostSigner;
import dev.pontus.sign.PresignedPost;
import dev.pontus.validate.MimeSniffer;
import dev.pontus.validate.ObjectNotFoundException;
import dev.pontus.validate.PromotionException;
import dev.pontus.validate.UploadValidator;
import dev.pontus.validate.ValidationResult;
import dev.pontus.validate.Validators;
import dev.pontus.validate.Violation;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.text.Normalizer;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.util.MultiValueMap;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The endpoints upload widgets call, stateless so any instance serves any step:
 * <ul>
 *   <li>{@code GET {base}/params?filename=…&type=…&metadata[name]=…}: Uppy Companion's contract. The server
 *   picks the key (unvalidated prefix, random id, cleaned file name) and answers
 *   {@code {"method":"POST","url":…,"fields":{…},"expires":…,"ticket":…}}.</li>
 *   <li>{@code POST {base}/validate} with {@code {"key":…,"ticket":…}}: validates and promotes; 200 with the
 *   final key, or 422 with every violation.</li>
 * </ul>
 * Errors are RFC 9457 problem details that name the field.
 */
@RestController
@RequestMapping("${pontus.web.base-path:/s3}")
public class PontusUploadController {
    private static final Logger log = LoggerFactory.getLogger(PontusUploadController.class);
    private static final int MAX_FILE_NAME = 120;
    private static final int MAX_METADATA_BYTES = 2048; // S3's limit on user metadata
    private static final Duration TICKET_GRACE = Duration.ofHours(1);
    private static final int RETRY_AFTER_SECONDS = 5;

    private final PontusProperties properties;
    private final PostSigner signer;
    private final UploadValidator validator;
    private final UploadTickets tickets;
    private final UploadMetrics metrics;
    private final ApplicationEventPublisher events;

    public PontusUploadController(PontusProperties properties, PostSigner signer, UploadValidator validator,
            UploadTickets tickets, UploadMetrics metrics, ApplicationEventPublisher events) {
        this.properties = properties;
        this.signer = signer;
        this.validator = validator;
        this.tickets = tickets;
        this.metrics = metrics;
        this.events = events;
    }

    /** What the params endpoint answers; Uppy reads {@code url} and {@code fields}. */
    public record SignedUpload(String method, String url, Map<String, String> fields, long expires, String ticket) {
    }

    /** What the validate endpoint takes. */
    public record ValidateRequest(String key, String ticket) {
    }

    /**
     * What the validate endpoint answers for a valid upload; the same for every validation of one upload.
     *
     * @param type          the type the file is served with: its content's
     * @param typeCorrected whether the type the browser declared was missing or wrong, and so corrected
     * @param warnings      what went wrong without losing the file, e.g. the original could not be deleted
     */
    public record ValidatedUpload(String bucket, String key, long size, String type, boolean typeCorrected,
            List<String> warnings) {
    }

    @GetMapping("/params")
    public SignedUpload params(@RequestParam MultiValueMap<String, String> query, HttpServletRequest http) {
        String name = fileName(query.getFirst("filename"));
        String type = contentType(query.getFirst("type"));
        PostPolicyRequest.Builder request = PostPolicyRequest.builder()
                .bucket(validator.bucket())
                .key(name)
                .randomize(true)
                .contentType(type)
                .contentLengthRange(properties.getMinFileSize().toBytes(), properties.getMaxFileSize().toBytes())
                .expiresIn(properties.getPolicyExpiry())
                .successActionStatus(201);
        metadata(query).forEach(request::metadata);
        PresignedPost post;
        try {
            post = signer.sign(request.build());
        } catch (IllegalArgumentException e) {
            throw refused("sign", HttpStatus.BAD_REQUEST, "filename", e.getMessage());
        }
        String ticket = tickets.issue(post.key(), principal(http), post.expiresAt().plus(TICKET_GRACE));
        metrics.record("sign", "signed");
        long expires = Math.max(0, Duration.between(Instant.now(), post.expiresAt()).toSeconds());
        return new SignedUpload("POST", post.url().toString(), post.fields(), expires, ticket);
    }

    @PostMapping("/validate")
    public ResponseEntity<?> validate(@RequestBody ValidateRequest body, HttpServletRequest http) {
        String key = body == null ? null : body.key();
        if (key == null || key.isBlank()) {
            throw refused("validate", HttpStatus.BAD_REQUEST, "key", "is required: send the key from the params answer's fields");
        }
        if (!key.startsWith(validator.unvalidatedPrefix()) || key.contains("/../") || key.contains("/./")) {
            throw refused("validate", HttpStatus.BAD_REQUEST, "key", "is not an upload key: only keys under '"
                    + validator.unvalidatedPrefix() + "' that this server signed can be validated");
        }
        if (body.ticket() == null || body.ticket().isBlank()) {
            throw refused("validate", HttpStatus.BAD_REQUEST, "ticket", "is required: send the ticket from the params answer");
        }
        String principal = principal(http);
        String problem = tickets.check(body.ticket(), key, principal);
        if (problem != null) {
            throw refused("validate", HttpStatus.FORBIDDEN, "ticket", problem);
        }
        ValidationResult result = validator.validate(key);
        result.warnings().forEach(warning -> metrics.record("validate", "warning"));
        if (result instanceof ValidationResult.Valid valid) {
            if (!valid.repeated()) { // once per upload, however often or concurrently it is validated
                metrics.record("validate", "valid");
                events.publishEvent(new UploadEvents.Validated(validator.bucket(), key, valid.key(),
                        valid.upload().size(), valid.upload().detectedType(), valid.typeCorrected(), principal,
                        valid.warnings()));
            }
            return ResponseEntity.ok(new ValidatedUpload(validator.bucket(), valid.key(), valid.upload().size(),
                    valid.upload().detectedType(), valid.typeCorrected(), valid.warnings()));
        }
        ValidationResult.Invalid invalid = (ValidationResult.Invalid) result;
        metrics.record("validate", "invalid");
        events.publishEvent(new UploadEvents.Rejected(validator.bucket(), key, invalid.violations(), invalid.deleted(),
                principal, invalid.warnings()));
        ProblemDetail problemDetail = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT,
                invalid.violations().stream().map(Violation::message).reduce((a, b) -> a + " " + b).orElse(""));
        problemDetail.setTitle("The upload was refused");
        problemDetail.setProperty("field", "file");
        problemDetail.setProperty("key", key);
        problemDetail.setProperty("violations", invalid.violations());
        problemDetail.setProperty("deleted", invalid.deleted());
        problemDetail.setProperty("warnings", invalid.warnings());
        return ResponseEntity.unprocessableContent().body(problemDetail);
    }

    /** A request refused before anything happened in the bucket. */
    static final class Refused extends RuntimeException {
        final HttpStatus status;
        final String field;

        Refused(HttpStatus status, String field, String message) {
            super(message);
            this.status = status;
            this.field = field;
        }
    }

    private Refused refused(String operation, HttpStatus status, String field, String message) {
        metrics.record(operation, "refused");
        return new Refused(status, field, message.startsWith(field + ":") ? message : field + ": " + message);
    }

    @ExceptionHandler(Refused.class)
    ResponseEntity<ProblemDetail> onRefused(Refused e) {
        return problem(e.status, e.field, e.getMessage());
    }

    @ExceptionHandler(ObjectNotFoundException.class)
    ResponseEntity<ProblemDetail> onNotFound(ObjectNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "key", "key: " + e.getMessage());
    }

    @ExceptionHandler(PromotionException.class)
    ResponseEntity<ProblemDetail> onPromotion(PromotionException e) {
        metrics.record("validate", "changed");
        return problem(HttpStatus.CONFLICT, "key", "key: " + e.getMessage());
    }

    /** 502, or 503 with Retry-After when S3 asked to slow down; logged once, with S3's request id. */
    @ExceptionHandler(StorageException.class)
    ResponseEntity<ProblemDetail> onStorage(StorageException e) {
        log.warn("Storage failure (S3 request id {}): {}", e.requestId(), e.getMessage());
        metrics.record("validate", "error");
        if (e.throttled()) {
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER,
                    String.valueOf(RETRY_AFTER_SECONDS)).body(ProblemDetail.forStatusAndDetail(
                    HttpStatus.SERVICE_UNAVAILABLE, "The storage service is busy; nothing was changed. Try again in "
                            + RETRY_AFTER_SECONDS + " s."));
        }
        return problem(HttpStatus.BAD_GATEWAY, null, "The storage service failed or did not answer in time; nothing"
                + " was promoted or deleted. Try again later.");
    }

    @ExceptionHandler({HttpMessageNotReadableException.class, HttpMediaTypeNotSupportedException.class})
    ResponseEntity<ProblemDetail> onUnreadable(Exception e) {
        return problem(HttpStatus.BAD_REQUEST, "body", "body: send JSON such as {\"key\": \"…\", \"ticket\": \"…\"}"
                + " with Content-Type application/json");
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> onUnexpected(Exception e) {
        log.error("Upload endpoint failed", e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, null, "The server failed to handle the upload; try again later.");
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String field, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        if (field != null) {
            problem.setProperty("field", field);
        }
        return ResponseEntity.status(status).body(problem);
    }

    /** Keeps a plain file name: no path, no control characters; odd characters become '_'; length-limited. */
    String fileName(String filename) {
        if (filename == null || filename.isBlank()) {
            throw refused("sign", HttpStatus.BAD_REQUEST, "filename", "is required: pass the file's name as ?filename=");
        }
        if (filename.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw refused("sign", HttpStatus.BAD_REQUEST, "filename", "contains control characters; send the file's plain name");
        }
        if (filename.contains("/") || filename.contains("\\") || filename.equals(".") || filename.equals("..")) {
            throw refused("sign", HttpStatus.BAD_REQUEST, "filename", "must be a file name, not a path; remove '/', '\\' and '..'");
        }
        String name = Normalizer.normalize(filename.strip(), Normalizer.Form.NFC)
                .replaceAll("[^\\p{L}\\p{N}._() -]", "_")
                .replaceAll("^[.\\s]+", "");
        if (name.length() > MAX_FILE_NAME) {
            int dot = name.lastIndexOf('.');
            String extension = dot > 0 && name.length() - dot <= 10 ? name.substring(dot) : "";
            name = name.substring(0, MAX_FILE_NAME - extension.length()) + extension;
        }
        return name.isEmpty() ? "file" : name;
    }

    private String contentType(String type) {
        String declared = type == null || type.isBlank() ? "application/octet-stream" : type.strip();
        if (!declared.matches("[\\w.+-]+/[\\w.+-]+")) {
            throw refused("sign", HttpStatus.BAD_REQUEST, "type", "'" + declared + "' is not a MIME type such as image/jpeg");
        }
        // image/jpg is image/jpeg; a file the browser could not type is judged by its content after the upload.
        String canonical = MimeSniffer.canonical(declared);
        List<String> allowed = properties.getAllowedContentTypes();
        if (!allowed.isEmpty() && !canonical.equals("application/octet-stream")
                && !Validators.typeMatches(canonical, allowed)) {
            throw refused("sign", HttpStatus.BAD_REQUEST, "type", "'" + declared + "' is not accepted; allowed: "
                    + String.join(", ", allowed));
        }
        return canonical;
    }

    private Map<String, String> metadata(MultiValueMap<String, String> query) {
        Map<String, String> metadata = new LinkedHashMap<>();
        int bytes = 0;
        for (Map.Entry<String, List<String>> entry : query.entrySet()) {
            String param = entry.getKey();
            if (!param.startsWith("metadata[") || !param.endsWith("]")) {
                continue;
            }
            String name = param.substring("metadata[".length(), param.length() - 1).toLowerCase(java.util.Locale.ROOT);
            if (!name.matches("[a-z0-9_-]{1,64}")) {
                throw refused("sign", HttpStatus.BAD_REQUEST, param, "metadata names are 1-64 letters, digits, '-' or '_'");
            }
            String value = entry.getValue().isEmpty() ? "" : entry.getValue().get(0);
            if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw refused("sign", HttpStatus.BAD_REQUEST, param, "contains control characters");
            }
            if (value.chars().anyMatch(c -> c > 0x7e)) {
                value = URLEncoder.encode(value, StandardCharsets.UTF_8); // S3 metadata is US-ASCII
            }
            bytes += name.length() + value.length();
            if (bytes > MAX_METADATA_BYTES) {
                throw refused("sign", HttpStatus.BAD_REQUEST, param, "metadata is larger than S3's " + MAX_METADATA_BYTES
                        + "-byte limit; send less");
            }
            metadata.put(name, value);
        }
        return metadata;
    }

    private static String principal(HttpServletRequest http) {
        Principal principal = http.getUserPrincipal();
        return principal == null ? "" : principal.getName();
    }
}
