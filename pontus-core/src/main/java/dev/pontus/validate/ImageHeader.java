package dev.pontus.validate;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.Directory;
import com.drew.metadata.Metadata;
import com.drew.metadata.bmp.BmpHeaderDirectory;
import com.drew.metadata.exif.ExifIFD0Directory;
import com.drew.metadata.ico.IcoDirectory;
import java.io.ByteArrayInputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An image's width and height read from its header, without decoding pixels: PNG, JPEG, GIF and WebP here (fixed
 * places in a few bytes); HEIC/HEIF and AVIF from their largest spatial extent; BMP and ICO with metadata-extractor;
 * TIFF from its first directory, in the head or the tail; SVG from its root element's
 * {@code width}/{@code height} or {@code viewBox}.
 *
 * @param width  in pixels
 * @param height in pixels
 */
record ImageHeader(long width, long height) {
    private static final Pattern SVG_ROOT = Pattern.compile("<svg\\b[^>]*>", Pattern.CASE_INSENSITIVE);
    private static final Pattern SVG_LENGTH =
            Pattern.compile("\\s(width|height)\\s*=\\s*[\"']\\s*([0-9.]+)\\s*(px)?\\s*[\"']");
    private static final Pattern SVG_VIEW_BOX = Pattern.compile(
            "\\sviewBox\\s*=\\s*[\"']\\s*[-0-9.]+[\\s,]+[-0-9.]+[\\s,]+([0-9.]+)[\\s,]+([0-9.]+)\\s*[\"']");

    /** The upload's dimensions from its head (or a TIFF's tail) alone, or null when they are not there. */
    static ImageHeader read(UploadedObject upload) {
        return read(upload, Ranges.NONE);
    }

    /**
     * The upload's dimensions, following a JPEG's segments, a TIFF's directory offset or a HEIF's boxes past the head with
     * {@code ranges}; null when they cannot be read (or the reads allowed are spent).
     */
    static ImageHeader read(UploadedObject upload, Ranges ranges) {
        String type = upload.detectedType();
        byte[] head = upload.headUnsafe();
        if (type.equals("image/tiff")) { // the first directory of a TIFF is often written after the pixels
            ImageHeader tiff = tiff(head, 0, head);
            tiff = tiff != null ? tiff : tiff(head, upload.size() - upload.tailUnsafe().length, upload.tailUnsafe());
            return tiff != null || head.length < 8 ? tiff : tiffDirectory(head, ranges);
        }
        if (starts(head, 0xFF, 0xD8)) {
            return jpeg(head, upload.size(), ranges);
        }
        if (isHeif(type)) {
            return heif(head, upload.size(), ranges);
        }
        return read(head, type);
    }

    private static boolean isHeif(String type) {
        return type.equals("image/heic") || type.equals("image/heif") || type.equals("image/avif");
    }

    /** A TIFF's first directory wherever it lies: one read of its entries (at most 64 of them). */
    private static ImageHeader tiffDirectory(byte[] header, Ranges ranges) {
        boolean little = ascii(header, 0, "II");
        long directory = u32(header, 4, little);
        byte[] entries = ranges.read(directory, 2 + 64 * 12);
        return entries == null ? null : tiff(header, directory, entries);
    }

    /**
     * The dimensions in {@code b}, the head of a file whose content is {@code type}, or null when its header is not
     * one of the formats above or is cut short.
     */
    static ImageHeader read(byte[] b, String type) {
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
        if (type.equals("image/svg+xml")) {
            return svg(b);
        }
        if (isHeif(type)) {
            return heif(b, b.length, Ranges.NONE);
        }
        return type.startsWith("image/") ? library(b) : null;
    }

    /**
     * The largest of a HEIF/AVIF file's image spatial extents ({@code ispe} properties, ISO/IEC 23008-12 6.5.3): a
     * phone's photo is a grid of 512x512 tiles plus a thumbnail, each with its own {@code ispe}, and the grid's is the
     * picture's size. They are found by walking the boxes by their sizes (ISO/IEC 14496-12): the top-level
     * {@code meta}, its {@code iprp}, that one's {@code ipco}, every property in it. A box past the head is read with
     * {@code ranges}, so that padding cannot push the picture's extent out of sight while a tile's stays in the head;
     * null when the walk cannot finish (a malformed box, or the reads allowed are spent).
     */
    private static ImageHeader heif(byte[] head, long size, Ranges ranges) {
        FileBytes file = new FileBytes(head, size, ranges);
        long[] meta = child(file, 0, size, "meta");
        long[] iprp = meta == null ? null : child(file, meta[0] + 4, meta[1], "iprp"); // meta is a full box
        long[] ipco = iprp == null ? null : child(file, iprp[0], iprp[1], "ipco");
        if (ipco == null) {
            return null;
        }
        long width = 0;
        long height = 0;
        for (long at = ipco[0]; at + 8 <= ipco[1]; ) {
            byte[] box = file.at(at, 28);
            long length = box == null ? -1 : boxLength(box, at, ipco[1]);
            if (length < 0) {
                return null;
            }
            if (ascii(box, 4, "ispe")) {
                int header = u32be(box, 0) == 1 ? 16 : 8; // a 64-bit size puts the content 8 bytes further
                if (length < header + 12 || box.length < header + 12) {
                    return null;
                }
                width = Math.max(width, u32be(box, header + 4)); // after version and flags
                height = Math.max(height, u32be(box, header + 8));
            }
            at += length;
        }
        return width > 0 && height > 0 ? new ImageHeader(width, height) : null;
    }

    /** Where the content of the first box of {@code type} among the boxes in [from, to) starts and ends, or null. */
    private static long[] child(FileBytes file, long from, long to, String type) {
        for (long at = from; at + 8 <= to; ) {
            byte[] box = file.at(at, 16);
            long length = box == null ? -1 : boxLength(box, at, to);
            if (length < 0) {
                return null;
            }
            if (ascii(box, 4, type)) {
                return new long[] {at + (u32be(box, 0) == 1 ? 16 : 8), at + length};
            }
            at += length;
        }
        return null;
    }

    /** A box's length from its header: 32 bits, 64 when that says 1, to {@code end} when 0; -1 if malformed. */
    private static long boxLength(byte[] box, long at, long end) {
        if (box.length < 8) {
            return -1;
        }
        long length = u32be(box, 0);
        if (length == 1) {
            length = box.length < 16 ? -1 : u32be(box, 8) << 32 | u32be(box, 12);
        } else if (length == 0) {
            length = end - at;
        }
        return length < 8 || length > end - at ? -1 : length;
    }

    /**
     * The largest width and height any image in the file declares (an ICO holds several sizes), or null when metadata-extractor finds none or cannot parse the head.
     */
    private static ImageHeader library(byte[] b) {
        Metadata metadata;
        try {
            metadata = ImageMetadataReader.readMetadata(new ByteArrayInputStream(b), b.length);
        } catch (Exception | StackOverflowError e) { // a head cut short or made to confuse: unreadable, not fatal
            return null;
        }
        long width = 0;
        long height = 0;
        for (Directory d : metadata.getDirectories()) {
            int[] tags = d instanceof ExifIFD0Directory
                    ? new int[] {ExifIFD0Directory.TAG_IMAGE_WIDTH, ExifIFD0Directory.TAG_IMAGE_HEIGHT}
                    : d instanceof BmpHeaderDirectory
                            ? new int[] {BmpHeaderDirectory.TAG_IMAGE_WIDTH, BmpHeaderDirectory.TAG_IMAGE_HEIGHT}
                            : d instanceof IcoDirectory
                                    ? new int[] {IcoDirectory.TAG_IMAGE_WIDTH, IcoDirectory.TAG_IMAGE_HEIGHT}
                                    : null;
            Long w = tags == null ? null : d.getLongObject(tags[0]);
            Long h = tags == null ? null : d.getLongObject(tags[1]);
            if (w != null && h != null) {
                width = Math.max(width, Math.abs(w));
                height = Math.max(height, Math.abs(h)); // a bottom-up BMP has a negative height
            }
        }
        return width == 0 && height == 0 ? null : new ImageHeader(width, height);
    }

    /**
     * A TIFF's ImageWidth and ImageLength (tags 256 and 257) from its first directory, found through the
     * {@code header}, when that directory lies in {@code bytes}, the file's bytes from {@code at}; null otherwise.
     */
    private static ImageHeader tiff(byte[] header, long at, byte[] bytes) {
        boolean little = ascii(header, 0, "II");
        if (header.length < 8 || !little && !ascii(header, 0, "MM")) {
            return null;
        }
        long directory = u32(header, 4, little) - at;
        if (directory < 0 || directory + 2 > bytes.length) {
            return null;
        }
        int entries = u16(bytes, (int) directory, little);
        long width = 0;
        long height = 0;
        for (int i = 0; i < entries && directory + 2 + i * 12L + 12 <= bytes.length; i++) {
            int entry = (int) directory + 2 + i * 12;
            int tag = u16(bytes, entry, little);
            int fieldType = u16(bytes, entry + 2, little);
            long value =
                    fieldType == 3 ? u16(bytes, entry + 8, little) : fieldType == 4 ? u32(bytes, entry + 8, little) : 0;
            if (tag == 256) {
                width = value;
            } else if (tag == 257) {
                height = value;
            }
        }
        return width > 0 && height > 0 ? new ImageHeader(width, height) : null;
    }

    /** An SVG's declared size: width and height in pixels, else its view box; null when it declares neither. */
    private static ImageHeader svg(byte[] b) {
        Matcher root = SVG_ROOT.matcher(new String(b, ISO_8859_1));
        if (!root.find()) {
            return null;
        }
        String tag = root.group();
        double width = 0;
        double height = 0;
        Matcher length = SVG_LENGTH.matcher(tag);
        while (length.find()) {
            double value = parse(length.group(2));
            if (length.group(1).equals("width")) {
                width = value;
            } else {
                height = value;
            }
        }
        Matcher viewBox = SVG_VIEW_BOX.matcher(tag);
        if ((width == 0 || height == 0) && viewBox.find()) {
            width = width == 0 ? parse(viewBox.group(1)) : width;
            height = height == 0 ? parse(viewBox.group(2)) : height;
        }
        return width > 0 && height > 0 ? new ImageHeader((long) Math.ceil(width), (long) Math.ceil(height)) : null;
    }

    private static double parse(String number) {
        try {
            return Double.parseDouble(number);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Width times height, or {@link Long#MAX_VALUE} when that does not fit a long (SVG sizes and ispe go that high). */
    long pixels() {
        return Math.multiplyHigh(width, height) != 0 || width * height < 0 ? Long.MAX_VALUE : width * height;
    }

    /** Walks the JPEG segments to the first start-of-frame marker, which holds height then width. */
    private static ImageHeader jpeg(byte[] b) {
        return jpeg(b, b.length, Ranges.NONE);
    }

    /**
     * Walks the JPEG segments of a file of {@code size} bytes whose head is {@code head}; segment headers past it are
     * read with {@code ranges}, so large metadata segments cannot hide the frame header.
     */
    private static ImageHeader jpeg(byte[] head, long size, Ranges ranges) {
        FileBytes file = new FileBytes(head, size, ranges);
        long i = 2;
        while (i + 9 < size) {
            byte[] b = file.at(i, 10);
            if (b == null || b.length < 10 || (b[0] & 0xFF) != 0xFF) {
                return null;
            }
            int marker = b[1] & 0xFF;
            if (marker == 0xFF) {
                i++; // fill byte
                continue;
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                i += 2; // no length
                continue;
            }
            if (marker == 0xD8 || marker == 0xD9 || marker == 0xDA) {
                return null; // another start, the end or the scan before any frame header: not a JPEG a decoder reads
            }
            boolean startOfFrame =
                    marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (startOfFrame) {
                return new ImageHeader(u16be(b, 7), u16be(b, 5));
            }
            i += 2 + u16be(b, 2);
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
            return new ImageHeader(
                    1 + ((b[21] & 0xFF) | (b1 & 0x3F) << 8), 1 + ((b1 >> 6) | b2 << 2 | (b3 & 0x0F) << 10));
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

    private static int u16(byte[] b, int at, boolean little) {
        return little ? u16le(b, at) : u16be(b, at);
    }

    private static long u32(byte[] b, int at, boolean little) {
        return little ? (long) u16le(b, at + 2) << 16 | u16le(b, at) : u32be(b, at);
    }

    private static long u32be(byte[] b, int at) {
        return (long) u16be(b, at) << 16 | u16be(b, at + 2);
    }
}
