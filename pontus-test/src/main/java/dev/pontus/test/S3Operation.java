package dev.pontus.test;

import java.util.Map;

/** The S3 operation an HTTP request performs, told from its method, query and headers (path-style requests). */
public enum S3Operation {
    GET,
    /** A GET with a {@code Range} header, as validation's head and tail reads. */
    RANGED_GET,
    HEAD,
    PUT,
    /** CopyObject: a PUT with {@code x-amz-copy-source}. */
    COPY,
    DELETE,
    CREATE_MULTIPART,
    UPLOAD_PART,
    UPLOAD_PART_COPY,
    COMPLETE_MULTIPART,
    ABORT_MULTIPART,
    LIST_PARTS,
    LIST_MULTIPART_UPLOADS,
    LIST_OBJECTS,
    /** A browser's POST Object (a form upload). */
    POST_OBJECT,
    OTHER;

    /**
     * Tells the operation of a request.
     *
     * @param method  the HTTP method
     * @param target  the request target, path and query
     * @param headers the request headers, names in lower case
     */
    static S3Operation of(String method, String target, Map<String, String> headers) {
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        String query = q < 0 ? "" : "&" + target.substring(q + 1);
        boolean objectPath = path.indexOf('/', 1) > 0 && path.indexOf('/', 1) < path.length() - 1;
        boolean upload = query.contains("&uploadId=");
        boolean copy = headers.containsKey("x-amz-copy-source");
        switch (method) {
            case "GET":
                if (!objectPath) {
                    return query.contains("&uploads") ? LIST_MULTIPART_UPLOADS : LIST_OBJECTS;
                }
                return upload ? LIST_PARTS : headers.containsKey("range") ? RANGED_GET : GET;
            case "HEAD":
                return HEAD;
            case "PUT":
                if (upload) {
                    return copy ? UPLOAD_PART_COPY : UPLOAD_PART;
                }
                return copy ? COPY : PUT;
            case "DELETE":
                return upload ? ABORT_MULTIPART : DELETE;
            case "POST":
                if (query.contains("&uploads")) {
                    return CREATE_MULTIPART;
                }
                if (upload) {
                    return COMPLETE_MULTIPART;
                }
                return objectPath || query.contains("&delete") ? OTHER : POST_OBJECT;
            default:
                return OTHER;
        }
    }
}
