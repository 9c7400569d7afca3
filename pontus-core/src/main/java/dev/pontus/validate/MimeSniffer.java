package dev.pontus.validate;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MediaTypeRegistry;
import org.apache.tika.mime.MimeTypes;

/**
 * Tells a file's MIME type from its bytes with Apache Tika's magic database. The bytes decide; the file name may
 * only refine a type the bytes already establish (a ZIP named {@code .docx} becomes a DOCX), never give a type
 * to bytes Tika does not recognise: random bytes or an empty file named {@code .jpg} stay
 * {@code application/octet-stream}.
 */
final class MimeSniffer {
    private static final MimeTypes TYPES = MimeTypes.getDefaultMimeTypes();
    /** Names browsers, phones and old apps send for common types, which Tika's registry does not all know. */
    private static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("image/jpg", "image/jpeg"),
            Map.entry("image/pjpeg", "image/jpeg"),
            Map.entry("image/x-citrix-jpeg", "image/jpeg"),
            Map.entry("image/x-png", "image/png"),
            Map.entry("image/x-citrix-png", "image/png"),
            Map.entry("image/x-ms-bmp", "image/bmp"),
            Map.entry("image/x-bmp", "image/bmp"),
            Map.entry("image/x-icon", "image/vnd.microsoft.icon"),
            Map.entry("image/ico", "image/vnd.microsoft.icon"),
            Map.entry("image/heic-sequence", "image/heic"),
            Map.entry("image/heif-sequence", "image/heif"),
            Map.entry("image/tif", "image/tiff"),
            Map.entry("image/x-tiff", "image/tiff"),
            Map.entry("application/x-pdf", "application/pdf"),
            Map.entry("application/acrobat", "application/pdf"),
            Map.entry("application/vnd.pdf", "application/pdf"),
            Map.entry("text/pdf", "application/pdf"),
            Map.entry("audio/mp3", "audio/mpeg"),
            Map.entry("audio/x-mp3", "audio/mpeg"),
            Map.entry("video/x-m4v", "video/mp4"),
            Map.entry("application/x-zip-compressed", "application/zip"));

    private MimeSniffer() {}

    /** The type of {@code head} (a file's first bytes), refined by {@code fileName} where the bytes allow. */
    static String detect(byte[] head, String fileName) {
        MediaType byBytes = detect(head, new Metadata());
        if (fileName == null || fileName.isEmpty() || byBytes.equals(MediaType.OCTET_STREAM)) {
            return byBytes.toString();
        }
        Metadata named = new Metadata();
        named.set(TikaCoreProperties.RESOURCE_NAME_KEY, fileName);
        MediaType byName = detect(null, named);
        return registry().isSpecializationOf(byName, byBytes) ? byName.toString() : byBytes.toString();
    }

    /** Whether {@code type} is {@code ancestor} or a kind of it in Tika's type hierarchy (DOCX is a ZIP). */
    static boolean isA(String type, String ancestor) {
        MediaType t = normalize(type);
        MediaType a = normalize(ancestor);
        return t != null && a != null && (t.equals(a) || registry().isSpecializationOf(t, a));
    }

    /** The canonical form of a type: lower case, no parameters, aliases resolved (image/jpg → image/jpeg). */
    static MediaType normalize(String type) {
        MediaType parsed = type == null ? null : MediaType.parse(type.trim().toLowerCase(Locale.ROOT));
        if (parsed == null) {
            return null;
        }
        String alias = ALIASES.get(parsed.getBaseType().toString());
        return registry().normalize(alias == null ? parsed.getBaseType() : MediaType.parse(alias));
    }

    /** The canonical name of {@code type} (image/jpg → image/jpeg), or {@code type} itself when it is no MIME type. */
    static String canonical(String type) {
        MediaType normalized = normalize(type);
        return normalized == null ? type : normalized.toString();
    }

    /**
     * The type a file declared {@code declared} and sniffed as {@code detected} should be served with, when the
     * declaration is missing, generic or contradicts the content; null when it agrees (either is a kind of the
     * other, as a DOCX declared {@code application/zip}) or the bytes tell nothing better.
     */
    static String correction(String declared, String detected) {
        if (detected.equals(MediaType.OCTET_STREAM.toString())) {
            return null;
        }
        MediaType given = normalize(declared);
        if (given == null || given.equals(MediaType.OCTET_STREAM)) {
            return detected;
        }
        return isA(detected, given.toString()) || isA(given.toString(), detected) ? null : detected;
    }

    private static MediaTypeRegistry registry() {
        return TYPES.getMediaTypeRegistry();
    }

    private static MediaType detect(byte[] head, Metadata metadata) {
        try {
            return TYPES.detect(head == null ? null : new ByteArrayInputStream(head), metadata);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
