package dev.pontus.spring;

import dev.pontus.validate.UploadPromoter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Pontus's settings, under {@code pontus.*}. Only {@code pontus.bucket} is required. Bindable without an application
 * context: {@code Binder.get(environment).bindOrCreate("pontus", PontusProperties.class)}; {@link PontusRules} turns
 * them into validation rules. {@link #toString()} never shows the keys or the key secret.
 */
@ConfigurationProperties("pontus")
public class PontusProperties {
    /** The S3 bucket browsers upload to. Required. */
    private String bucket;

    /** The bucket's AWS region, such as eu-west-1. Default: the AWS region provider chain (AWS_REGION, profile). */
    private String region;

    /** A custom S3-compatible endpoint, such as http://127.0.0.1:9000. Default: AWS. */
    private URI endpoint;

    /** Whether to address the bucket as endpoint/bucket rather than bucket.endpoint; most local stores need it. */
    private boolean pathStyleAccess;

    /**
     * The access key id, for a store with keys of its own (MinIO, S3Proxy); set with secret-key. Default: Spring Cloud
     * AWS's credentials when present, else the AWS default chain (environment, profile, instance or pod role).
     */
    private String accessKey;

    /** The secret access key that goes with access-key; never logged or shown. */
    private String secretKey;

    /**
     * Whether start-up fails when the store cannot be used (no credentials, a missing or unreachable bucket). When
     * false the app starts anyway and the endpoints answer 503 naming the cause until the store is usable.
     */
    private boolean failFast = true;

    /** The key prefix uploads land under until they are validated. */
    private String unvalidatedPrefix = "unvalidated/";

    /** A key prefix put before validated files when they are promoted. */
    private String validatedPrefix = "";

    /** The smallest file accepted. */
    private DataSize minFileSize = DataSize.ofBytes(1);

    /** The largest file accepted; S3 itself refuses larger uploads. */
    private DataSize maxFileSize = DataSize.ofMegabytes(20);

    /** The MIME types accepted, exact or wildcards such as image/*; checked when signing and on the content. Empty for any. */
    private List<String> allowedContentTypes = new ArrayList<>();

    /**
     * The MIME types refused even when allowed, exact or wildcards such as image/svg+xml or video/*; checked when
     * signing and on the content.
     */
    private List<String> deniedContentTypes = new ArrayList<>();

    /** How long a signed upload policy stays valid. */
    private Duration policyExpiry = Duration.ofMinutes(10);

    /** A canned ACL for validated files, such as public-read. Default: none (the bucket's setting). */
    private String acl;

    /**
     * Whether an upload that fails validation is deleted (its checked version only). True here, where browsers
     * upload anything: nothing invalid lingers. Core's UploadPromoter keeps it by default (deleteInvalid(false)),
     * for libraries that inspect refused files before deleting them.
     */
    private boolean deleteInvalid = true;

    /** Whether the original under unvalidated-prefix is deleted once the valid file is copied to its final key. */
    private boolean deleteUnvalidated = true;

    /** How much of each file's start is read to detect its type and scan it (core's headBytes), 512B to 16MB. */
    private DataSize headSize = DataSize.ofBytes(UploadPromoter.DEFAULT_HEAD_BYTES);

    /** How much of each file's end is also read for the markup scan (core's tailBytes); 0B reads the head only. */
    private DataSize tailSize = DataSize.ofBytes(UploadPromoter.DEFAULT_TAIL_BYTES);

    /** The largest image accepted, in pixels (width x height), read from the header: stops decompression bombs. */
    private long maxImagePixels = 100_000_000;

    /**
     * Whether an image whose dimensions cannot be read (an unknown format, or a header hidden beyond the few small
     * reads allowed) is refused as image-unreadable, so the pixel cap cannot be dodged.
     */
    private boolean requireImageDimensions = true;

    /**
     * The secret that makes upload keys their own credential (a MAC over the random id, the file name and the user);
     * give every instance the same one (32+ characters). Default: random per process, so only that process accepts
     * its keys.
     */
    private String keySecret;

    /** Objects larger than this are promoted by a multipart copy; 5GB is the most one CopyObject copies on AWS. */
    private DataSize multipartCopyThreshold = DataSize.ofBytes(5L * 1024 * 1024 * 1024);

    /**
     * Whether files whose content runs as script in a browser (HTML, XHTML, SVG, XML, JavaScript, server pages) may
     * pass validation. They are refused by default, even without an allow list.
     */
    private boolean allowActiveContent;

    /**
     * Whether a valid file whose declared type is missing or wrong (a PNG named photo.jpg) is promoted with the type
     * of its content; when false it keeps the declared type. Add Validators.declaredTypeMatches() as a Validator
     * bean to refuse such files instead.
     */
    private boolean correctContentType = true;

    /** How long one S3 call of a validation may take, the SDK's retries included. */
    private Duration s3CallTimeout = Duration.ofSeconds(10);

    /** How long a whole validation (read, check, copy, delete) may take before the client is answered 502. */
    private Duration validationTimeout = Duration.ofSeconds(25);

    /**
     * How much of each image or PDF the markup scan reads: head-and-tail (the first and last 64 KiB, constant in the
     * file's size) or full (the whole file, up to full-scan-max-size; larger ones are refused), for apps that serve
     * uploads in risky ways. A full scan reads every byte once more: allow for it in validation-timeout.
     */
    private Scan scan = Scan.HEAD_AND_TAIL;

    /** With scan=full, the largest image or PDF accepted (it is read whole). */
    private DataSize fullScanMaxSize = DataSize.ofMegabytes(100);

    private final Web web = new Web();

    /** How much of a file the markup scan reads. */
    public enum Scan {
        /** The first and last 64 KiB. */
        HEAD_AND_TAIL,
        /** Every byte, up to {@code pontus.full-scan-max-size}. */
        FULL
    }

    /** The HTTP endpoints that upload widgets call. */
    public static class Web {
        /** Whether the endpoints are served: params, validate and the multipart routes. */
        private boolean enabled = true;

        /** The path the endpoints are served under: {base}/params, {base}/validate and {base}/multipart. */
        private String basePath = "/s3";

        /**
         * Origins of front ends on another origin that may call the endpoints (CORS, as Companion's corsOrigins),
         * such as https://app.example.com. Default: none, same origin only.
         */
        private List<String> allowedOrigins = new ArrayList<>();

        /**
         * Whether completing a multipart upload also validates and promotes it before answering, so that the
         * widget's success carries the final key, and an invalid file is an error on its row.
         */
        private boolean validateOnComplete = true;

        /**
         * On Tomcat, how long a client may take to send a whole request, headers and body, from its first byte;
         * slower ones are cut (Tomcat's own timeouts are per read, so a client trickling a byte a second is never
         * cut by them). Unset: Tomcat's timeouts only. 10s suits the starter's routes, which take small JSON bodies.
         */
        private Duration requestDeadline;

        public Duration getRequestDeadline() {
            return requestDeadline;
        }

        public void setRequestDeadline(Duration requestDeadline) {
            this.requestDeadline = requestDeadline;
        }

        public List<String> getAllowedOrigins() {
            return allowedOrigins;
        }

        public void setAllowedOrigins(List<String> allowedOrigins) {
            this.allowedOrigins = allowedOrigins;
        }

        public boolean isValidateOnComplete() {
            return validateOnComplete;
        }

        public void setValidateOnComplete(boolean validateOnComplete) {
            this.validateOnComplete = validateOnComplete;
        }

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getBasePath() {
            return basePath;
        }

        public void setBasePath(String basePath) {
            this.basePath = basePath;
        }
    }

    public DataSize getMultipartCopyThreshold() {
        return multipartCopyThreshold;
    }

    public void setMultipartCopyThreshold(DataSize multipartCopyThreshold) {
        this.multipartCopyThreshold = multipartCopyThreshold;
    }

    public Scan getScan() {
        return scan;
    }

    public void setScan(Scan scan) {
        this.scan = scan;
    }

    public DataSize getFullScanMaxSize() {
        return fullScanMaxSize;
    }

    public void setFullScanMaxSize(DataSize fullScanMaxSize) {
        this.fullScanMaxSize = fullScanMaxSize;
    }

    public String getBucket() {
        return bucket;
    }

    public void setBucket(String bucket) {
        this.bucket = bucket;
    }

    public String getRegion() {
        return region;
    }

    public void setRegion(String region) {
        this.region = region;
    }

    public URI getEndpoint() {
        return endpoint;
    }

    public void setEndpoint(URI endpoint) {
        this.endpoint = endpoint;
    }

    public String getAccessKey() {
        return accessKey;
    }

    public void setAccessKey(String accessKey) {
        this.accessKey = accessKey;
    }

    public String getSecretKey() {
        return secretKey;
    }

    public void setSecretKey(String secretKey) {
        this.secretKey = secretKey;
    }

    public boolean isFailFast() {
        return failFast;
    }

    public void setFailFast(boolean failFast) {
        this.failFast = failFast;
    }

    public boolean isPathStyleAccess() {
        return pathStyleAccess;
    }

    public void setPathStyleAccess(boolean pathStyleAccess) {
        this.pathStyleAccess = pathStyleAccess;
    }

    public String getUnvalidatedPrefix() {
        return unvalidatedPrefix;
    }

    public void setUnvalidatedPrefix(String unvalidatedPrefix) {
        this.unvalidatedPrefix = unvalidatedPrefix;
    }

    public String getValidatedPrefix() {
        return validatedPrefix;
    }

    public void setValidatedPrefix(String validatedPrefix) {
        this.validatedPrefix = validatedPrefix;
    }

    public DataSize getMinFileSize() {
        return minFileSize;
    }

    public void setMinFileSize(DataSize minFileSize) {
        this.minFileSize = minFileSize;
    }

    public DataSize getMaxFileSize() {
        return maxFileSize;
    }

    public void setMaxFileSize(DataSize maxFileSize) {
        this.maxFileSize = maxFileSize;
    }

    public List<String> getAllowedContentTypes() {
        return allowedContentTypes;
    }

    public void setAllowedContentTypes(List<String> allowedContentTypes) {
        this.allowedContentTypes = allowedContentTypes;
    }

    public List<String> getDeniedContentTypes() {
        return deniedContentTypes;
    }

    public void setDeniedContentTypes(List<String> deniedContentTypes) {
        this.deniedContentTypes = deniedContentTypes;
    }

    public Duration getPolicyExpiry() {
        return policyExpiry;
    }

    public void setPolicyExpiry(Duration policyExpiry) {
        this.policyExpiry = policyExpiry;
    }

    public String getAcl() {
        return acl;
    }

    public void setAcl(String acl) {
        this.acl = acl;
    }

    public boolean isDeleteInvalid() {
        return deleteInvalid;
    }

    public void setDeleteInvalid(boolean deleteInvalid) {
        this.deleteInvalid = deleteInvalid;
    }

    public boolean isDeleteUnvalidated() {
        return deleteUnvalidated;
    }

    public void setDeleteUnvalidated(boolean deleteUnvalidated) {
        this.deleteUnvalidated = deleteUnvalidated;
    }

    public DataSize getHeadSize() {
        return headSize;
    }

    public void setHeadSize(DataSize headSize) {
        this.headSize = headSize;
    }

    public DataSize getTailSize() {
        return tailSize;
    }

    public void setTailSize(DataSize tailSize) {
        this.tailSize = tailSize;
    }

    public boolean isRequireImageDimensions() {
        return requireImageDimensions;
    }

    public void setRequireImageDimensions(boolean requireImageDimensions) {
        this.requireImageDimensions = requireImageDimensions;
    }

    public long getMaxImagePixels() {
        return maxImagePixels;
    }

    public void setMaxImagePixels(long maxImagePixels) {
        this.maxImagePixels = maxImagePixels;
    }

    public String getKeySecret() {
        return keySecret;
    }

    public void setKeySecret(String keySecret) {
        this.keySecret = keySecret;
    }

    public boolean isAllowActiveContent() {
        return allowActiveContent;
    }

    public void setAllowActiveContent(boolean allowActiveContent) {
        this.allowActiveContent = allowActiveContent;
    }

    public boolean isCorrectContentType() {
        return correctContentType;
    }

    public void setCorrectContentType(boolean correctContentType) {
        this.correctContentType = correctContentType;
    }

    public Duration getS3CallTimeout() {
        return s3CallTimeout;
    }

    public void setS3CallTimeout(Duration s3CallTimeout) {
        this.s3CallTimeout = s3CallTimeout;
    }

    public Duration getValidationTimeout() {
        return validationTimeout;
    }

    public void setValidationTimeout(Duration validationTimeout) {
        this.validationTimeout = validationTimeout;
    }

    public Web getWeb() {
        return web;
    }

    @Override
    public String toString() {
        return "PontusProperties[bucket=" + bucket + ", region=" + region + ", endpoint=" + endpoint + ", accessKey="
                + (accessKey == null ? "(chain)" : "(redacted)") + ", secretKey="
                + (secretKey == null ? "(chain)" : "(redacted)") + ", keySecret="
                + (keySecret == null ? "(random)" : "(redacted)") + "]";
    }
}
