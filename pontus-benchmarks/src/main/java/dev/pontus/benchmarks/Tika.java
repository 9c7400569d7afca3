package dev.pontus.benchmarks;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.mime.MimeTypes;

/** The MIME sniff Pontus runs (Tika's magic database on the bytes), for peers measured beside it. */
final class Tika {
    private static final MimeTypes TYPES = MimeTypes.getDefaultMimeTypes();

    private Tika() {}

    static String detect(byte[] bytes) {
        try {
            return TYPES.detect(new ByteArrayInputStream(bytes), new Metadata()).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
