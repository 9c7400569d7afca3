package dev.pontus.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Boot's start-up report for a store that cannot be used: the cause, and what to set. */
class StoreFailureAnalyzer extends AbstractFailureAnalyzer<StoreUnavailableException> {
    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, StoreUnavailableException cause) {
        String detail = detail(cause);
        return new FailureAnalysis(
                cause.description() + (detail == null ? "" : "\n\n" + detail),
                cause.problem().action(),
                cause);
    }

    /**
     * What the store answered, or why it could not be asked; nothing for a missing setting, which the description
     * and the action say in full (the SDK's text would list every provider it tried).
     */
    private static String detail(StoreUnavailableException cause) {
        for (Throwable t = cause.getCause(); t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof S3Exception s3) {
                return "The store answered HTTP " + s3.statusCode()
                        + (s3.requestId() == null ? "." : " (request id " + s3.requestId() + ").");
            }
        }
        if (cause.problem() == StoreProblem.UNREACHABLE && cause.getCause() != null) {
            String message = String.valueOf(cause.getCause().getMessage()).strip();
            int end = message.indexOf('\n');
            return "The AWS SDK said: " + (end < 0 ? message : message.substring(0, end));
        }
        return null;
    }
}
