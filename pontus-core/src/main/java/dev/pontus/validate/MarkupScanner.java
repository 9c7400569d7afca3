package dev.pontus.validate;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Finds what makes a file run as script where it is served or included as HTML, SVG, PHP or PDF: tags and
 * handlers (case- and whitespace-insensitive, in ASCII, UTF-8 or UTF-16), script URLs, server-page openers, PDF
 * actions (also inside compressed object streams), and GIF headers that read as JavaScript. Works on any slice of a
 * file, so the head and the tail (where appended payloads sit) can be scanned without the middle.
 *
 * <p>Each pattern is tried only where it can start (a {@code <}, an {@code on} after a delimiter, a
 * {@code script}, a PDF name's {@code /}), found with {@link String#indexOf}: a 64 KiB slice takes well under a
 * millisecond.
 */
final class MarkupScanner {
    /** Tags that run or load something wherever they are parsed as HTML or SVG. */
    private static final String ACTIVE_TAGS = "script|iframe|object|embed|applet|foreignobject|frameset|frame"
            + "|meta\\s+http-equiv|base\\s+href|form\\s|link\\s+rel|style|xsl:|handler\\s";
    /** Tags that make a file an HTML or SVG document; ordinary in an SVG, so not looked for there. */
    private static final String DOCUMENT_TAGS = "html|body|svg|\\?xml-stylesheet";

    private static final String SERVER_PAGES = "|\\?php|\\?=\\s|%[=@!\\s][\\s\\S]{0,400}?%>";
    /** At a {@code <}, in lower-cased text. */
    private static final Pattern TAG =
            Pattern.compile("<(?:\\s{0,4}(?:" + ACTIVE_TAGS + "|" + DOCUMENT_TAGS + ")" + SERVER_PAGES + ")");

    private static final Pattern SVG_TAG = Pattern.compile("<(?:\\s{0,4}(?:" + ACTIVE_TAGS + ")" + SERVER_PAGES + ")");
    /** Any event handler, at an {@code on} after a delimiter: onload=, onerror =, onbegin=. */
    private static final Pattern HANDLER = Pattern.compile("on[a-z]{3,30}\\s*=");

    private static final String HANDLER_DELIMITERS = " \t\n\r\f\u000b\"'/;<`";
    private static final Pattern SCRIPT_URL = Pattern.compile("script\\s*:");
    /** PDF features that run code, launch programs or carry files (ISO 32000-1, 12.6 and 7.11), at a {@code /}. */
    private static final Pattern PDF_ACTIONS = Pattern.compile("/(?:JavaScript|JS|Launch|EmbeddedFiles?|RichMedia"
            + "|XFA)(?![A-Za-z0-9])"
            + "|/OpenAction\\s*<<[\\s\\S]{0,400}?/S\\s*/(?:JavaScript|Launch|SubmitForm|ImportData|GoToE|GoToR"
            + "|Rendition|URI)(?![A-Za-z])"
            + "|/AA\\s*<<");

    private static final Pattern PDF_NAME_ESCAPE = Pattern.compile("#([0-9A-Fa-f]{2})");
    private static final Pattern PDF_STREAM = Pattern.compile("stream\\r?\\n");
    /** How far past its start a match may reach. */
    private static final int MATCH_SPAN = 512;
    /** How much a PDF's compressed object streams may inflate to, in all: a deflate bomb gets no further. */
    private static final int INFLATE_LIMIT = 4 << 20;

    private MarkupScanner() {}

    /** What was found in {@code bytes}, the head of a file of {@code type}, quoted briefly; null when nothing was. */
    static String find(byte[] bytes, String type) {
        if (type.equals("image/gif") && bytes.length >= 8 && bytes[6] == '/' && bytes[7] == '*') {
            return "a GIF header that opens a JavaScript comment";
        }
        return findInside(bytes, type);
    }

    /** As {@link #find}, for bytes from anywhere in the file (no header checks). */
    static String findInside(byte[] bytes, String type) {
        boolean svg = type.equals("image/svg+xml");
        String found = markup(lowerAscii(bytes, false), svg);
        if (found == null && mayHoldUtf16Markup(bytes)) {
            found = markup(lowerAscii(bytes, true), svg); // UTF-16, little or big endian
        }
        if (found == null && type.equals("application/pdf")) {
            String text = new String(bytes, ISO_8859_1);
            found = pdfActions(text);
            if (found == null) { // PDF 1.5+ keeps objects, the catalog and actions among them, in compressed streams
                found = pdfActions(inflateObjectStreams(bytes, text));
            }
        }
        return found;
    }

    private static String markup(String text, boolean svg) {
        Matcher tag = (svg ? SVG_TAG : TAG).matcher(text);
        for (int at = text.indexOf('<'); at >= 0; at = text.indexOf('<', at + 1)) {
            char next = at + 1 < text.length() ? text.charAt(at + 1) : '<';
            boolean mayStart = next >= 'a' && next <= 'z' || next == '?' || next == '%' || next <= ' ';
            if (mayStart && lookingAt(tag, text, at)) {
                return quote(tag.group());
            }
        }
        Matcher handler = HANDLER.matcher(text);
        for (int at = text.indexOf("on"); at >= 0; at = text.indexOf("on", at + 1)) {
            if (at > 0 && HANDLER_DELIMITERS.indexOf(text.charAt(at - 1)) >= 0 && lookingAt(handler, text, at)) {
                return quote(handler.group());
            }
        }
        Matcher url = SCRIPT_URL.matcher(text);
        for (int at = text.indexOf("script"); at >= 0; at = text.indexOf("script", at + 1)) {
            boolean scheme = text.startsWith("java", at - 4) || text.startsWith("vb", at - 2);
            if (scheme && lookingAt(url, text, at)) {
                return quote(text.substring(at - (text.startsWith("vb", at - 2) ? 2 : 4), url.end()));
            }
        }
        return null;
    }

    private static String pdfActions(String text) {
        String names = text.indexOf('#') < 0 ? text : unescapePdfNames(text);
        Matcher action = PDF_ACTIONS.matcher(names);
        for (int at = names.indexOf('/'); at >= 0; at = names.indexOf('/', at + 1)) {
            boolean mayStart = at + 1 < names.length() && "JLERXOA".indexOf(names.charAt(at + 1)) >= 0;
            if (mayStart && lookingAt(action, names, at)) {
                return quote(action.group());
            }
        }
        return null;
    }

    private static boolean lookingAt(Matcher matcher, String text, int at) {
        return matcher.region(at, Math.min(text.length(), at + MATCH_SPAN)).lookingAt();
    }

    private static String quote(String match) {
        String quoted = match.replaceAll("\\s+", " ");
        return quoted.length() > 40 ? quoted.substring(0, 40) + "…" : quoted;
    }

    /** The bytes as ISO-8859-1 text with ASCII letters lower-cased, without the zero bytes if so asked. */
    private static String lowerAscii(byte[] bytes, boolean dropZeros) {
        byte[] lower = new byte[bytes.length];
        int n = 0;
        for (byte b : bytes) {
            if (b != 0 || !dropZeros) {
                lower[n++] = b >= 'A' && b <= 'Z' ? (byte) (b + 32) : b;
            }
        }
        return new String(lower, 0, n, ISO_8859_1);
    }

    /** Whether a {@code <}, {@code o}, {@code j} or {@code v} stands next to a zero byte, as in UTF-16 text. */
    private static boolean mayHoldUtf16Markup(byte[] bytes) {
        for (int i = 0; i < bytes.length - 1; i++) {
            int b = bytes[i] | 0x20;
            if ((b == '<' || b == 'o' || b == 'j' || b == 'v') && (bytes[i + 1] == 0 || i > 0 && bytes[i - 1] == 0)) {
                return true;
            }
        }
        return false;
    }

    /** The inflated content of every Flate-compressed object stream ({@code /Type /ObjStm}) that starts here. */
    private static String inflateObjectStreams(byte[] bytes, String text) {
        StringBuilder inflated = new StringBuilder();
        Matcher stream = PDF_STREAM.matcher(text);
        byte[] buffer = new byte[64 * 1024];
        while (stream.find() && inflated.length() < INFLATE_LIMIT) {
            int objectStart = text.lastIndexOf(" obj", stream.start());
            String dictionary = objectStart < 0 ? "" : text.substring(objectStart, stream.start());
            if (!dictionary.contains("/ObjStm") || !dictionary.contains("/FlateDecode")) {
                continue;
            }
            Inflater inflater = new Inflater();
            try {
                inflater.setInput(bytes, stream.end(), bytes.length - stream.end());
                int n;
                while (inflated.length() < INFLATE_LIMIT && (n = inflater.inflate(buffer)) > 0) {
                    inflated.append(new String(buffer, 0, n, ISO_8859_1));
                }
            } catch (DataFormatException e) {
                // corrupt or cut at the edge of the bytes read: what inflated so far is scanned
            } finally {
                inflater.end();
            }
        }
        return inflated.toString();
    }

    /** {@code /J#61vaScript} is {@code /JavaScript} to a PDF reader. */
    private static String unescapePdfNames(String text) {
        return PDF_NAME_ESCAPE
                .matcher(text)
                .replaceAll(m -> Matcher.quoteReplacement(String.valueOf((char) Integer.parseInt(m.group(1), 16))));
    }
}
