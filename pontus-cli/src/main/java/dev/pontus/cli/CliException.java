package dev.pontus.cli;

/**
 * The audit could not run (a bad option, no bucket, no credentials, the store unreachable): its message is the one
 * line the user sees, saying what to do; exit status 2, never a stack trace.
 */
final class CliException extends RuntimeException {
    CliException(String message) {
        super(message);
    }

    CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
