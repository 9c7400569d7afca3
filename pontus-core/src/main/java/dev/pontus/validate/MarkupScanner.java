package dev.pontus.validate;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds what makes a file run as script where it is served or included as HTML, SVG, PHP or PDF: tags and
 * handlers (case- and whitespace-insensitive, in ASCII, UTF-8 or UTF-16), script URLs, server-page openers, PDF
 * actions, and GIF headers that read as JavaScript. Works on any slice of a file, so the head and the tail (where
 * appended payloads sit) can be scanned without the middle.
 */
final class MarkupScanner {
    /** Tags that run or load something wherever they are parsed as HTML or SVG. */
    private static final String ACTIVE_TAGS = "script|iframe|object|embed|applet|foreignobject|frameset|frame"
            + "|meta\\s+http-equiv|base\\s+href|form\\s|link\\s+rel|style|xsl:|handler\\s";
    /** Tags that make a file an HTML or SVG document; ordinary in an SVG, so not looked for there. */
    private static final String DOCUMENT_TAGS = "html|body|svg|\\?xml-stylesheet";
    private static final String SCRIPT = "|<\\?php|<\\?=\\s|<%[=@!\\s][\\s\\S]{0,400}?%>"
            + "|(?<=[\\s\"'/;<`])on[a-z]{3,30}\\s*=" // any event handler: onload=, onerror =, onbegin=
            + "|(?:java|vb)script\\s*:";
    private static final Pattern MARKUP = Pattern.compile("<\\s{0,4}(?:" + ACTIVE_TAGS + "|" + DOCUMENT_TAGS + ")"
            + SCRIPT, Pattern.CASE_INSENSITIVE);
    private static final Pattern SVG_MARKUP = Pattern.compile("<\\s{0,4}(?:" + ACTIVE_TAGS + ")" + SCRIPT,
            Pattern.CASE_INSENSITIVE);
    /** PDF features that run code, launch programs or carry files (ISO 32000-1, 12.6 and 7.11). */
    private static final Pattern PDF_ACTIONS = Pattern.compile("/(?:JavaScript|JS|Launch|EmbeddedFiles?|RichMedia"
            + "|XFA)(?![A-Za-z0-9])"
            + "|/OpenAction\\s*<<[\\s\\S]{0,400}?/S\\s*/(?:JavaScript|Launch|SubmitForm|ImportData|GoToE|GoToR"
            + "|Rendition|URI)(?![A-Za-z])"
            + "|/AA\\s*<<");
    private static final Pattern PDF_NAME_ESCAPE = Pattern.compile("#([0-9A-Fa-f]{2})");

    private MarkupScanner() {
    }

    /** What was found in {@code bytes} of a file of {@code type}, quoted briefly; null when nothing was. */
    static String find(byte[] bytes, String type) {
        if (type.equals("image/gif") && bytes.length >= 8 && bytes[6] == '/' && bytes[7] == '*') {
            return "a GIF header that opens a JavaScript comment";
        }
        Pattern markup = type.equals("image/svg+xml") ? SVG_MARKUP : MARKUP;
        String text = new String(bytes, ISO_8859_1);
        String found = first(markup, text);
        if (found == null && hasZeros(bytes)) {
            found = first(markup, withoutZeros(bytes)); // UTF-16, little or big endian
        }
        if (found == null && type.equals("application/pdf")) {
            found = first(PDF_ACTIONS, text.indexOf('#') < 0 ? text : unescapePdfNames(text));
        }
        return found;
    }

    private static String first(Pattern pattern, String text) {
        Matcher matcher = pattern.matcher(text);
        if (!matcher.find()) {
            return null;
        }
        String match = matcher.group().replaceAll("\\s+", " ");
        return match.length() > 40 ? match.substring(0, 40) + "…" : match;
    }

    private static boolean hasZeros(byte[] bytes) {
        for (byte b : bytes) {
            if (b == 0) {
                return true;
            }
        }
        return false;
    }

    private static String withoutZeros(byte[] bytes) {
        StringBuilder text = new StringBuilder(bytes.length / 2 + 16);
        for (byte b : bytes) {
            if (b != 0) {
                text.append((char) (b & 0xff));
            }
        }
        return text.toString();
    }

    /** {@code /J#61vaScript} is {@code /JavaScript} to a PDF reader. */
    private static String unescapePdfNames(String text) {
        return PDF_NAME_ESCAPE.matcher(text).replaceAll(m -> Matcher.quoteReplacement(
                String.valueOf((char) Integer.parseInt(m.group(1), 16))));
    }
}
