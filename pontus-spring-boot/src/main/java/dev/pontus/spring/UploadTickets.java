package dev.pontus.spring;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stateless upload tickets: an HMAC over the key, an expiry and the principal, so that a client can validate
 * only the uploads it was given, before they expire, and only as the user it was given them as. Any instance
 * holding the same secret accepts them.
 */
public final class UploadTickets {
    private final byte[] secret;
    private final Clock clock;

    public UploadTickets(byte[] secret, Clock clock) {
        if (secret.length < 32) {
            throw new IllegalArgumentException("secret: must be at least 32 bytes, got " + secret.length);
        }
        this.secret = secret.clone();
        this.clock = clock;
    }

    /** A ticket for {@code key}, valid until {@code expiresAt}, for {@code principal} ("" when anonymous). */
    public String issue(String key, String principal, Instant expiresAt) {
        long expires = expiresAt.getEpochSecond();
        return expires + "." + mac(key, principal, expires);
    }

    /** Why a ticket was refused, or null when it is good for {@code key} and {@code principal}. */
    public String check(String ticket, String key, String principal) {
        int dot = ticket == null ? -1 : ticket.indexOf('.');
        if (dot <= 0) {
            return "is malformed; use the ticket the params endpoint returned with this key";
        }
        long expires;
        try {
            expires = Long.parseLong(ticket.substring(0, dot));
        } catch (NumberFormatException e) {
            return "is malformed; use the ticket the params endpoint returned with this key";
        }
        byte[] given = ticket.substring(dot + 1).getBytes(StandardCharsets.US_ASCII);
        byte[] expected = mac(key, principal, expires).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(given, expected)) {
            return "does not match this key and user; use the ticket issued with this key, signed in as the same user";
        }
        if (clock.instant().getEpochSecond() > expires) {
            return "expired at " + Instant.ofEpochSecond(expires) + "; upload the file again";
        }
        return null;
    }

    private String mac(String key, String principal, long expires) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            byte[] digest = mac.doFinal(("pontus-ticket-v1\n" + key + "\n" + expires + "\n" + principal)
                    .getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    @Override
    public String toString() {
        return "UploadTickets[secret=(redacted)]";
    }
}
