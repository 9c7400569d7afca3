package dev.pontus.validate;

/**
 * An image's width and height read from its header, without decoding pixels: PNG, JPEG, GIF, WebP and BMP.
 *
 * @param width  in pixels
 * @param height in pixels
 */
record ImageHeader(long width, long height) {

    /** The dimensions in {@code b}, or null when its header is not one of the formats above or is cut short. */
    static ImageHeader read(byte[] b) {
        if (starts(b, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return b.length >= 24 && ascii(b, 12, "IHDR") ? new ImageHeader(u32be(b, 16), u32be(b, 20)) : null;
        }
        if (ascii(b, 0, "GIF87a") || ascii(b, 0, "GIF89a")) {
            return b.length >= 10 ? new ImageHeader(u16le(b, 6), u16le(b, 8)) : null;
        }
        if (starts(b, 0xFF, 0xD8)) {
            return jpeg(b);
        }
        if (ascii(b, 0, "RIFF") && ascii(b, 8, "WEBP")) {
            return webp(b);
        }
        if (ascii(b, 0, "BM") && b.length >= 26) {
            return new ImageHeader(Math.abs((int) u32le(b, 18)), Math.abs((int) u32le(b, 22)));
        }
        return null;
    }

    long pixels() {
        return width * height;
    }

    /** Walks the JPEG segments to the first start-of-frame marker, which holds height then width. */
    private static ImageHeader jpeg(byte[] b) {
        int i = 2;
        while (i + 9 < b.length) {
            if ((b[i] & 0xFF) != 0xFF) {
                return null;
            }
            int marker = b[i + 1] & 0xFF;
            if (marker == 0xFF) {
                i++; // fill byte
                continue;
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                i += 2; // no length
                continue;
            }
            boolean startOfFrame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8
                    && marker != 0xCC;
            if (startOfFrame) {
                return new ImageHeader(u16be(b, i + 7), u16be(b, i + 5));
            }
            i += 2 + u16be(b, i + 2);
        }
        return null;
    }

    private static ImageHeader webp(byte[] b) {
        if (ascii(b, 12, "VP8 ") && b.length >= 30) {
            return new ImageHeader(u16le(b, 26) & 0x3FFF, u16le(b, 28) & 0x3FFF);
        }
        if (ascii(b, 12, "VP8L") && b.length >= 25) {
            int b1 = b[22] & 0xFF;
            int b2 = b[23] & 0xFF;
            int b3 = b[24] & 0xFF;
            return new ImageHeader(1 + ((b[21] & 0xFF) | (b1 & 0x3F) << 8), 1 + ((b1 >> 6) | b2 << 2 | (b3 & 0x0F) << 10));
        }
        if (ascii(b, 12, "VP8X") && b.length >= 30) {
            return new ImageHeader(1 + u24le(b, 24), 1 + u24le(b, 27));
        }
        return null;
    }

    private static boolean starts(byte[] b, int... signature) {
        if (b.length < signature.length) {
            return false;
        }
        for (int i = 0; i < signature.length; i++) {
            if ((b[i] & 0xFF) != signature[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean ascii(byte[] b, int at, String text) {
        if (b.length < at + text.length()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (b[at + i] != text.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int u16be(byte[] b, int at) {
        return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
    }

    private static int u16le(byte[] b, int at) {
        return (b[at + 1] & 0xFF) << 8 | (b[at] & 0xFF);
    }

    private static int u24le(byte[] b, int at) {
        return (b[at + 2] & 0xFF) << 16 | u16le(b, at);
    }

    private static long u32be(byte[] b, int at) {
        return (long) u16be(b, at) << 16 | u16be(b, at + 2);
    }

    private static long u32le(byte[] b, int at) {
        return (long) u16le(b, at + 2) << 16 | u16le(b, at);
    }
}
