package dev.pontus.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a bad {@code pontus.*} setting at startup into a message that says what to set. */
class PontusFailureAnalyzer extends AbstractFailureAnalyzer<PontusConfigurationException> {
    @Override
    protected FailureAnalysis analyze(Throwable root, PontusConfigurationException cause) {
        return new FailureAnalysis("Pontus cannot start: " + cause.getMessage(), cause.action(), cause);
    }
}
