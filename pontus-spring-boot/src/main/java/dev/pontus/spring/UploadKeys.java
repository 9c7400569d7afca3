package dev.pontus.spring;

import dev.pontus.events.IssuedKeys;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Upload keys that are their own credential: {@code <prefix><random>.<mac>/<file name>}, promoted to
 * {@code <validated prefix><random>/<file name>} ({@link #finalName}), where the MAC (HMAC-SHA256,
 * 128 bits) covers the random part, the file name and the user it was issued to. Any instance holding the same
 * secret recognises the keys it issued, with no state: the validate and multipart routes take a key alone and
 * refuse one this server did not issue, or issued to another user, before S3 is touched.
 *
 * <p>The user a key was issued to also travels with the upload, as {@code x-amz-meta-pontus-uploader}: the POST
 * policy requires that exact value (an {@code eq} condition) and the multipart create sets it, so that an S3 event,
 * with no client call, still tells who uploaded the file, and the MAC proves it ({@link #owner}).
 */
final class UploadKeys implements IssuedKeys {
    /** The user metadata that carries the uploader, URL-encoded (S3 metadata is US-ASCII); absent when anonymous. */
    static final String UPLOADER_METADATA = "pontus-uploader";

    private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();
    private static final int RANDOM_BYTES = 12;
    private static final int MAC_BYTES = 16;
    /** A name as {@link #issue} makes it: 16 characters of id, '.', 22 of MAC, '/', the file name. */
    private static final Pattern ISSUED_NAME =
            Pattern.compile("([A-Za-z0-9_-]{16})\\.[A-Za-z0-9_-]{22}/([^/]+)", Pattern.DOTALL);

    private final byte[] secret;
    private final String prefix;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param secret at least 32 bytes, the same on every instance
     * @param prefix the unvalidated prefix keys are issued under
     */
    UploadKeys(byte[] secret, String prefix) {
        if (secret.length < 32) {
            throw new IllegalArgumentException("secret: must be at least 32 bytes, got " + secret.length);
        }
        this.secret = secret.clone();
        this.prefix = prefix;
    }

    /** A new key for a file named {@code fileName} (already cleaned: no '/'), for {@code principal} ("" if none). */
    String issue(String fileName, String principal) {
        byte[] bytes = new byte[RANDOM_BYTES];
        random.nextBytes(bytes);
        String id = BASE64.encodeToString(bytes);
        return prefix + id + "." + mac(id, fileName, principal) + "/" + fileName;
    }

    /** Why {@code key} is refused for {@code principal}, or null when this server issued it to them. */
    String check(String key, String principal) {
        if (key == null || !key.startsWith(prefix)) {
            return "was not issued by this server; use the key the params or multipart answer gave";
        }
        String rest = key.substring(prefix.length());
        int slash = rest.indexOf('/');
        int dot = slash < 0 ? -1 : rest.lastIndexOf('.', slash);
        if (dot <= 0 || rest.indexOf('/', slash + 1) >= 0) {
            return "was not issued by this server; use the key the params or multipart answer gave";
        }
        byte[] given = rest.substring(dot + 1, slash).getBytes(StandardCharsets.US_ASCII);
        byte[] expected = mac(rest.substring(0, dot), rest.substring(slash + 1), principal)
                .getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(given, expected)) {
            return "was not issued by this server to this user; upload again, signed in as the same user";
        }
        return null;
    }

    /**
     * The name a valid upload is promoted under: {@code <id>/<file name>}, the issued name below the prefix without
     * its MAC, so that no listing of promoted files shows the credential the upload was made with. The random id
     * keeps it distinct from every other upload's, and it is the same every time the upload is validated.
     */
    static String finalName(String issuedName) {
        Matcher issued = ISSUED_NAME.matcher(issuedName);
        return issued.matches() ? issued.group(1) + "/" + issued.group(2) : issuedName;
    }

    /**
     * The user {@code key} was issued to, from the uploader the upload's metadata carries ("" when none), if the
     * key's MAC holds for that user; empty for a key this server did not issue.
     */
    @Override
    public Optional<String> owner(String key, Map<String, String> metadata) {
        String uploader = metadata.getOrDefault(UPLOADER_METADATA, "");
        String principal;
        try {
            principal = URLDecoder.decode(uploader, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return check(key, principal) == null ? Optional.of(principal) : Optional.empty();
    }

    /** The uploader metadata for {@code principal}, or null when anonymous (no metadata then). */
    static String uploaderMetadata(String principal) {
        return principal.isEmpty() ? null : URLEncoder.encode(principal, StandardCharsets.UTF_8);
    }

    private String mac(String id, String fileName, String principal) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            byte[] digest = mac.doFinal(
                    ("pontus-key-v1\n" + id + "\n" + fileName + "\n" + principal).getBytes(StandardCharsets.UTF_8));
            return BASE64.encodeToString(Arrays.copyOf(digest, MAC_BYTES));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    @Override
    public String toString() {
        return "UploadKeys[prefix=" + prefix + ", secret=(redacted)]";
    }
}
