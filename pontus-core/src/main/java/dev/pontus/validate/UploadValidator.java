package dev.pontus.validate;

import static java.util.Objects.requireNonNull;

import dev.pontus.PontusException;
import dev.pontus.internal.Text;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Checks what a browser uploaded and, when it is valid, moves it from the unvalidated prefix to its final key.
 * Thread-safe; build one and share it.
 *
 * <pre>{@code
 * UploadValidator validator = UploadValidator.builder()
 *         .s3(s3Client)
 *         .bucket("photos")
 *         .unvalidatedPrefix("unvalidated/")           // the signer's prefix; removed at promotion
 *         .validators(Validators.fileSize(1, 10 << 20), Validators.allowTypes("image/*"))
 *         .build();
 * ValidationResult result = validator.validate("unvalidated/1f0c.../cat.jpg");
 * if (result instanceof ValidationResult.Valid valid) { ... valid.key() is "1f0c.../cat.jpg" ... }
 * }</pre>
 *
 * <p>Validation costs one ranged GET of the object's head (64 KiB by default), whatever its size; its response
 * also gives the size, ETag, Content-Type and metadata. Promotion is a server-side copy conditional on the
 * validated ETag, so an object replaced after validation is never promoted; the original is deleted only after
 * the copy succeeded, so a valid file is never lost.
 */
public final class UploadValidator {
    private static final Logger log = LoggerFactory.getLogger(UploadValidator.class);
    public static final int DEFAULT_HEAD_BYTES = 64 * 1024;

    private final S3Client s3;
    private final String bucket;
    private final List<Validator> validators;
    private final int headBytes;
    private final String unvalidatedPrefix;
    private final String validatedPrefix;
    private final ObjectCannedACL acl;
    private final boolean deleteUnvalidated;
    private final boolean deleteInvalid;

    private UploadValidator(Builder b) {
        this.s3 = requireNonNull(b.s3, "s3: is not set; give the S3Client that reads the bucket");
        if (b.bucket == null || b.bucket.isBlank()) {
            throw new IllegalArgumentException("bucket: is not set; give the bucket uploads go to");
        }
        this.bucket = b.bucket;
        this.validators = List.copyOf(b.validators);
        this.headBytes = b.headBytes;
        this.unvalidatedPrefix = b.unvalidatedPrefix;
        this.validatedPrefix = b.validatedPrefix;
        this.acl = b.acl;
        this.deleteUnvalidated = b.deleteUnvalidated;
        this.deleteInvalid = b.deleteInvalid;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String bucket() {
        return bucket;
    }

    public String unvalidatedPrefix() {
        return unvalidatedPrefix;
    }

    /** The validators, in the order they run. */
    public List<Validator> validators() {
        return validators;
    }

    /**
     * Checks the upload at {@code key}, then promotes it when valid, or deletes it when invalid and so configured.
     *
     * @throws IllegalArgumentException when the key is outside the unvalidated prefix
     * @throws ObjectNotFoundException  when there is no object at the key (for instance, already promoted)
     * @throws PromotionException       when a valid upload could not be copied; it is still at {@code key}
     */
    public ValidationResult validate(String key) {
        ValidationResult result = check(key);
        if (result instanceof ValidationResult.Valid valid) {
            return promote(valid);
        }
        ValidationResult.Invalid invalid = (ValidationResult.Invalid) result;
        if (!deleteInvalid) {
            return invalid;
        }
        try {
            s3.deleteObject(b -> b.bucket(bucket).key(key));
            return new ValidationResult.Invalid(invalid.upload(), invalid.violations(), true);
        } catch (SdkException e) {
            log.warn("Could not delete invalid upload s3://{}/{}: {}", bucket, key, e.getMessage());
            return invalid;
        }
    }

    /** Reads the upload's head once and runs every validator on it; changes nothing in the bucket. */
    public ValidationResult check(String key) {
        checkKey(key);
        UploadedObject upload = read(key);
        List<Violation> violations = new ArrayList<>();
        for (Validator validator : validators) {
            violations.addAll(validator.validate(upload));
        }
        return violations.isEmpty() ? new ValidationResult.Valid(upload, key, false, List.of())
                : new ValidationResult.Invalid(upload, violations, false);
    }

    /**
     * Copies a valid upload from the unvalidated prefix to its final key, keeping Content-Type and metadata, if
     * it has not changed since it was checked; then deletes the original (if so configured). An upload outside
     * the unvalidated prefix (no prefix configured) stays where it is.
     */
    public ValidationResult.Valid promote(ValidationResult.Valid valid) {
        String key = valid.upload().key();
        if (unvalidatedPrefix.isEmpty() || valid.promoted()) {
            return valid;
        }
        checkKey(key);
        String target = finalKey(key);
        String eTag = valid.upload().eTag();
        try {
            s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(key).destinationBucket(bucket).destinationKey(target)
                    .copySourceIfMatch(eTag).metadataDirective(MetadataDirective.COPY).acl(acl));
        } catch (S3Exception e) {
            boolean changed = e.statusCode() == 412 || e.statusCode() == 404;
            throw new PromotionException(key, target, changed, changed
                    ? "s3://" + bucket + "/" + key + " changed or vanished after it was validated; it was not promoted."
                    + " Validate it again."
                    : "Copying s3://" + bucket + "/" + key + " to " + target + " failed (" + e.statusCode()
                    + "); nothing was deleted.", e);
        }
        List<String> warnings = new ArrayList<>();
        if (deleteUnvalidated) {
            try {
                s3.deleteObject(b -> b.bucket(bucket).key(key));
            } catch (SdkException e) {
                String warning = "Promoted to " + target + ", but the original " + key + " could not be deleted: "
                        + e.getMessage();
                log.warn(warning);
                warnings.add(warning);
            }
        }
        return new ValidationResult.Valid(valid.upload(), target, true, warnings);
    }

    /** Where a valid upload at {@code key} ends up: the unvalidated prefix replaced by the validated one. */
    public String finalKey(String key) {
        return unvalidatedPrefix.isEmpty() ? key : validatedPrefix + key.substring(unvalidatedPrefix.length());
    }

    private void checkKey(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("key: is empty; give the key the browser uploaded to");
        }
        if (!key.startsWith(unvalidatedPrefix) || key.length() == unvalidatedPrefix.length()) {
            throw new IllegalArgumentException("key: '" + key + "' is not under the unvalidated prefix '"
                    + unvalidatedPrefix + "'; only uploads there can be validated");
        }
        Text.requireNoControlCharacters("key", key);
        for (String segment : key.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("key: '" + key + "' has a '" + segment + "' segment; give the key"
                        + " exactly as it was signed");
            }
        }
    }

    private UploadedObject read(String key) {
        GetObjectRequest head = GetObjectRequest.builder().bucket(bucket).key(key)
                .range("bytes=0-" + (headBytes - 1)).build();
        try {
            return read(key, head);
        } catch (S3Exception e) {
            if (e.statusCode() != 416) {
                throw e;
            }
            // S3 refuses any range of an empty object; read it whole, which is nothing.
            return read(key, GetObjectRequest.builder().bucket(bucket).key(key).build());
        }
    }

    private UploadedObject read(String key, GetObjectRequest request) {
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(request)) {
            GetObjectResponse response = in.response();
            byte[] head = in.readNBytes(headBytes);
            long length = response.contentLength() == null ? head.length : response.contentLength();
            if (length > head.length) {
                in.abort(); // the server sent more than asked: do not download it
            }
            long size = totalSize(response.contentRange(), length);
            String fileName = key.substring(key.lastIndexOf('/') + 1);
            return new UploadedObject(bucket, key, size, response.contentType(), response.metadata(), response.eTag(),
                    response.lastModified(), MimeSniffer.detect(head, fileName), head);
        } catch (NoSuchKeyException e) {
            throw notFound(key, e);
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw notFound(key, e);
            }
            if (e.statusCode() == 416) {
                throw e;
            }
            throw new PontusException("Reading s3://" + bucket + "/" + key + " failed (" + e.statusCode() + "): "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new PontusException("Reading s3://" + bucket + "/" + key + " failed: " + e.getMessage(), e);
        }
    }

    /** "bytes 0-65535/104857600" gives 104857600; without a Content-Range the body was the whole object. */
    private static long totalSize(String contentRange, long contentLength) {
        if (contentRange != null) {
            int slash = contentRange.lastIndexOf('/');
            if (slash >= 0 && !contentRange.endsWith("*")) {
                return Long.parseLong(contentRange.substring(slash + 1).trim());
            }
        }
        return contentLength;
    }

    private ObjectNotFoundException notFound(String key, Exception cause) {
        String target = finalKey(key);
        boolean promoted = false;
        if (!unvalidatedPrefix.isEmpty()) {
            try {
                s3.headObject(b -> b.bucket(bucket).key(target));
                promoted = true;
            } catch (SdkException e) {
                // not there either
            }
        }
        return new ObjectNotFoundException(bucket, key, promoted
                ? "No upload at s3://" + bucket + "/" + key + ": it was already validated and promoted to " + target
                : "No upload at s3://" + bucket + "/" + key + ": it was never uploaded, or was deleted", cause);
    }

    /** Builds an {@link UploadValidator}. */
    public static final class Builder {
        private S3Client s3;
        private String bucket;
        private final List<Validator> validators = new ArrayList<>();
        private int headBytes = DEFAULT_HEAD_BYTES;
        private String unvalidatedPrefix = "";
        private String validatedPrefix = "";
        private ObjectCannedACL acl;
        private boolean deleteUnvalidated = true;
        private boolean deleteInvalid;

        private Builder() {
        }

        public Builder s3(S3Client s3) {
            this.s3 = requireNonNull(s3, "s3");
            return this;
        }

        public Builder bucket(String bucket) {
            this.bucket = bucket;
            return this;
        }

        /** Adds validators, run in order; every violation of every validator is reported. */
        public Builder validators(Validator... validators) {
            return validators(List.of(validators));
        }

        public Builder validators(List<? extends Validator> validators) {
            this.validators.addAll(validators);
            return this;
        }

        /** How many bytes of the object's head are read and sniffed (default 64 KiB). */
        public Builder headBytes(int headBytes) {
            if (headBytes < 512 || headBytes > 16 * 1024 * 1024) {
                throw new IllegalArgumentException("headBytes: " + headBytes + " is outside 512 .. 16 MiB; Tika needs"
                        + " a few KiB to sniff most types, 64 KiB (the default) covers them");
            }
            this.headBytes = headBytes;
            return this;
        }

        /**
         * The prefix uploads land under before validation, as given to the signer (default: none). With a prefix,
         * only keys under it are validated, and valid ones are promoted out of it.
         */
        public Builder unvalidatedPrefix(String prefix) {
            this.unvalidatedPrefix = requireNonNull(prefix, "unvalidatedPrefix");
            return this;
        }

        /** A prefix put before a promoted key (default: none). */
        public Builder validatedPrefix(String prefix) {
            this.validatedPrefix = requireNonNull(prefix, "validatedPrefix");
            return this;
        }

        /** A canned ACL for the promoted object (default: none, the bucket's own setting). */
        public Builder acl(ObjectCannedACL acl) {
            this.acl = acl;
            return this;
        }

        /** Whether the original is deleted after a good copy (default: true). */
        public Builder deleteUnvalidated(boolean delete) {
            this.deleteUnvalidated = delete;
            return this;
        }

        /** Whether an invalid upload is deleted (default: false, kept for inspection). */
        public Builder deleteInvalid(boolean delete) {
            this.deleteInvalid = delete;
            return this;
        }

        public UploadValidator build() {
            if (!unvalidatedPrefix.isEmpty() && validatedPrefix.startsWith(unvalidatedPrefix)) {
                throw new IllegalArgumentException("validatedPrefix: '" + validatedPrefix + "' is inside the unvalidated"
                        + " prefix '" + unvalidatedPrefix + "'; promoted files must leave it");
            }
            return new UploadValidator(this);
        }
    }
}
