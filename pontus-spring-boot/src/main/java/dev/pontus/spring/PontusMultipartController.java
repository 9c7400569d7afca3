package dev.pontus.spring;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.pontus.multipart.MultipartException;
import dev.pontus.multipart.MultipartUploads;
import dev.pontus.validate.ObjectNotFoundException;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Uppy Companion's {@code /s3/multipart} routes, answering as Companion does, so that Uppy 5 ({@code endpoint})
 * and 6 ({@code companionEndpoint}) upload files of any size unchanged: create, sign one part, sign a batch, list
 * the parts (all pages), complete, abort. Unlike Companion, the size limits hold: at completion the total comes
 * from S3's list of parts and an upload outside them is aborted (413 or 400). Completion validates and promotes the
 * file before answering (unless {@code pontus.web.validate-on-complete=false}), so Uppy's upload-success carries
 * the final key and location, and an invalid file comes back as a 422 problem detail. Every route but create takes
 * the key the create answer gave, and refuses with 403 one this server did not issue to this user.
 */
@RestController
@RequestMapping("${pontus.web.base-path:/s3}/multipart")
class PontusMultipartController {
    private final PontusProperties properties;
    private final MultipartUploads uploads;
    private final UploadKeys keys;
    private final UploadValidation validation;
    private final UploadMetrics metrics;
    private final Clock clock;
    private final UploadRequests.AllowedTypes allowedTypes;

    PontusMultipartController(
            PontusProperties properties,
            MultipartUploads uploads,
            UploadKeys keys,
            UploadValidation validation,
            UploadMetrics metrics,
            Clock clock) {
        this.properties = properties;
        this.uploads = uploads;
        this.keys = keys;
        this.validation = validation;
        this.metrics = metrics;
        this.clock = clock;
        this.allowedTypes =
                UploadRequests.AllowedTypes.of(properties.getAllowedContentTypes(), properties.getDeniedContentTypes());
    }

    /** Companion's create input: {@code {filename, type, metadata}}. */
    record CreateRequest(String filename, String type, Map<String, Object> metadata) {}

    record Created(String key, String uploadId, String bucket) {}

    record SignedPart(String url, long expires) {}

    record SignedParts(Map<String, String> presignedUrls) {}

    /** One part as S3 and Uppy name its fields. */
    record Part(
            @JsonProperty("PartNumber") int partNumber,
            @JsonProperty("ETag") String eTag,
            @JsonProperty("Size") Long size,
            @JsonProperty("LastModified") Instant lastModified) {}

    record CompleteRequest(List<Part> parts) {}

    /** Companion's complete answer, {@code {location, key, bucket}}, when completion does not validate. */
    record Completed(String location, String key, String bucket) {}

    @PostMapping
    @Metered(UploadMetrics.Operation.MULTIPART)
    ResponseEntity<Created> create(@RequestBody CreateRequest body, HttpServletRequest http) {
        UploadRequests.requireJsonAccepted(http);
        if (body == null) {
            throw new Refused(HttpStatus.BAD_REQUEST, "filename", "is required: send {\"filename\": …, \"type\": …}");
        }
        String name = UploadRequests.fileName(body.filename());
        String type = UploadRequests.contentType(body.type(), allowedTypes);
        Map<String, String> given = new LinkedHashMap<>();
        if (body.metadata() != null) {
            body.metadata().forEach((k, v) -> given.put(k, v == null ? "" : String.valueOf(v)));
        }
        String principal = UploadRequests.principal(http);
        Map<String, String> metadata = UploadRequests.withUploader(UploadRequests.metadata(given), principal);
        String key = keys.issue(name, principal);
        String uploadId = uploads.create(key, type, metadata);
        metrics.record(UploadMetrics.Operation.MULTIPART, "created");
        // The key is the upload's credential: never cached.
        return ResponseEntity.ok()
                .cacheControl(CacheControl.noStore())
                .body(new Created(key, uploadId, uploads.bucket()));
    }

    /** Registered before {@code /{partNumber}}: a literal segment wins over a variable. */
    @GetMapping("/{uploadId}/batch")
    @Metered(UploadMetrics.Operation.MULTIPART)
    ResponseEntity<SignedParts> signParts(
            @PathVariable String uploadId,
            @RequestParam(required = false) String key,
            @RequestParam(required = false) String partNumbers,
            HttpServletRequest http) {
        UploadRequests.requireJsonAccepted(http);
        String checked = checkedKey(key, http);
        String id = UploadRequests.uploadId(uploadId);
        if (partNumbers == null || partNumbers.isBlank()) {
            throw new Refused(
                    HttpStatus.BAD_REQUEST,
                    "partNumbers",
                    "is required: send the part numbers to sign, such as partNumbers=1,2,3");
        }
        List<Integer> numbers = Arrays.stream(partNumbers.split(","))
                .map(UploadRequests::partNumber)
                .distinct()
                .toList();
        Map<String, String> urls = new LinkedHashMap<>();
        for (MultipartUploads.PresignedPart part : uploads.signParts(checked, id, numbers)) {
            urls.put(String.valueOf(part.partNumber()), part.url().toString());
        }
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(new SignedParts(urls));
    }

    /** One part; with {@code size} (bytes) the URL takes a part of that length only. */
    @GetMapping("/{uploadId}/{partNumber}")
    @Metered(UploadMetrics.Operation.MULTIPART)
    ResponseEntity<SignedPart> signPart(
            @PathVariable String uploadId,
            @PathVariable String partNumber,
            @RequestParam(required = false) String key,
            @RequestParam(required = false) String size,
            HttpServletRequest http) {
        UploadRequests.requireJsonAccepted(http);
        String checked = checkedKey(key, http);
        String id = UploadRequests.uploadId(uploadId);
        int number = UploadRequests.partNumber(partNumber);
        Long length = UploadRequests.partSize(size);
        MultipartUploads.PresignedPart part =
                length == null ? uploads.signPart(checked, id, number) : uploads.signPart(checked, id, number, length);
        long expires =
                Math.max(0, Duration.between(clock.instant(), part.expiresAt()).toSeconds());
        return ResponseEntity.ok()
                .cacheControl(CacheControl.noStore())
                .body(new SignedPart(part.url().toString(), expires));
    }

    @GetMapping("/{uploadId}")
    @Metered(UploadMetrics.Operation.MULTIPART)
    List<Part> parts(
            @PathVariable String uploadId, @RequestParam(required = false) String key, HttpServletRequest http) {
        UploadRequests.requireJsonAccepted(http);
        return uploads.parts(checkedKey(key, http), UploadRequests.uploadId(uploadId)).stream()
                .map(p -> new Part(p.partNumber(), p.eTag(), p.size(), p.lastModified()))
                .toList();
    }

    @PostMapping("/{uploadId}/complete")
    @Metered(UploadMetrics.Operation.MULTIPART)
    ResponseEntity<Object> complete(
            @PathVariable String uploadId,
            @RequestParam(required = false) String key,
            @RequestBody CompleteRequest body,
            HttpServletRequest http) {
        UploadRequests.requireJsonAccepted(http);
        String checked = checkedKey(key, http);
        String id = UploadRequests.uploadId(uploadId);
        if (body == null || body.parts() == null || body.parts().isEmpty()) {
            throw new Refused(
                    HttpStatus.BAD_REQUEST,
                    "parts",
                    "is required: send {\"parts\": [{\"PartNumber\": 1,"
                            + " \"ETag\": \"…\"}, …]} with every part's number and the ETag its upload answered");
        }
        List<MultipartUploads.Part> claimed = body.parts().stream()
                .map(p -> {
                    UploadRequests.partNumber(String.valueOf(p.partNumber()));
                    return new MultipartUploads.Part(p.partNumber(), p.eTag(), 0, null);
                })
                .toList();
        boolean validate = properties.getWeb().isValidateOnComplete();
        try {
            uploads.complete(checked, id, claimed);
            metrics.record(UploadMetrics.Operation.MULTIPART, "completed");
        } catch (MultipartException e) {
            boolean completedBefore =
                    e.code().equals("no-such-upload") || e.code().equals("no-parts");
            if (!validate || !completedBefore) {
                throw e;
            }
            try { // a retried complete, whose first answer was lost: the object is there, or promoted already
                return validation.validate(checked, UploadRequests.principal(http));
            } catch (ObjectNotFoundException notThere) {
                throw e;
            }
        }
        if (validate) {
            return validation.validate(checked, UploadRequests.principal(http));
        }
        return ResponseEntity.ok(new Completed(validation.location(checked), checked, uploads.bucket()));
    }

    @DeleteMapping("/{uploadId}")
    @Metered(UploadMetrics.Operation.MULTIPART)
    Map<String, Object> abort(
            @PathVariable String uploadId, @RequestParam(required = false) String key, HttpServletRequest http) {
        UploadRequests.requireJsonAccepted(http);
        uploads.abort(checkedKey(key, http), UploadRequests.uploadId(uploadId));
        metrics.record(UploadMetrics.Operation.MULTIPART, "aborted");
        return Map.of();
    }

    private String checkedKey(String key, HttpServletRequest http) {
        return UploadRequests.key(keys, key, UploadRequests.principal(http));
    }
}
