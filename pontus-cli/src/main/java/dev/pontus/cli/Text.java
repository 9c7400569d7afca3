package dev.pontus.cli;

/** Text from a bucket made safe for a terminal: control characters shown as escapes, never sent raw. */
final class Text {
    private Text() {}

    static String printable(String value) {
        StringBuilder out = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean control = c < 0x20 || (c >= 0x7f && c < 0xa0) || c == 0x2028 || c == 0x2029;
            if (control && out == null) {
                out = new StringBuilder(value.substring(0, i));
            }
            if (out != null) {
                out.append(control ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return out == null ? value : out.toString();
    }
}
