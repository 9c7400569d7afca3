package dev.pontus.validate;

import java.util.List;

/**
 * Checks an uploaded object and returns why it is refused, or nothing when it is accepted. The object's first
 * bytes are in {@link UploadedObject#head()}; a validator never reads S3 itself.
 *
 * <pre>{@code
 * Validator evenSize = upload -> upload.size() % 2 == 0
 *         ? List.of()
 *         : List.of(new Violation("odd-size", "The file must have an even number of bytes."));
 * }</pre>
 *
 * @see Validators for the built-in ones
 */
@FunctionalInterface
public interface Validator {
    List<Violation> validate(UploadedObject upload);
}
