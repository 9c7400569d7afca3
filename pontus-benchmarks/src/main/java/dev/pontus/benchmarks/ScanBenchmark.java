package dev.pontus.benchmarks;

import dev.pontus.validate.UploadedObject;
import dev.pontus.validate.Validator;
import dev.pontus.validate.Validators;
import dev.pontus.validate.Violation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.DeflaterOutputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The markup scan ({@link Validators#noEmbeddedMarkup()}) over one 64 KiB slice, the most a validation scans twice
 * (head and tail), against the MIME sniff every validation does on the same bytes (Tika's magic database, as Pontus uses it).
 * Content: a JPEG's compressed data (random bytes, the regex's worst case: many {@code <} and {@code o}) or a PDF's
 * text (many {@code /} names, and a compressed object stream to inflate). Throughput in MB/s is 64 KiB / time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ScanBenchmark {
    private static final int SLICE = 64 * 1024;

    @Param({"jpeg", "pdf"})
    public String content;

    private final Validator scanner = Validators.noEmbeddedMarkup();
    private UploadedObject upload;
    private byte[] bytes;

    @Setup
    public void setUp() {
        bytes = content.equals("jpeg") ? jpeg() : pdf();
        String type = content.equals("jpeg") ? "image/jpeg" : "application/pdf";
        upload = new UploadedObject(
                "bench",
                "unvalidated/x/file",
                bytes.length,
                type,
                Map.of(),
                "\"e\"",
                Instant.EPOCH,
                type,
                bytes,
                new byte[0]);
        if (!scanner.validate(upload).isEmpty()) {
            throw new IllegalStateException("the benchmark's " + content + " must be clean");
        }
    }

    @Benchmark
    public List<Violation> scan() {
        return scanner.validate(upload);
    }

    @Benchmark
    public String sniff() {
        return Tika.detect(bytes);
    }

    private static byte[] jpeg() {
        byte[] b = new byte[SLICE];
        new Random(1).nextBytes(b);
        byte[] header = {
            (byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0
        };
        System.arraycopy(header, 0, b, 0, header.length);
        return b;
    }

    private static byte[] pdf() {
        StringBuilder objects = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            objects.append("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>\n");
        }
        ByteArrayOutputStream deflated = new ByteArrayOutputStream();
        try (var out = new DeflaterOutputStream(deflated)) {
            out.write(objects.toString().getBytes(StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        StringBuilder text = new StringBuilder("%PDF-1.7\n9 0 obj\n<< /Type /ObjStm /N 60 /First 400 /Filter"
                + " /FlateDecode /Length " + deflated.size() + " >>\nstream\n");
        text.append(new String(deflated.toByteArray(), StandardCharsets.ISO_8859_1))
                .append("\nendstream\nendobj\n");
        for (int i = 1; text.length() < SLICE - 200; i++) {
            text.append(i)
                    .append(" 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font")
                    .append(" << /F1 5 0 R >> >> /Contents ")
                    .append(i + 1000)
                    .append(" 0 R /Annots [<< /Type /Annot")
                    .append(" /Subtype /Link /Rect [72 700 200 720] /A << /S /URI /URI (https://example.org/p")
                    .append(i)
                    .append(") >> >>] >>\nendobj\n");
        }
        byte[] b = Arrays.copyOf(text.toString().getBytes(StandardCharsets.ISO_8859_1), SLICE);
        return b;
    }
}
