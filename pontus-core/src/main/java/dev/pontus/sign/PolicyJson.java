package dev.pontus.sign;

/** Writes POST policy conditions as JSON. */
final class PolicyJson {
    private PolicyJson() {
    }

    static void eq(StringBuilder json, String field, String value) {
        json.append("{\"");
        escape(json, field).append("\":\"");
        escape(json, value).append("\"}");
    }

    static void startsWith(StringBuilder json, String field, String prefix) {
        json.append("[\"starts-with\",\"$");
        escape(json, field).append("\",\"");
        escape(json, prefix).append("\"]");
    }

    /** JSON string escaping; control characters were refused when the request was built. */
    private static StringBuilder escape(StringBuilder json, String s) {
        if (s.indexOf('"') < 0 && s.indexOf('\\') < 0) {
            return json.append(s);
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                json.append('\\');
            }
            json.append(c);
        }
        return json;
    }
}
