package dev.pontus.spring;

import org.springframework.http.HttpStatus;

/** A request refused before anything happened in the bucket: which field, and what to do. */
final class Refused extends RuntimeException {
    final HttpStatus status;
    final String field;

    Refused(HttpStatus status, String field, String message) {
        super(message.startsWith(field + ":") ? message : field + ": " + message);
        this.status = status;
        this.field = field;
    }
}
