package dev.pontus.spring;

import java.util.Set;

/**
 * Refuses a {@code pontus.key-secret} that anyone could know: an unresolved placeholder, one that holds whitespace
 * or '#' (a properties file has no inline comments, so {@code value   # comment} makes the comment part of the
 * secret), or one shown as an example in the docs.
 */
final class KeySecrets {
    /** Every value the docs, the README and the samples ever showed for the key secret. */
    static final Set<String> DOCUMENTED_EXAMPLES = Set.of(
            "${PONTUS_KEY_SECRET}   # same on every instance (32+ chars)",
            "${PONTUS_KEY_SECRET}",
            "change-me-to-a-random-string-of-32-characters",
            "0123456789abcdef0123456789abcdef");

    private static final String MAKE_ONE = "Give every instance the same random secret from the environment, made with"
            + " 'openssl rand -hex 32' (pontus.key-secret=${PONTUS_KEY_SECRET} with PONTUS_KEY_SECRET set),"
            + " or remove the property for a random secret per process.";

    private KeySecrets() {}

    /** Throws Boot's report for {@code pontus.key-secret} when {@code secret} is one anyone could know. */
    static void requireUnguessable(String secret) {
        if (secret.contains("${")) {
            throw Settings.invalid(
                    "pontus.key-secret",
                    secret.strip(),
                    "It holds a placeholder that nothing resolved, so the secret is its literal text"
                            + (secret.contains("#") ? ", and a '# comment' after it became part of it too" : "")
                            + ". " + MAKE_ONE);
        }
        if (DOCUMENTED_EXAMPLES.contains(secret)) {
            throw Settings.invalid(
                    "pontus.key-secret", "(redacted)", "It is an example from the docs, known to anyone. " + MAKE_ONE);
        }
        if (secret.chars().anyMatch(c -> Character.isWhitespace(c) || c == '#')) {
            throw Settings.invalid(
                    "pontus.key-secret",
                    "(redacted)",
                    "It holds whitespace or '#': .properties files have no inline comments, so a '# comment' after"
                            + " the value became part of the secret. Put comments on a line of their own. "
                            + MAKE_ONE);
        }
    }
}
