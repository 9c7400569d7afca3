package dev.pontus.validate;

/**
 * More of an upload's bytes than its head and tail, for a validator that must follow the file's own offsets (a
 * JPEG's frame header after large metadata segments, a TIFF's directory in the middle): each read a small ranged
 * GET of the checked object only, bounded in count and bytes.
 */
interface Ranges {
    /** No reads beyond the head and tail: every read answers null. */
    Ranges NONE = (offset, length) -> null;

    /** At most {@code length} bytes from {@code offset} (fewer at the end), or null when the budget is spent. */
    byte[] read(long offset, int length);
}
