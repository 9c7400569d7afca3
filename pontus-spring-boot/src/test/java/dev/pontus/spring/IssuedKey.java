package dev.pontus.spring;

/** The parts of a key the test app issued ({@code unvalidated/<id>.<mac>/<name>}), and where it is promoted. */
record IssuedKey(String id, String mac, String name) {
    static IssuedKey of(String key) {
        String rest = key.substring("unvalidated/".length());
        int dot = rest.indexOf('.');
        int slash = rest.indexOf('/');
        return new IssuedKey(rest.substring(0, dot), rest.substring(dot + 1, slash), rest.substring(slash + 1));
    }

    /** The final key in the test apps, whose validated prefix is {@code files/}: the id and name, no MAC. */
    static String promoted(String key) {
        IssuedKey issued = of(key);
        return "files/" + issued.id() + "/" + issued.name();
    }
}
