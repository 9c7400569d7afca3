package dev.pontus.spring;

import org.springframework.http.HttpStatus;

/** Core's multipart error codes, each with the status and the request field the endpoints answer it with. */
enum MultipartFailure {
    FILE_TOO_LARGE("file-too-large", HttpStatus.CONTENT_TOO_LARGE, "file"),
    FILE_TOO_SMALL("file-too-small", HttpStatus.BAD_REQUEST, "file"),
    PARTS_MISMATCH("parts-mismatch", HttpStatus.BAD_REQUEST, "parts"),
    NO_PARTS("no-parts", HttpStatus.BAD_REQUEST, "parts"),
    TOO_MANY_PARTS("too-many-parts", HttpStatus.BAD_REQUEST, "partNumber"),
    PART_TOO_SMALL("part-too-small", HttpStatus.BAD_REQUEST, "parts"),
    NO_SUCH_UPLOAD("no-such-upload", HttpStatus.NOT_FOUND, "uploadId");

    final String code;
    final HttpStatus status;
    final String field;

    MultipartFailure(String code, HttpStatus status, String field) {
        this.code = code;
        this.status = status;
        this.field = field;
    }

    /** The failure core reported as {@code code}; a code this version does not know is the client's parts. */
    static MultipartFailure of(String code) {
        for (MultipartFailure failure : values()) {
            if (failure.code.equals(code)) {
                return failure;
            }
        }
        return PARTS_MISMATCH;
    }
}
