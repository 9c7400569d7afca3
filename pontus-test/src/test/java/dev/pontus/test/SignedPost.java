package dev.pontus.test;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.net.URI;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A browser POST signed with SigV4 for a key prefix, as a server would sign it; pontus-core's signer cannot be used
 * here (pontus-core's tests depend on this module). LocalS3 checks the signature and the policy.
 */
final class SignedPost {
    private SignedPost() {}

    static BrowserPost.Response upload(
            URI endpoint, LocalS3 s3, String bucket, String keyField, String filename, byte[] content) {
        Instant now = Instant.now();
        String date =
                DateTimeFormatter.ofPattern("uuuuMMdd").withZone(ZoneOffset.UTC).format(now);
        String amzDate = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'")
                .withZone(ZoneOffset.UTC)
                .format(now);
        String credential = s3.accessKey() + "/" + date + "/us-east-1/s3/aws4_request";
        String prefix = keyField.substring(0, keyField.lastIndexOf('/') + 1);
        String policy = "{\"expiration\":\""
                + DateTimeFormatter.ISO_INSTANT.format(
                        now.plus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS))
                + "\",\"conditions\":[{\"bucket\":\"" + bucket + "\"},[\"starts-with\",\"$key\",\"" + prefix + "\"],"
                + "{\"x-amz-algorithm\":\"AWS4-HMAC-SHA256\"},{\"x-amz-credential\":\"" + credential + "\"},"
                + "{\"x-amz-date\":\"" + amzDate + "\"},[\"starts-with\",\"$Content-Type\",\"\"]]}";
        String encoded = Base64.getEncoder().encodeToString(policy.getBytes(UTF_8));
        byte[] key = hmac(("AWS4" + s3.secretKey()).getBytes(UTF_8), date);
        key = hmac(key, "us-east-1");
        key = hmac(key, "s3");
        key = hmac(key, "aws4_request");
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("key", keyField);
        fields.put("Content-Type", "text/plain");
        fields.put("x-amz-algorithm", "AWS4-HMAC-SHA256");
        fields.put("x-amz-credential", credential);
        fields.put("x-amz-date", amzDate);
        fields.put("policy", encoded);
        fields.put("x-amz-signature", HexFormat.of().formatHex(hmac(key, encoded)));
        return BrowserPost.post(endpoint.resolve("/" + bucket + "/"), fields, filename, "text/plain", content);
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
