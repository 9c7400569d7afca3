package dev.pontus.validate;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
public final class MimeSniffer {
    private static final MimeTypes TYPES = MimeTypes.getDefaultMimeTypes();

    private MimeSniffer() {
    }

    /** The type of {@code head} (a file's first bytes), refined by {@code fileName} where the bytes allow. */
    public static String detect(byte[] head, String fileName) {
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
    public static boolean isA(String type, String ancestor) {
        MediaType t = normalize(type);
        MediaType a = normalize(ancestor);
        return t != null && a != null && (t.equals(a) || registry().isSpecializationOf(t, a));
    }

    /** The canonical form of a type: lower case, no parameters, aliases resolved (image/jpg → image/jpeg). */
    public static MediaType normalize(String type) {
        MediaType parsed = type == null ? null : MediaType.parse(type.trim().toLowerCase(java.util.Locale.ROOT));
        return parsed == null ? null : registry().normalize(parsed.getBaseType());
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
