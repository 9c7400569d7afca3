package dev.pontus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pontus.test.LocalS3;
import dev.pontus.test.LocalS3Extension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * {@code pontus audit} over a prefix holding the content-check corpus that real tools make (pontus-core's
 * {@code src/test/corpus/make-corpus.sh}: ImageMagick, libheif, LibreOffice, exiftool, qpdf): every hostile file is
 * reported with its code, no ordinary file of an allowed type is; the JSON Lines parse; the exit status is 1.
 */
@ExtendWith(LocalS3Extension.class)
class AuditCorpusIT {
    private static final Path CORPUS = Path.of("target/corpus");
    private static final Path SCRIPT = Path.of("../pontus-core/src/test/corpus/make-corpus.sh");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a browser declares from the file name, as in pontus-core's ContentCorpusIT. */
    private static final Map<String, String> DECLARED = Map.ofEntries(
            Map.entry("jpg", "image/jpeg"),
            Map.entry("png", "image/png"),
            Map.entry("gif", "image/gif"),
            Map.entry("webp", "image/webp"),
            Map.entry("tif", "image/tiff"),
            Map.entry("bmp", "image/bmp"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("heic", "image/heic"),
            Map.entry("avif", "image/avif"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("pdf", "application/pdf"),
            Map.entry("xml", "application/xml"),
            Map.entry("txt", "text/plain"),
            Map.entry("csv", "text/csv"),
            Map.entry("odt", "application/vnd.oasis.opendocument.text"),
            Map.entry("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"));

    /**
     * The code each hostile file must be reported with: script that runs where the file is served (active content),
     * markup or PDF actions hidden in an image or PDF (embedded markup).
     */
    private static String expectedCode(String hostile) {
        return switch (hostile) {
            case "html-named.jpg", "svg-script.png", "xml-stylesheet.xml" -> "type-active-content";
            default -> "embedded-markup";
        };
    }

    private static LocalS3 s3;
    private static String bucket;

    @BeforeAll
    static void uploadCorpus(LocalS3 localS3) throws Exception {
        Path done = CORPUS.resolve("hostile");
        if (!Files.isDirectory(done)
                || Files.getLastModifiedTime(SCRIPT).compareTo(Files.getLastModifiedTime(done)) > 0) {
            Process make = new ProcessBuilder("bash", SCRIPT.toString(), CORPUS.toString())
                    .inheritIO()
                    .start();
            assertThat(make.waitFor(5, TimeUnit.MINUTES))
                    .as("make-corpus.sh finished in 5 minutes")
                    .isTrue();
            assertThat(make.exitValue())
                    .as("make-corpus.sh exit code (see its message above)")
                    .isZero();
        }
        s3 = localS3;
        bucket = s3.newBucket();
        for (String family : List.of("images", "pdfs", "documents", "hostile")) {
            for (Path file : files(family)) {
                String name = file.getFileName().toString();
                String declared =
                        DECLARED.getOrDefault(name.substring(name.lastIndexOf('.') + 1), "application/octet-stream");
                s3.client()
                        .putObject(
                                b -> b.bucket(bucket)
                                        .key("corpus/" + family + "/" + name)
                                        .contentType(declared),
                                RequestBody.fromFile(file));
            }
        }
    }

    @Test
    void everyHostileFileIsReportedWithItsCodeAndNoOrdinaryFileIs() throws Exception {
        Cli.Run run = Cli.audit(s3, "s3://" + bucket + "/corpus/", "--format", "jsonl", "--concurrency", "8");

        assertThat(run.exit()).as(run.err()).isEqualTo(1);
        Map<String, List<String>> reported = parse(run.outLines());
        List<Path> hostile = files("hostile");
        assertThat(hostile).hasSizeGreaterThan(20);
        for (Path file : hostile) {
            String name = file.getFileName().toString();
            assertThat(reported.get("corpus/hostile/" + name))
                    .as(name + " is reported with its code")
                    .contains(expectedCode(name));
        }
        for (String family : List.of("images", "pdfs", "documents")) {
            for (Path file : files(family)) {
                String name = file.getFileName().toString();
                List<String> codes = reported.getOrDefault("corpus/" + family + "/" + name, List.of());
                if (name.startsWith("misnamed-")) { // a PNG named .jpg: its true type is allowed, but disguised
                    assertThat(codes).as(name).containsExactly("type-mismatch");
                } else if (name.endsWith(".svg")) { // drawings run as script where served: active content
                    assertThat(codes).as(name).containsExactly("type-active-content");
                } else {
                    assertThat(codes).as(name + " is ordinary").isEmpty();
                }
            }
        }
        assertThat(run.err()).contains("objects with findings", "embedded-markup", "type-active-content");
    }

    @Test
    void withAnAllowListOrdinaryImagesAndPdfsPassAndHostileOnesDoNot() throws Exception {
        Cli.Run run = Cli.audit(
                s3,
                "s3://" + bucket + "/corpus/",
                "--format=jsonl",
                "--allow",
                "image/*,application/pdf",
                "--allow-active-content",
                "--exclude",
                "corpus/documents/**",
                "--exclude",
                "misnamed-*");

        assertThat(run.exit()).as(run.err()).isEqualTo(1);
        Map<String, List<String>> reported = parse(run.outLines());
        assertThat(reported.keySet()).allMatch(key -> key.startsWith("corpus/hostile/"));
        for (Path file : files("hostile")) {
            String name = file.getFileName().toString();
            assertThat(reported).as(name).containsKey("corpus/hostile/" + name);
            if (expectedCode(name).equals("embedded-markup")) {
                assertThat(reported.get("corpus/hostile/" + name)).as(name).contains("embedded-markup");
            }
        }
    }

    /** Key to codes, from JSON Lines that must parse, one object per line with the checked ETag. */
    private static Map<String, List<String>> parse(List<String> lines) throws IOException {
        Map<String, List<String>> reported = new HashMap<>();
        for (String line : lines) {
            JsonNode node = JSON.readTree(line);
            assertThat(node.get("bucket").asText()).isEqualTo(bucket);
            assertThat(node.get("etag").asText()).isNotBlank();
            assertThat(node.get("action").isNull()).isTrue();
            List<String> codes = new ArrayList<>();
            node.get("findings").forEach(f -> {
                assertThat(f.get("message").asText()).isNotBlank();
                codes.add(f.get("code").asText());
            });
            assertThat(reported.put(node.get("key").asText(), codes))
                    .as("one line per object")
                    .isNull();
        }
        return reported;
    }

    private static List<Path> files(String family) throws IOException {
        try (Stream<Path> files = Files.list(CORPUS.resolve(family))) {
            return files.sorted().toList();
        }
    }
}
