package dev.pontus.validate;

import dev.pontus.PontusException;

/** No object at the key: never uploaded, already promoted, or deleted. */
public class ObjectNotFoundException extends PontusException {
    private final String bucket;
    private final String key;

    public ObjectNotFoundException(String bucket, String key, String message, Throwable cause) {
        super(message, cause);
        this.bucket = bucket;
        this.key = key;
    }

    public String bucket() {
        return bucket;
    }

    public String key() {
        return key;
    }
}
