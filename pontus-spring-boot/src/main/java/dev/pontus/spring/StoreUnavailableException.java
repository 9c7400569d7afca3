package dev.pontus.spring;

import java.net.URI;

/** The store cannot be used as configured; {@link StoreFailureAnalyzer} reports it at start-up with the fix. */
final class StoreUnavailableException extends RuntimeException {
    private final StoreProblem problem;
    private final String bucket;
    private final URI endpoint;

    StoreUnavailableException(StoreProblem problem, String bucket, URI endpoint, Throwable cause) {
        super(problem.description(bucket, endpoint) + " " + problem.action(), cause);
        this.problem = problem;
        this.bucket = bucket;
        this.endpoint = endpoint;
    }

    StoreProblem problem() {
        return problem;
    }

    String description() {
        return problem.description(bucket, endpoint);
    }
}
