package dev.pontus.sign;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The arithmetic of AWS Signature Version 4 for POST policies: the derived signing key and the hex HMAC of
 * the base64 policy.
 *
 * @see <a href="https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-authentication-HTTPPOST.html">
 *     Authenticating requests in browser-based uploads using POST (AWS Signature Version 4)</a>
 */
final class SigV4 {
    static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final String HMAC = "HmacSHA256";
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private SigV4() {}

    /** The credential scope's last parts: {@code date/region/s3/aws4_request}. */
    static String scope(String date, String region) {
        return date + "/" + region + "/s3/aws4_request";
    }

    /** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), "s3"), "aws4_request"). */
    static byte[] signingKey(String secret, String date, String region) {
        byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, region);
        key = hmac(key, "s3");
        return hmac(key, "aws4_request");
    }

    /** A Mac ready to sign with the given key; clone it per use, since a Mac is not thread-safe. */
    static Mac mac(byte[] key) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    static String hex(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = HEX[(bytes[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX[bytes[i] & 0xf];
        }
        return new String(out);
    }

    private static byte[] hmac(byte[] key, String data) {
        return mac(key).doFinal(data.getBytes(StandardCharsets.UTF_8));
    }
}
