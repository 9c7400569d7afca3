package dev.pontus.validate;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/** Real files made on the spot: images encoded by the JDK, and the hostile ones validators must refuse. */
final class Samples {
    private Samples() {}

    static byte[] jpeg(int width, int height) {
        return image("jpg", width, height, BufferedImage.TYPE_INT_RGB);
    }

    static byte[] png(int width, int height) {
        return image("png", width, height, BufferedImage.TYPE_INT_ARGB);
    }

    static byte[] gif(int width, int height) {
        return image("gif", width, height, BufferedImage.TYPE_INT_RGB);
    }

    static byte[] html() {
        return "<!DOCTYPE html>\n<html><head><title>x</title></head><body><script>alert(document.cookie)</script></body></html>"
                .getBytes(StandardCharsets.UTF_8);
    }

    static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(42).nextBytes(bytes);
        bytes[0] = 0x13; // no magic number starts so
        return bytes;
    }

    /** A real JPEG with a script after its header (in a comment segment): a polyglot. */
    static byte[] jpegWithScript() {
        byte[] jpeg = jpeg(32, 32);
        byte[] comment = "<script>alert(1)</script>".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer out = ByteBuffer.allocate(jpeg.length + comment.length + 4);
        out.put(jpeg, 0, 2)
                .put((byte) 0xFF)
                .put((byte) 0xFE)
                .putShort((short) (comment.length + 2))
                .put(comment);
        out.put(jpeg, 2, jpeg.length - 2);
        return out.array();
    }

    /**
     * A real {@code width x height} JPEG re-declared as {@code declared x declared} pixels, with {@code segments}
     * APP15 metadata segments of 65,535 bytes each after its start, which push its frame header past the head.
     */
    static byte[] jpegBombBehindMetadata(int segments, int declared) {
        byte[] jpeg = jpeg(64, 64);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2); // SOI
        for (int n = 0; n < segments; n++) {
            out.write(0xFF);
            out.write(0xEF);
            out.write(0xFF);
            out.write(0xFF);
            out.writeBytes(new byte[65_533]);
        }
        for (int i = 2; i + 9 < jpeg.length; i++) { // the frame header: FFC0 len(2) precision(1) height(2) width(2)
            if ((jpeg[i] & 0xFF) == 0xFF && (jpeg[i + 1] & 0xFF) == 0xC0) {
                jpeg[i + 5] = jpeg[i + 7] = (byte) (declared >> 8);
                jpeg[i + 6] = jpeg[i + 8] = (byte) declared;
                break;
            }
        }
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    /**
     * A HEIF holding {@code properties} (ISO/IEC 14496-12 boxes, such as {@link #ispe} and {@link #free}) as a phone
     * writes them: {@code ftyp}, then {@code meta} with {@code hdlr} and {@code iprp}, whose {@code ipco} holds them;
     * then 70 KB of {@code mdat}.
     */
    static byte[] heif(byte[]... properties) {
        ByteArrayOutputStream ipco = new ByteArrayOutputStream();
        for (byte[] property : properties) {
            ipco.writeBytes(property);
        }
        ByteArrayOutputStream meta = new ByteArrayOutputStream();
        meta.writeBytes(new byte[4]); // a full box: version and flags
        meta.writeBytes(
                box("hdlr", "\0\0\0\0\0\0\0\0pict\0\0\0\0\0\0\0\0\0\0\0\0\0".getBytes(StandardCharsets.ISO_8859_1)));
        meta.writeBytes(box("iprp", box("ipco", ipco.toByteArray())));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(box("ftyp", "heic\0\0\0\0mif1heic".getBytes(StandardCharsets.US_ASCII)));
        out.writeBytes(box("meta", meta.toByteArray()));
        out.writeBytes(box("mdat", new byte[70_000])); // the pixels: the properties are out of the tail's reach
        return out.toByteArray();
    }

    /** An image spatial extent property: a full box, then width and height. */
    static byte[] ispe(int width, int height) {
        return box(
                "ispe",
                ByteBuffer.allocate(12).putInt(0).putInt(width).putInt(height).array());
    }

    /** A box of {@code size} bytes in all that any reader skips. */
    static byte[] free(int size) {
        return box("free", new byte[size - 8]);
    }

    static byte[] box(String type, byte[] payload) {
        return ByteBuffer.allocate(8 + payload.length)
                .putInt(8 + payload.length)
                .put(type.getBytes(StandardCharsets.US_ASCII))
                .put(payload)
                .array();
    }

    /**
     * A little-endian TIFF of {@code size} bytes whose only directory, at {@code directory}, declares {@code width x
     * height}: written after the pixels, as many writers do, and here out of both the head and the tail.
     */
    static byte[] tiff(int size, int directory, int width, int height) {
        ByteBuffer tiff = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        tiff.put(new byte[] {'I', 'I', 42, 0}).putInt(directory);
        tiff.position(directory).putShort((short) 2);
        tiff.putShort((short) 256).putShort((short) 4).putInt(1).putInt(width); // ImageWidth, a LONG
        tiff.putShort((short) 257).putShort((short) 4).putInt(1).putInt(height); // ImageLength
        tiff.putInt(0); // no next directory
        return tiff.array();
    }

    /** A 100-byte PNG whose header declares 50000 x 50000 pixels: a decompression bomb's calling card. */
    static byte[] pngBomb() {
        ByteBuffer ihdr = ByteBuffer.allocate(13)
                .putInt(50_000)
                .putInt(50_000)
                .put((byte) 8)
                .put((byte) 2)
                .put((byte) 0)
                .put((byte) 0)
                .put((byte) 0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9C, 0x63, 0, 0, 0, 1, 0, 1});
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(name);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(name);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    private static byte[] image(String format, int width, int height, int type) {
        BufferedImage image = new BufferedImage(width, height, type);
        var g = image.createGraphics();
        g.setColor(new Color(30, 120, 200));
        g.fillRect(0, 0, width, height);
        g.setColor(Color.ORANGE);
        g.fillOval(width / 4, height / 4, width / 2, height / 2);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
