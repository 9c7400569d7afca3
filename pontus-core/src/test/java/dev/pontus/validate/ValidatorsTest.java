package dev.pontus.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The built-ins as pure functions of an uploaded object's head; the S3 round trips are in UploadPromoterIT. */
class ValidatorsTest {

    private static UploadedObject upload(String name, String declared, byte[] content) {
        return new UploadedObject(
                "b",
                "unvalidated/" + name,
                content.length,
                declared,
                Map.of(),
                "\"e\"",
                Instant.EPOCH,
                MimeSniffer.detect(content, name),
                content);
    }

    @Test
    void sniffsTypeFromBytesAndLetsTheNameOnlyRefineIt() {
        assertThat(MimeSniffer.detect(Samples.jpeg(8, 8), "x.bin")).isEqualTo("image/jpeg");
        assertThat(MimeSniffer.detect(Samples.png(8, 8), "x.jpg")).isEqualTo("image/png");
        assertThat(MimeSniffer.detect(Samples.html(), "photo.jpg")).isEqualTo("text/html");
        assertThat(MimeSniffer.detect(new byte[0], "photo.jpg")).isEqualTo("application/octet-stream");
        assertThat(MimeSniffer.detect(Samples.random(4096), "photo.jpg")).isEqualTo("application/octet-stream");
        assertThat(MimeSniffer.detect("a,b\n1,2\n".getBytes(), "data.csv")).isEqualTo("text/csv");
    }

    @Test
    void readsImageDimensionsFromHeaders() {
        assertThat(ImageHeader.read(Samples.jpeg(640, 480), "image/jpeg")).isEqualTo(new ImageHeader(640, 480));
        assertThat(ImageHeader.read(Samples.png(3, 7), "image/png")).isEqualTo(new ImageHeader(3, 7));
        assertThat(ImageHeader.read(Samples.gif(300, 2), "image/gif")).isEqualTo(new ImageHeader(300, 2));
        assertThat(ImageHeader.read(Samples.pngBomb(), "image/png")).isEqualTo(new ImageHeader(50_000, 50_000));
        assertThat(ImageHeader.read(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}, "image/jpeg"))
                .isNull();
    }

    @Test
    void readsTheLargestSpatialExtentOfAHeifGridNotTheFirstTile() {
        byte[] heic = Samples.heif(
                Samples.ispe(512, 512), // a tile's, first, as in a phone's photo
                Samples.ispe(60_000, 40_000), // the grid's: the picture's size
                Samples.ispe(320, 240)); // the thumbnail's

        assertThat(ImageHeader.read(heic, "image/heic")).isEqualTo(new ImageHeader(60_000, 40_000));
        assertThat(ImageHeader.read(Samples.heif(Samples.free(64), Samples.ispe(4032, 3024)), "image/avif"))
                .isEqualTo(new ImageHeader(4032, 3024));
    }

    @Test
    void aHeifExtentWithA64BitSizeIsReadAfterItsLongerHeader() {
        byte[] grid = ByteBuffer.allocate(28)
                .putInt(1)
                .put("ispe".getBytes(StandardCharsets.US_ASCII))
                .putLong(28)
                .putInt(0)
                .putInt(30_000)
                .putInt(30_000)
                .array();

        assertThat(ImageHeader.read(Samples.heif(Samples.ispe(512, 512), grid), "image/heic"))
                .isEqualTo(new ImageHeader(30_000, 30_000));
    }

    @Test
    void pixelCountsTooLargeForALongAreTheLargestNotNegative() {
        byte[] heif = Samples.heif(Samples.ispe(-1, -1)); // 2^32-1 pixels each way
        ImageHeader huge = ImageHeader.read(heif, "image/heic");
        UploadedObject upload = new UploadedObject(
                "b", "k", heif.length, "image/heic", Map.of(), "e", Instant.EPOCH, "image/heic", heif);

        assertThat(huge).isEqualTo(new ImageHeader(0xFFFF_FFFFL, 0xFFFF_FFFFL));
        assertThat(huge.pixels()).isEqualTo(Long.MAX_VALUE);
        assertThat(new ImageHeader(1L << 40, 1L << 40).pixels()).isEqualTo(Long.MAX_VALUE);
        assertThat(Validators.imageDimensions().maxPixels(50_000_000).build().validate(upload))
                .extracting(Violation::code)
                .containsExactly("image-too-many-pixels");
    }

    @Test
    void aJpegThatEndsOrStartsItsScanBeforeAFrameHeaderHasNoDimensions() {
        byte[] jpeg = Samples.jpeg(16, 16);
        for (int marker : new int[] {0xD8, 0xD9, 0xDA}) {
            byte[] early = new byte[jpeg.length + 4];
            early[0] = (byte) 0xFF;
            early[1] = (byte) 0xD8;
            early[2] = (byte) 0xFF;
            early[3] = (byte) marker;
            early[4] = 0;
            early[5] = 4; // a length, as if the marker had one
            System.arraycopy(jpeg, 2, early, 6, jpeg.length - 2);

            assertThat(ImageHeader.read(early, "image/jpeg"))
                    .as("FF%X first", marker)
                    .isNull();
        }
    }

    @Test
    void aHeifWhoseBoxesDoNotAddUpHasNoDimensions() {
        byte[] heic = Samples.heif(Samples.ispe(512, 512), Samples.ispe(60_000, 40_000));
        int grid = new String(heic, StandardCharsets.ISO_8859_1).lastIndexOf("ispe") - 4;
        byte[] cut = Arrays.copyOf(heic, grid + 12); // in the middle of the grid's extent
        byte[] noExtent = Samples.heif(Samples.free(32));
        byte[] lying = heic.clone();
        ByteBuffer.wrap(lying).putInt(grid, 120); // the grid's ispe: longer than its parent

        assertThat(ImageHeader.read(cut, "image/heic")).isNull();
        assertThat(ImageHeader.read(noExtent, "image/heic")).isNull();
        assertThat(ImageHeader.read(lying, "image/heic")).isNull();
    }

    @Test
    void refusesMisuseWithTheFix() {
        assertThatThrownBy(() -> Validators.fileSize(10, 5))
                .hasMessageContaining("fileSize: min 10 is greater than max 5");
        assertThatThrownBy(() -> Validators.fileSize(-1, 5)).hasMessageContaining("must not be negative");
        assertThatThrownBy(Validators::allowTypes).hasMessageContaining("allowTypes: give at least one type");
        assertThatThrownBy(() -> Validators.denyTypes("jpeg")).hasMessageContaining("'jpeg' is not a MIME type");
        assertThatThrownBy(() -> Validators.allowTypes((Pattern) null))
                .hasMessageContaining("allowTypes: give a regex");
        assertThatThrownBy(() ->
                        Validators.imageDimensions().minWidth(10).maxWidth(5).build())
                .hasMessageContaining("imageDimensions: min 10x0 is greater than max 5x");
        assertThatThrownBy(() -> Validators.imageDimensions().maxPixels(0))
                .hasMessageContaining("maxPixels must be positive");
    }

    @Test
    void matchesExactWildcardAndAliasTypes() {
        UploadedObject jpeg = upload("a.jpg", "image/jpeg", Samples.jpeg(8, 8));

        assertThat(Validators.allowTypes("image/*").validate(jpeg)).isEmpty();
        assertThat(Validators.allowTypes("IMAGE/JPEG").validate(jpeg)).isEmpty();
        assertThat(Validators.allowTypes("image/png").validate(jpeg))
                .extracting(Violation::code)
                .containsExactly("type-not-allowed");
        assertThat(Validators.denyTypes("image/*").validate(jpeg))
                .extracting(Violation::code)
                .containsExactly("type-denied");
    }

    @Test
    void declaredTypeMustAgreeWithContent() {
        assertThat(Validators.declaredTypeMatches().validate(upload("a.jpg", "image/jpeg", Samples.jpeg(8, 8))))
                .isEmpty();
        assertThat(Validators.declaredTypeMatches().validate(upload("a.jpg", "image/jpeg", Samples.html())))
                .extracting(Violation::message)
                .containsExactly("The file was declared as image/jpeg but its content is text/html.");
    }

    @Test
    void scansImagesForMarkupButNotText() {
        assertThat(Validators.noEmbeddedMarkup().validate(upload("a.jpg", "image/jpeg", Samples.jpegWithScript())))
                .extracting(Violation::code)
                .containsExactly("embedded-markup");
        assertThat(Validators.noEmbeddedMarkup().validate(upload("a.jpg", "image/jpeg", Samples.jpeg(64, 64))))
                .isEmpty();
        assertThat(Validators.noEmbeddedMarkup().validate(upload("a.html", "text/html", Samples.html())))
                .isEmpty();
    }

    @Test
    void typeNamesClientsSendMeanTheTypeTheyStandFor() {
        assertThat(MimeSniffer.canonical("image/jpg")).isEqualTo("image/jpeg");
        assertThat(MimeSniffer.canonical("image/pjpeg")).isEqualTo("image/jpeg");
        assertThat(MimeSniffer.canonical("image/x-png")).isEqualTo("image/png");
        assertThat(MimeSniffer.canonical("application/x-pdf")).isEqualTo("application/pdf");
        assertThat(Validators.typeMatcher(List.of("image/jpeg")).test("image/jpg"))
                .isTrue();
        assertThat(Validators.allowTypes("image/jpg").validate(upload("a.jpg", "image/jpeg", Samples.jpeg(8, 8))))
                .isEmpty();
    }

    @Test
    void correctsMissingOrWrongDeclaredTypesButNotAgreeingOnes() {
        assertThat(MimeSniffer.correction("image/jpeg", "image/png")).isEqualTo("image/png");
        assertThat(MimeSniffer.correction("application/octet-stream", "application/pdf"))
                .isEqualTo("application/pdf");
        assertThat(MimeSniffer.correction(null, "image/png")).isEqualTo("image/png");
        assertThat(MimeSniffer.correction("image/jpg", "image/jpeg")).isNull();
        assertThat(MimeSniffer.correction("image/jpeg; charset=x", "image/jpeg"))
                .isNull();
        assertThat(MimeSniffer.correction("image/png", "application/octet-stream"))
                .isNull();
    }

    @Test
    void deniesActiveContentSniffedFromTheBytes() {
        assertThat(Validators.denyActiveContent().validate(upload("a.jpg", "image/jpeg", Samples.html())))
                .extracting(Violation::code)
                .containsExactly("type-active-content");
        byte[] svg = "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"
                .getBytes(StandardCharsets.UTF_8);
        assertThat(Validators.denyActiveContent().validate(upload("a.png", "image/png", svg)))
                .isNotEmpty();
        assertThat(Validators.denyActiveContent().validate(upload("a.jpg", "image/jpeg", Samples.jpeg(8, 8))))
                .isEmpty();
    }
}
