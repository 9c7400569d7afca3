package dev.pontus.validate;

import java.util.ArrayList;
import java.util.List;

/**
 * Limits an image's width, height and pixel count, read from the header without decoding pixels, so a small file
 * that decodes to a gigapixel image (a decompression bomb) is refused. Run by {@link UploadPromoter}, it follows a
 * JPEG's segments or a TIFF's directory offset past the head with a few small ranged reads (bounded in count and
 * bytes), so large metadata cannot push the header out of reach. An image whose
 * header cannot be read passes unless {@link Builder#requireReadable()} is set; files that are not images pass.
 *
 * <pre>{@code
 * Validator limits = Validators.imageDimensions().maxWidth(8000).maxHeight(8000).maxPixels(40_000_000).build();
 * }</pre>
 */
public final class ImageDimensions implements Validator {
    private final long minWidth;
    private final long minHeight;
    private final long maxWidth;
    private final long maxHeight;
    private final long maxPixels;
    private final boolean requireReadable;

    private ImageDimensions(Builder b) {
        this.minWidth = b.minWidth;
        this.minHeight = b.minHeight;
        this.maxWidth = b.maxWidth;
        this.maxHeight = b.maxHeight;
        this.maxPixels = b.maxPixels;
        this.requireReadable = b.requireReadable;
    }

    static Builder builder() {
        return new Builder();
    }

    @Override
    public List<Violation> validate(UploadedObject upload) {
        return validate(upload, Ranges.NONE);
    }

    /** As the promoter runs it: where the header lies past the head, {@code ranges} reads it. */
    List<Violation> validate(UploadedObject upload, Ranges ranges) {
        if (!upload.detectedType().startsWith("image/")) {
            return List.of();
        }
        ImageHeader image = ImageHeader.read(upload, ranges);
        if (image == null || image.width() == 0 || image.height() == 0) {
            return requireReadable
                    ? List.of(new Violation(
                            "image-unreadable",
                            "The dimensions of this " + upload.detectedType()
                                    + " image cannot be read from its header."))
                    : List.of();
        }
        List<Violation> violations = new ArrayList<>();
        String size = image.width() + "x" + image.height();
        if (image.width() < minWidth || image.height() < minHeight) {
            violations.add(new Violation(
                    "image-too-small",
                    "The image is " + size + " pixels; at least " + minWidth + "x" + minHeight + " is required."));
        }
        if (image.width() > maxWidth || image.height() > maxHeight) {
            violations.add(new Violation(
                    "image-too-large",
                    "The image is " + size + " pixels; at most " + maxWidth + "x" + maxHeight + " is allowed."));
        }
        if (image.pixels() > maxPixels) {
            violations.add(new Violation(
                    "image-too-many-pixels",
                    "The image is " + size + " = " + image.pixels() + " pixels; at most " + maxPixels
                            + " are allowed."));
        }
        return violations;
    }

    /** Builds {@link ImageDimensions}; every limit is optional. */
    public static final class Builder {
        private long minWidth;
        private long minHeight;
        private long maxWidth = Long.MAX_VALUE;
        private long maxHeight = Long.MAX_VALUE;
        private long maxPixels = Long.MAX_VALUE;
        private boolean requireReadable;

        private Builder() {}

        /**
         * Refuse images whose dimensions cannot be read (default: they pass). Read are JPEG, PNG, GIF, WebP,
         * HEIC/HEIF, AVIF, TIFF, BMP, ICO, and SVG's declared size; a JPEG's frame header, a TIFF's directory and a
         * HEIF's properties are followed past the head with a few small ranged reads (at most 16, 64 KiB in all).
         */
        public Builder requireReadable() {
            requireReadable = true;
            return this;
        }

        public Builder minWidth(long pixels) {
            minWidth = positive("minWidth", pixels);
            return this;
        }

        public Builder minHeight(long pixels) {
            minHeight = positive("minHeight", pixels);
            return this;
        }

        public Builder maxWidth(long pixels) {
            maxWidth = positive("maxWidth", pixels);
            return this;
        }

        public Builder maxHeight(long pixels) {
            maxHeight = positive("maxHeight", pixels);
            return this;
        }

        /** At most this many pixels (width x height): the decompression-bomb limit. */
        public Builder maxPixels(long pixels) {
            maxPixels = positive("maxPixels", pixels);
            return this;
        }

        public ImageDimensions build() {
            if (minWidth > maxWidth || minHeight > maxHeight) {
                throw new IllegalArgumentException("imageDimensions: min " + minWidth + "x" + minHeight
                        + " is greater than max " + maxWidth + "x" + maxHeight + "; lower min or raise max");
            }
            return new ImageDimensions(this);
        }

        private static long positive(String name, long pixels) {
            if (pixels <= 0) {
                throw new IllegalArgumentException("imageDimensions: " + name + " must be positive, got " + pixels);
            }
            return pixels;
        }
    }
}
