package dev.pontus.spring;

import dev.pontus.sign.PostPolicyRequest;
import dev.pontus.sign.PostSigner;
import dev.pontus.sign.PresignedPost;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The endpoints upload widgets call for a form upload (POST), stateless so any instance serves any step:
 * <ul>
 *   <li>{@code GET {base}/params?filename=…&type=…&metadata[name]=…}: Uppy Companion's contract. The server
 *   picks the key (unvalidated prefix, a random id that carries its own proof, the cleaned file name) and answers
 *   {@code {"method":"POST","url":…,"fields":{…},"expires":…}}.</li>
 *   <li>{@code POST {base}/validate} with {@code {"key":…}}: validates and promotes; 200 with the final key and
 *   location, or 422 with every violation. The key is the credential: one this server did not issue to this user
 *   is refused with 403.</li>
 * </ul>
 * Multipart uploads have their own routes ({@link PontusMultipartController}); errors are RFC 9457 problem
 * details that name the field ({@link PontusExceptionHandler}).
 */
@RestController
@RequestMapping("${pontus.web.base-path:/s3}")
class PontusUploadController {
    private final PontusProperties properties;
    private final PostSigner signer;
    private final UploadKeys keys;
    private final UploadValidation validation;
    private final UploadMetrics metrics;
    private final Clock clock;
    private final UploadRequests.AllowedTypes allowedTypes;

    PontusUploadController(
            PontusProperties properties,
            PostSigner signer,
            UploadKeys keys,
            UploadValidation validation,
            UploadMetrics metrics,
            Clock clock) {
        this.properties = properties;
        this.signer = signer;
        this.keys = keys;
        this.validation = validation;
        this.metrics = metrics;
        this.clock = clock;
        this.allowedTypes =
                UploadRequests.AllowedTypes.of(properties.getAllowedContentTypes(), properties.getDeniedContentTypes());
    }

    /** What the params endpoint answers; Uppy reads {@code url} and {@code fields}; {@code fields.key} is the key. */
    record SignedUpload(String method, String url, Map<String, String> fields, long expires) {}

    /** What the validate endpoint takes: the key the params or multipart answer gave. */
    record ValidateRequest(String key) {}

    @GetMapping("/params")
    @Metered(UploadMetrics.Operation.SIGN)
    ResponseEntity<SignedUpload> params(@RequestParam MultiValueMap<String, String> query, HttpServletRequest http) {
        UploadRequests.requireJsonAccepted(http);
        String name = UploadRequests.fileName(query.getFirst("filename"));
        String type = UploadRequests.contentType(query.getFirst("type"), allowedTypes);
        String principal = UploadRequests.principal(http);
        String key = keys.issue(name, principal);
        PostPolicyRequest.Builder request = PostPolicyRequest.builder()
                .bucket(properties.getBucket())
                .key(key.substring(signer.unvalidatedPrefix().length()))
                .contentType(type)
                .contentLengthRange(
                        properties.getMinFileSize().toBytes(),
                        properties.getMaxFileSize().toBytes())
                .expiresIn(properties.getPolicyExpiry())
                .successActionStatus(201);
        // the uploader is pinned by the policy (eq), so S3 events tell who uploaded it
        UploadRequests.withUploader(UploadRequests.metadata(metadata(query)), principal)
                .forEach(request::metadata);
        PresignedPost post;
        try {
            post = signer.sign(request.build());
        } catch (IllegalArgumentException e) {
            throw new Refused(HttpStatus.BAD_REQUEST, "filename", e.getMessage());
        }
        metrics.record(UploadMetrics.Operation.SIGN, "signed");
        long expires =
                Math.max(0, Duration.between(clock.instant(), post.expiresAt()).toSeconds());
        return ResponseEntity.ok()
                .cacheControl(CacheControl.noStore())
                .body(new SignedUpload("POST", post.url().toString(), post.fields(), expires));
    }

    @PostMapping("/validate")
    @Metered(UploadMetrics.Operation.VALIDATE)
    ResponseEntity<Object> validate(@RequestBody ValidateRequest body, HttpServletRequest http) {
        UploadRequests.requireJsonAccepted(http);
        String principal = UploadRequests.principal(http);
        String key = UploadRequests.key(keys, body == null ? null : body.key(), principal);
        return validation.validate(key, principal);
    }

    /** Uppy's {@code metadata[name]=value} query parameters. */
    private static Map<String, String> metadata(MultiValueMap<String, String> query) {
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> entry : query.entrySet()) {
            String param = entry.getKey();
            if (param.startsWith("metadata[") && param.endsWith("]")) {
                metadata.put(
                        param.substring("metadata[".length(), param.length() - 1),
                        entry.getValue().isEmpty() ? "" : entry.getValue().get(0));
            }
        }
        return metadata;
    }
}
