package dev.pontus.sign;

import java.util.List;

/** Writes POST policies as JSON: the one place that does. */
final class PolicyJson {
    private PolicyJson() {}

    /** The conditions as JSON array elements, each after a comma. */
    static String conditions(List<? extends Condition> conditions) {
        StringBuilder json = new StringBuilder(64 * conditions.size());
        conditions.forEach(c -> c.appendJson(json.append(',')));
        return json.toString();
    }

    /**
     * The policy document: the expiration, then {@code first}, the request's own conditions (rendered once by
     * {@link #conditions}) and {@code last}.
     */
    static String document(String expiration, List<Condition> first, String requestConditions, List<Condition> last) {
        StringBuilder json = new StringBuilder(640)
                .append("{\"expiration\":\"")
                .append(expiration)
                .append("\",\"conditions\":[");
        for (int i = 0; i < first.size(); i++) {
            first.get(i).appendJson(i == 0 ? json : json.append(','));
        }
        json.append(requestConditions);
        last.forEach(c -> c.appendJson(json.append(',')));
        return json.append("]}").toString();
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

    static void range(StringBuilder json, long min, long max) {
        json.append("[\"content-length-range\",")
                .append(min)
                .append(',')
                .append(max)
                .append(']');
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
