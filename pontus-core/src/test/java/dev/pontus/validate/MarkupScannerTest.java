package dev.pontus.validate;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_16BE;
import static java.nio.charset.StandardCharsets.UTF_16LE;
import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class MarkupScannerTest {
    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(ISO_8859_1);
    }

    @Test
    void catchesEveryEvasionTheSubstringListMissed() {
        byte[] png = Samples.png(16, 16);
        List<byte[]> hostile = List.of(
                concat(png, bytes("<svg><set attributeName=x onbegin=alert(1)>")),
                concat(png, bytes("<img src=x onerror =alert(1)>")),
                concat(png, bytes("<img src=x\tONERROR\n=alert(1)>")),
                concat(png, "<script>alert(1)</script>".getBytes(UTF_16LE)),
                concat(png, "<script>alert(1)</script>".getBytes(UTF_16BE)),
                concat(png, bytes("< SCRIPT >alert(1)</script>")),
                concat(png, bytes("<a href=\"javascript :alert(1)\">")),
                concat(png, bytes("<a href='vbscript:msgbox'>")),
                concat(png, bytes("<?php system($_GET['c']); ?>")),
                concat(png, bytes("<% Response.Write(1) %>")),
                concat(png, bytes("<iframe src=//evil>")),
                concat(png, bytes("<object data=x>")),
                concat(png, bytes("<embed src=x>")));
        for (byte[] file : hostile) {
            assertThat(MarkupScanner.find(file, "image/png"))
                    .as(new String(file, ISO_8859_1))
                    .isNotNull();
        }
    }

    @Test
    void catchesPdfActionsThatRunCodeOrCarryFiles() {
        String head = "%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R ";
        for (String action : List.of(
                "/OpenAction << /S /JavaScript /JS (app.alert(1)) >>",
                "/Names << /JavaScript 5 0 R >>",
                "/OpenAction<</S/Launch/F(cmd.exe)>>",
                "/AA << /O 6 0 R >>",
                "/Names << /EmbeddedFiles 7 0 R >>",
                "/RichMedia 8 0 R",
                "/AcroForm << /XFA 9 0 R >>",
                "/OpenAction << /S /J#61vaScript /J#53 (x) >>",
                "/OpenAction << /Type /Action /S /URI /URI (http://evil) >>")) {
            assertThat(MarkupScanner.find(bytes(head + action + " >>\nendobj\n"), "application/pdf"))
                    .as(action)
                    .isNotNull();
        }
    }

    @Test
    void catchesAGifWhoseHeaderReadsAsJavaScript() {
        byte[] polyglot = bytes("GIF89a/*\u0001\u0000\u0000\u0000\u0000*/=1;alert(document.domain);//");

        assertThat(MarkupScanner.find(polyglot, "image/gif")).contains("GIF header");
    }

    @Test
    void findsNothingInOrdinaryImagesAndPdfs() throws IOException {
        Random random = new Random(7);
        for (int i = 0; i < 40; i++) {
            BufferedImage image =
                    new BufferedImage(64 + random.nextInt(400), 64 + random.nextInt(300), BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < image.getHeight(); y++) {
                for (int x = 0; x < image.getWidth(); x++) {
                    image.setRGB(x, y, random.nextInt()); // noise: the worst case for chance matches
                }
            }
            for (String format : List.of("jpg", "png", "gif", "bmp")) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ImageIO.write(image, format, out);
                byte[] file = out.toByteArray();
                assertThat(MarkupScanner.find(file, "image/" + (format.equals("jpg") ? "jpeg" : format)))
                        .as("%s #%d", format, i)
                        .isNull();
            }
        }
        String officePdf = "%PDF-1.4\n1 0 obj\n<</Type/Catalog/Pages 2 0 R/OpenAction[3 0 R /XYZ null null 0]"
                + "/Lang(en-GB)/Outlines 4 0 R/PageMode/UseOutlines>>\nendobj\n2 0 obj\n<</Type/Pages/Kids[3 0 R]"
                + "/Count 1/Resources<</Font<</F1 5 0 R>>>>>>\nendobj\n3 0 obj\n<</Type/Page/Parent 2 0 R"
                + "/Annots[6 0 R]/MediaBox[0 0 595 842]>>\nendobj\n6 0 obj\n<</Type/Annot/Subtype/Link"
                + "/A<</Type/Action/S/URI/URI(https://example.com/)>>/Rect[0 0 1 1]>>\nendobj\n"
                + "7 0 obj\n<</Producer(LibreOffice 7.4)/Creator(Writer)/CreationDate(D:20261127)>>\nendobj\n";
        assertThat(MarkupScanner.find(bytes(officePdf), "application/pdf")).isNull();
    }

    @Test
    void scansAnSvgForScriptsOnly() {
        assertThat(MarkupScanner.find(
                        bytes("<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\""
                                + " width=\"10\" height=\"10\"><rect width=\"10\" height=\"10\"/></svg>"),
                        "image/svg+xml"))
                .isNull();
        assertThat(MarkupScanner.find(
                        bytes("<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>"), "image/svg+xml"))
                .isNotNull();
    }
}
