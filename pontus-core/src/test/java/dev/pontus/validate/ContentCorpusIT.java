package dev.pontus.validate;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pontus.test.LocalS3;
import dev.pontus.test.LocalS3Extension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The content checks against a corpus made by real tools ({@code src/test/corpus/make-corpus.sh}: ImageMagick,
 * libheif, LibreOffice, exiftool, qpdf): every ordinary image, PDF and office file passes, and every hostile one is
 * caught, with the checks as the Spring Boot starter sets them up, with and without an allow list. Writes
 * {@code target/corpus-table.md}: each hostile file, what libmagic ({@code file --mime-type}) calls it, and the
 * verdict.
 */
@ExtendWith(LocalS3Extension.class)
class ContentCorpusIT {
    private static final Path CORPUS = Path.of("target/corpus");
    private static final String PREFIX = "unvalidated/";
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
    private static final String MARKUP = "embedded-markup";
    private static final String ACTIVE = "type-active-content";
    /**
     * Why each hostile file of make-corpus.sh must be refused: polyglot images and PDFs with actions for what they
     * carry, documents that run as script for their type. A file added there fails here until it is listed.
     */
    private static final Map<String, String> HOSTILE = Map.ofEntries(
            Map.entry("jpeg-comment-script.jpg", MARKUP),
            Map.entry("jpeg-exif-php.jpg", MARKUP),
            Map.entry("jpeg-xmp-onerror-space.jpg", MARKUP),
            Map.entry("jpeg-onbegin.jpg", MARKUP),
            Map.entry("png-text-iframe.png", MARKUP),
            Map.entry("gif-comment-svg.gif", MARKUP),
            Map.entry("jpeg-utf16le-script.jpg", MARKUP),
            Map.entry("png-utf16be-script.png", MARKUP),
            Map.entry("jpeg-appended-after-64k.jpg", MARKUP),
            Map.entry("png-jsp.png", MARKUP),
            Map.entry("gif-javascript-polyglot.gif", MARKUP),
            Map.entry("webp-appended-vbscript.webp", MARKUP),
            Map.entry("html-named.jpg", ACTIVE),
            Map.entry("svg-script.png", ACTIVE),
            Map.entry("xml-stylesheet.xml", ACTIVE),
            Map.entry("pdf-openaction-js.pdf", MARKUP),
            Map.entry("pdf-launch.pdf", MARKUP),
            Map.entry("pdf-escaped-name.pdf", MARKUP),
            Map.entry("pdf-additional-actions.pdf", MARKUP),
            Map.entry("pdf-xfa.pdf", MARKUP),
            Map.entry("pdf-js-in-object-stream.pdf", MARKUP),
            Map.entry("pdf-embedded-file.pdf", MARKUP));

    private static final List<String> TABLE = new ArrayList<>();

    private static LocalS3 s3;
    private static String bucket;

    @BeforeAll
    static void makeCorpus(LocalS3 localS3) throws Exception {
        Path script = Path.of("src/test/corpus/make-corpus.sh");
        Path done = CORPUS.resolve("hostile");
        if (!Files.isDirectory(done)
                || Files.getLastModifiedTime(script).compareTo(Files.getLastModifiedTime(done)) > 0) {
            Process make = new ProcessBuilder("bash", script.toString(), CORPUS.toString())
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
    }

    /** The starter's defaults: 1 B .. 20 MB, markup scan, at most 100 million pixels, active content refused. */
    private static UploadPromoter.Builder starterDefaults() {
        return UploadPromoter.builder()
                .s3(s3.client())
                .bucket(bucket)
                .unvalidatedPrefix(PREFIX)
                .validators(
                        Validators.fileSize(1, 20_000_000),
                        Validators.noEmbeddedMarkup(),
                        Validators.imageDimensions()
                                .maxPixels(100_000_000)
                                .requireReadable()
                                .build());
    }

    private static UploadPromoter.Builder imagesAndPdfs() {
        return starterDefaults().validators(Validators.allowTypes("image/*", "application/pdf"));
    }

    @Test
    void everyOrdinaryImageIsAcceptedWithItsDimensionsRead() throws Exception {
        UploadPromoter plain = starterDefaults().build();
        UploadPromoter allowList = imagesAndPdfs().build();
        List<Path> images = files("images").stream()
                .filter(f -> !f.toString().endsWith(".svg"))
                .toList();
        assertThat(images).hasSizeGreaterThan(90);
        for (Path image : images) {
            String key = upload(image);
            assertValid(plain.check(key), image);
            ValidationResult checked = allowList.check(key);
            assertValid(checked, image);
            assertThat(ImageHeader.read(checked.upload())).as(image.toString()).isEqualTo(identify(image));
        }
    }

    @Test
    void drawingsWithoutScriptsPassWhereActiveContentIsAllowedAndTheirSizeIsRead() throws Exception {
        UploadPromoter drawings = imagesAndPdfs().allowActiveContent(true).build();
        UploadPromoter defaults = starterDefaults().build();
        for (Path svg : files("images").stream()
                .filter(f -> f.toString().endsWith(".svg"))
                .toList()) {
            String key = upload(svg);
            assertValid(drawings.check(key), svg);
            assertThat(codes(defaults.check(key))).as(svg.toString()).containsExactly("type-active-content");
        }
        assertThat(ImageHeader.read(Files.readAllBytes(CORPUS.resolve("images/logo.svg")), "image/svg+xml"))
                .isEqualTo(new ImageHeader(120, 80));
    }

    @Test
    void everyOrdinaryPdfAndDocumentIsAccepted() throws Exception {
        UploadPromoter plain = starterDefaults().build();
        UploadPromoter allowList = imagesAndPdfs().build();
        List<Path> pdfs = files("pdfs");
        assertThat(pdfs).hasSizeGreaterThan(20);
        for (Path pdf : pdfs) {
            String key = upload(pdf);
            assertValid(plain.check(key), pdf);
            assertValid(allowList.check(key), pdf);
        }
        for (Path document : files("documents")) {
            assertValid(plain.check(upload(document)), document);
        }
    }

    @Test
    void everyHostileFileIsCaughtForWhatItHides() throws Exception {
        UploadPromoter plain = starterDefaults().build();
        UploadPromoter allowList = imagesAndPdfs().build();
        List<Path> hostile = files("hostile");
        assertThat(hostile.stream().map(f -> f.getFileName().toString()))
                .as("the hostile files make-corpus.sh makes, each with the code it must be refused with")
                .containsExactlyInAnyOrderElementsOf(HOSTILE.keySet());
        for (Path file : hostile) {
            String key = upload(file);
            ValidationResult result = plain.check(key);
            assertThat(codes(result))
                    .as(file + " must be refused as "
                            + HOSTILE.get(file.getFileName().toString()) + ": " + result)
                    .contains(HOSTILE.get(file.getFileName().toString()));
            assertThat(codes(allowList.check(key))).as(file.toString()).isNotEmpty();
            TABLE.add("| " + file.getFileName() + " | " + libmagic(file) + " | "
                    + result.upload().detectedType() + " | " + String.join(", ", codes(result)) + " |");
        }
    }

    @AfterAll
    static void writeTable() throws IOException {
        if (TABLE.isEmpty()) {
            return;
        }
        List<String> lines = new ArrayList<>(List.of(
                "| hostile file | libmagic says | Pontus sniffs | Pontus refuses as |", "| --- | --- | --- | --- |"));
        lines.addAll(TABLE.stream().sorted().toList());
        Files.write(Path.of("target/corpus-table.md"), lines, UTF_8);
    }

    private static void assertValid(ValidationResult result, Path file) {
        assertThat(result.isValid()).as(file + " was refused: " + result).isTrue();
    }

    private static List<String> codes(ValidationResult result) {
        return result instanceof ValidationResult.Invalid invalid
                ? invalid.violations().stream().map(Violation::code).toList()
                : List.of();
    }

    private static List<Path> files(String family) throws IOException {
        try (Stream<Path> files = Files.list(CORPUS.resolve(family))) {
            return files.sorted().toList();
        }
    }

    /** Puts the file under the unvalidated prefix with the type a browser declares from its name. */
    private static String upload(Path file) throws IOException {
        String name = file.getFileName().toString();
        String key = PREFIX + file.getParent().getFileName() + "/" + name;
        String declared = DECLARED.getOrDefault(name.substring(name.lastIndexOf('.') + 1), "application/octet-stream");
        s3.client().putObject(b -> b.bucket(bucket).key(key).contentType(declared), RequestBody.fromFile(file));
        return key;
    }

    /** The largest width and height of the frames ImageMagick finds in the file. */
    private static ImageHeader identify(Path image) throws Exception {
        String[] frames = run("identify", "-ping", "-format", "%w %h\\n", image.toString())
                .trim()
                .split("\n");
        long width = Arrays.stream(frames)
                .mapToLong(f -> Long.parseLong(f.split(" ")[0]))
                .max()
                .orElseThrow();
        long height = Arrays.stream(frames)
                .mapToLong(f -> Long.parseLong(f.split(" ")[1]))
                .max()
                .orElseThrow();
        return new ImageHeader(width, height);
    }

    private static String libmagic(Path file) throws Exception {
        return run("file", "--brief", "--mime-type", file.toString()).trim();
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String out = new String(process.getInputStream().readAllBytes(), UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
