package dev.pontus;

/** The root of Pontus's failures from S3; the SDK's exception, if any, is the cause. */
public class PontusException extends RuntimeException {
    public PontusException(String message, Throwable cause) {
        super(message, cause);
    }
}
