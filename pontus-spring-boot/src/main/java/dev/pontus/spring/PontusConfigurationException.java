package dev.pontus.spring;

/** A {@code pontus.*} setting that Pontus cannot start with; {@link PontusFailureAnalyzer} says what to set. */
public class PontusConfigurationException extends RuntimeException {
    private final String property;
    private final String action;

    public PontusConfigurationException(String property, String problem, String action) {
        super(property + ": " + problem);
        this.property = property;
        this.action = action;
    }

    /** The property to fix, such as {@code pontus.bucket}. */
    public String property() {
        return property;
    }

    /** What to do about it. */
    public String action() {
        return action;
    }
}
