package dev.pontus.validate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The built-in validators: size, MIME type allowed or denied (sniffed from the content), declared type agrees
 * with the content, image dimensions and embedded markup.
 *
 * <pre>{@code
 * List<Validator> rules = List.of(
 *         Validators.fileSize(1, 10 * 1024 * 1024),
 *         Validators.allowTypes("image/*", "application/pdf"),
 *         Validators.imageDimensions().maxPixels(50_000_000).build(),
 *         Validators.noEmbeddedMarkup());
 * }</pre>
 */
public final class Validators {
    private Validators() {}

    /** The object's size is within {@code min..max} bytes, both inclusive. */
    public static Validator fileSize(long min, long max) {
        if (min < 0 || max < 0) {
            throw new IllegalArgumentException("fileSize: sizes must not be negative, got min " + min + ", max " + max);
        }
        if (min > max) {
            throw new IllegalArgumentException(
                    "fileSize: min " + min + " is greater than max " + max + "; swap them or raise max");
        }
        return upload -> {
            if (upload.size() < min) {
                return List.of(new Violation(
                        "file-too-small",
                        "The file is " + bytes(upload.size()) + "; at least " + bytes(min) + " is required."));
            }
            if (upload.size() > max) {
                return List.of(new Violation(
                        "file-too-large",
                        "The file is " + bytes(upload.size()) + "; at most " + bytes(max) + " is allowed."));
            }
            return List.of();
        };
    }

    public static Validator maxFileSize(long max) {
        return fileSize(0, max);
    }

    public static Validator minFileSize(long min) {
        return fileSize(min, Long.MAX_VALUE);
    }

    /** The sniffed type is one of {@code types}: exact ({@code image/png}) or wildcards ({@code image/*}). */
    public static Validator allowTypes(String... types) {
        List<String> patterns = patterns("allowTypes", types);
        return upload -> matches(patterns, upload.detectedType())
                ? List.of()
                : List.of(new Violation(
                        "type-not-allowed",
                        "The file's content is " + upload.detectedType() + "; allowed: " + String.join(", ", patterns)
                                + "."));
    }

    /** The sniffed type matches {@code regex} in full, such as {@code image/(png|jpeg)}. */
    public static Validator allowTypes(Pattern regex) {
        requireRegex("allowTypes", regex);
        return upload -> regex.matcher(upload.detectedType()).matches()
                ? List.of()
                : List.of(new Violation(
                        "type-not-allowed",
                        "The file's content is " + upload.detectedType() + "; allowed: types matching "
                                + regex.pattern() + "."));
    }

    /** The sniffed type is none of {@code types}: exact or wildcards. */
    public static Validator denyTypes(String... types) {
        List<String> patterns = patterns("denyTypes", types);
        return upload -> matches(patterns, upload.detectedType())
                ? List.of(new Violation("type-denied", "Files of type " + upload.detectedType() + " are not accepted."))
                : List.of();
    }

    /** The sniffed type does not match {@code regex} in full. */
    public static Validator denyTypes(Pattern regex) {
        requireRegex("denyTypes", regex);
        return upload -> regex.matcher(upload.detectedType()).matches()
                ? List.of(new Violation("type-denied", "Files of type " + upload.detectedType() + " are not accepted."))
                : List.of();
    }

    /**
     * The Content-Type the browser declared (and S3 will serve) agrees with the content: the same type, or a
     * more general one such as {@code application/zip} for a DOCX or {@code application/octet-stream}.
     */
    public static Validator declaredTypeMatches() {
        return upload -> {
            String declared = upload.contentType();
            if (declared != null && MimeSniffer.isA(upload.detectedType(), declared)) {
                return List.of();
            }
            return List.of(new Violation(
                    "type-mismatch",
                    "The file was declared as " + declared + " but its content is " + upload.detectedType() + "."));
        };
    }

    /** Limits on an image's width, height and pixel count, read from its header; non-images pass. */
    public static ImageDimensions.Builder imageDimensions() {
        return ImageDimensions.builder();
    }

    /**
     * An image or PDF whose head or tail carries markup that runs as script ({@code <script}, {@code <svg},
     * {@code onerror =}, {@code javascript:}, {@code <?php}, in ASCII or UTF-16), a PDF with actions that run
     * code, launch programs or carry files ({@code /JavaScript}, {@code /JS}, {@code /Launch}, {@code /OpenAction}
     * with such an action, {@code /AA}, {@code /EmbeddedFile}, {@code /RichMedia}, {@code /XFA}), or a GIF whose
     * header reads as JavaScript is refused: such a polyglot passes any MIME check and runs wherever it is served
     * or included as HTML, SVG, PHP or opened as a PDF. An SVG is scanned for scripts and handlers only.
     */
    public static Validator noEmbeddedMarkup() {
        return upload -> {
            String type = upload.detectedType();
            if (!scannedForMarkup(type)) {
                return List.of();
            }
            String found = MarkupScanner.find(upload.headUnsafe(), type);
            if (found == null && upload.tailUnsafe().length > 0) {
                found = MarkupScanner.findInside(upload.tailUnsafe(), type);
            }
            return found == null ? List.of() : List.of(embeddedMarkup(type, found));
        };
    }

    /** The types whose files are scanned for markup: images and PDFs, which should carry none. */
    static boolean scannedForMarkup(String type) {
        return type.startsWith("image/") || type.equals("application/pdf");
    }

    static Violation embeddedMarkup(String type, String found) {
        return new Violation(
                "embedded-markup",
                "The " + type + " file contains markup or actions (" + found + ") that could run as a script.");
    }

    /**
     * The types that run as script where a browser opens them: HTML, XHTML, SVG, XML (which can carry XSLT and
     * XHTML), JavaScript, and server pages. {@link UploadPromoter} refuses them unless told otherwise.
     */
    public static final List<String> ACTIVE_CONTENT = List.of(
            "text/html",
            "application/xhtml+xml",
            "image/svg+xml",
            "application/xml",
            "text/xml",
            "application/xslt+xml",
            "text/javascript",
            "application/javascript",
            "application/ecmascript",
            "text/ecmascript",
            "application/x-httpd-php",
            "text/x-php",
            "application/x-sh",
            "application/x-shockwave-flash",
            "text/x-server-parsed-html",
            "application/hta",
            "text/vbscript",
            "text/x-jsp",
            "text/asp",
            "application/x-asp");

    /** Refuses {@link #ACTIVE_CONTENT} and its subtypes (RSS, Atom and other XML dialects), sniffed from the bytes. */
    public static Validator denyActiveContent() {
        return upload -> {
            String type = upload.detectedType();
            for (String active : ACTIVE_CONTENT) {
                if (MimeSniffer.isA(type, active)) {
                    return List.of(new Violation(
                            "type-active-content",
                            "Files of type " + type + " can run as a" + " script in a browser and are not accepted."));
                }
            }
            return List.of();
        };
    }

    /**
     * The canonical name of a MIME type as clients send it: {@code image/jpg} and {@code image/pjpeg} are
     * {@code image/jpeg}, {@code application/x-pdf} is {@code application/pdf}; lower case, without parameters.
     * Text that is no MIME type comes back as given.
     */
    public static String canonicalType(String type) {
        return MimeSniffer.canonical(type);
    }

    /**
     * A test of declared types against {@code patterns} (exact types or wildcards such as {@code image/*}), parsed
     * once: aliases count as the type they stand for ({@code image/jpg} is {@code image/jpeg}).
     */
    public static Predicate<String> typeMatcher(List<String> patterns) {
        List<String> parsed = patterns("typeMatcher", patterns.toArray(String[]::new));
        return type -> {
            var normalized = type == null ? null : MimeSniffer.normalize(type);
            return normalized != null && matches(parsed, normalized.toString());
        };
    }

    static boolean matches(List<String> patterns, String type) {
        for (String pattern : patterns) {
            if (pattern.equals("*/*")
                    || pattern.endsWith("/*") && type.startsWith(pattern.substring(0, pattern.length() - 1))
                    || pattern.equals(type)) {
                return true;
            }
        }
        return false;
    }

    private static List<String> patterns(String name, String... types) {
        if (types == null || types.length == 0) {
            throw new IllegalArgumentException(name + ": give at least one type, such as \"image/png\" or \"image/*\"");
        }
        List<String> patterns = new ArrayList<>();
        for (String type : types) {
            if (type == null || !type.matches("[\\w.+-]+/(\\*|[\\w.+-]+)") && !type.equals("*/*")) {
                throw new IllegalArgumentException(name + ": '" + type + "' is not a MIME type or wildcard; use a"
                        + " form such as \"image/png\" or \"image/*\"");
            }
            // Wildcards as given; exact types in canonical form once here, not at every validation.
            patterns.add(
                    type.endsWith("/*")
                            ? type.toLowerCase(Locale.ROOT)
                            : MimeSniffer.normalize(type).toString());
        }
        return List.copyOf(patterns);
    }

    private static void requireRegex(String name, Pattern regex) {
        if (regex == null) {
            throw new IllegalArgumentException(name + ": give a regex, such as Pattern.compile(\"image/(png|jpeg)\")");
        }
    }

    /** 1536 → "1.5 KiB (1536 bytes)". */
    static String bytes(long n) {
        if (n < 1024) {
            return n + (n == 1 ? " byte" : " bytes");
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = n;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s (%d bytes)", value, units[unit], n);
    }
}
