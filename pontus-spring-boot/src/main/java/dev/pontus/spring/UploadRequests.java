package dev.pontus.spring;

import dev.pontus.S3Names;
import dev.pontus.multipart.MultipartUploads;
import dev.pontus.validate.Validators;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

/** What the endpoints take from clients, cleaned or refused with the field and the fix; no I/O. */
final class UploadRequests {
    static final int MAX_FILE_NAME = 120;
    static final int MAX_METADATA_BYTES = 2048; // S3's limit on user metadata

    private UploadRequests() {}

    /** The types the app accepts ({@code pontus.allowed-content-types}), parsed once; none listed: any. */
    record AllowedTypes(
            List<String> patterns, Predicate<String> matcher, List<String> denied, Predicate<String> refused) {
        static AllowedTypes of(List<String> patterns) {
            return of(patterns, List.of());
        }

        /** {@code patterns} allowed (all when empty), but none of {@code denied}. */
        static AllowedTypes of(List<String> patterns, List<String> denied) {
            return new AllowedTypes(
                    List.copyOf(patterns),
                    patterns.isEmpty() ? type -> true : Validators.typeMatcher(patterns),
                    List.copyOf(denied),
                    denied.isEmpty() ? type -> false : Validators.typeMatcher(denied));
        }

        boolean test(String type) {
            return matcher.test(type) && !refused.test(type);
        }

        /** What is accepted, for a message: "allowed: image/*; refused: image/svg+xml". */
        String describe() {
            String allowed = patterns.isEmpty() ? "any type" : String.join(", ", patterns);
            return "allowed: " + allowed + (denied.isEmpty() ? "" : "; refused: " + String.join(", ", denied));
        }
    }

    /** A plain file name: no path, no control characters; odd characters become '_'; length-limited. */
    static String fileName(String filename) {
        if (filename == null || filename.isBlank()) {
            throw new Refused(HttpStatus.BAD_REQUEST, "filename", "is required: send the file's name");
        }
        noControlCharacters("filename", filename);
        if (filename.contains("/") || filename.contains("\\") || filename.equals(".") || filename.equals("..")) {
            throw new Refused(
                    HttpStatus.BAD_REQUEST,
                    "filename",
                    "must be a file name, not a path; remove '/', '\\'" + " and '..'");
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

    /**
     * The declared type in canonical form ({@code image/jpg} is image/jpeg), if {@code allowed} (empty: any). A file
     * the browser could not type ({@code application/octet-stream} or nothing) is let through, to be judged by its
     * content after the upload.
     */
    static String contentType(String type, AllowedTypes allowed) {
        String declared = type == null || type.isBlank() ? "application/octet-stream" : type.strip();
        if (!declared.matches("[\\w.+-]+/[\\w.+-]+")) {
            throw new Refused(
                    HttpStatus.BAD_REQUEST, "type", "'" + declared + "' is not a MIME type such as" + " image/jpeg");
        }
        String canonical = Validators.canonicalType(declared);
        if (!canonical.equals("application/octet-stream") && !allowed.test(canonical)) {
            throw new Refused(
                    HttpStatus.BAD_REQUEST, "type", "'" + declared + "' is not accepted; " + allowed.describe());
        }
        return canonical;
    }

    /**
     * User metadata for S3: names of 1-64 letters, digits, '-' or '_' (lower-cased), values without control
     * characters (non-ASCII URL-encoded, as S3 metadata is US-ASCII), at most 2 KiB in all.
     */
    static Map<String, String> metadata(Map<String, String> given) {
        Map<String, String> metadata = new LinkedHashMap<>();
        int bytes = 0;
        for (Map.Entry<String, String> entry : given.entrySet()) {
            String field = "metadata[" + entry.getKey() + "]";
            String name = entry.getKey().toLowerCase(Locale.ROOT);
            if (!name.matches("[a-z0-9_-]{1,64}")) {
                throw new Refused(
                        HttpStatus.BAD_REQUEST, field, "metadata names are 1-64 letters, digits, '-' or" + " '_'");
            }
            if (name.equals(UploadKeys.UPLOADER_METADATA)) {
                throw new Refused(
                        HttpStatus.BAD_REQUEST, field, "is set by the server to the signed-in user; leave it out");
            }
            String value = entry.getValue() == null ? "" : entry.getValue();
            noControlCharacters(field, value);
            if (value.chars().anyMatch(c -> c > 0x7e)) {
                value = URLEncoder.encode(value, StandardCharsets.UTF_8);
            }
            bytes += name.length() + value.length();
            if (bytes > MAX_METADATA_BYTES) {
                throw new Refused(
                        HttpStatus.BAD_REQUEST,
                        field,
                        "metadata is larger than S3's " + MAX_METADATA_BYTES + "-byte limit; send less");
            }
            metadata.put(name, value);
        }
        return metadata;
    }

    /** The key, if this server issued it to this user: 400 when missing, 403 otherwise, before S3 is touched. */
    static String key(UploadKeys keys, String key, String principal) {
        if (key == null || key.isBlank()) {
            throw new Refused(
                    HttpStatus.BAD_REQUEST,
                    "key",
                    "is required: send the key the params or multipart" + " answer gave");
        }
        String problem = keys.check(key, principal);
        if (problem != null) {
            throw new Refused(HttpStatus.FORBIDDEN, "key", problem);
        }
        return key;
    }

    /** An S3 upload id: printable ASCII without '/' or spaces, as S3 issues them. */
    static String uploadId(String uploadId) {
        if (uploadId == null || !uploadId.matches("[!-.0-~]{1,1024}")) {
            throw new Refused(
                    HttpStatus.BAD_REQUEST,
                    "uploadId",
                    "is not an upload id; send the uploadId the" + " multipart answer gave");
        }
        return uploadId;
    }

    /** A part number, 1..10,000. */
    static int partNumber(String partNumber) {
        try {
            int number = Integer.parseInt(partNumber.strip());
            if (number >= 1 && number <= 10_000) {
                return number;
            }
        } catch (NumberFormatException | NullPointerException e) {
            // refused below
        }
        throw new Refused(
                HttpStatus.BAD_REQUEST,
                "partNumber",
                "'" + partNumber + "' is not a part number; S3" + " numbers parts 1 to 10000");
    }

    /** A part's length in bytes, when the client gives it: 1 byte to 5 GiB; null when it does not. */
    static Long partSize(String size) {
        if (size == null || size.isBlank()) {
            return null;
        }
        try {
            long bytes = Long.parseLong(size.strip());
            if (bytes >= 1 && bytes <= MultipartUploads.MAX_PART_SIZE) {
                return bytes;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new Refused(
                HttpStatus.BAD_REQUEST,
                "size",
                "'" + size + "' is not a part size; send the part's length in bytes, 1 to "
                        + MultipartUploads.MAX_PART_SIZE + " (5 GiB)");
    }

    /**
     * That the client takes the JSON these routes answer: an {@code Accept} header, if any, that admits
     * {@code application/json} or problem details. Checked before anything is done, so a client that could not read
     * the answer never starts an upload or a promotion it would not hear about.
     */
    static void requireJsonAccepted(HttpServletRequest http) {
        Enumeration<String> accepts = http.getHeaders(HttpHeaders.ACCEPT);
        if (accepts == null || !accepts.hasMoreElements()) {
            return;
        }
        List<MediaType> accepted = new ArrayList<>();
        try {
            while (accepts.hasMoreElements()) {
                accepted.addAll(MediaType.parseMediaTypes(accepts.nextElement()));
            }
        } catch (InvalidMediaTypeException e) {
            throw notAcceptable();
        }
        if (accepted.isEmpty()
                || accepted.stream()
                        .anyMatch(type -> type.isCompatibleWith(MediaType.APPLICATION_JSON)
                                || type.isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))) {
            return;
        }
        throw notAcceptable();
    }

    private static Refused notAcceptable() {
        return new Refused(
                HttpStatus.NOT_ACCEPTABLE,
                "Accept",
                "these routes answer JSON only; send Accept: application/json (or */*, or no Accept header)");
    }

    /** Whether a request's Content-Type is JSON: a concrete type, which a wildcard such as {@code *}/* is not. */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return type.isConcrete() && MediaType.APPLICATION_JSON.isCompatibleWith(type);
        } catch (InvalidMediaTypeException e) {
            return false;
        }
    }

    private static void noControlCharacters(String field, String value) {
        try {
            S3Names.requireNoControlCharacters(field, value);
        } catch (IllegalArgumentException e) {
            throw new Refused(HttpStatus.BAD_REQUEST, field, e.getMessage());
        }
    }

    /** {@code metadata} with the uploader added ({@link UploadKeys#UPLOADER_METADATA}), unless anonymous. */
    static Map<String, String> withUploader(Map<String, String> metadata, String principal) {
        String uploader = UploadKeys.uploaderMetadata(principal);
        if (uploader == null) {
            return metadata;
        }
        Map<String, String> all = new LinkedHashMap<>(metadata);
        all.put(UploadKeys.UPLOADER_METADATA, uploader);
        return all;
    }

    static String principal(HttpServletRequest http) {
        Principal principal = http.getUserPrincipal();
        return principal == null ? "" : principal.getName();
    }
}
