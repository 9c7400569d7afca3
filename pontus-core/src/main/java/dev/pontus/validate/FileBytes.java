package dev.pontus.validate;

import java.util.Arrays;

/**
 * A file's bytes at any offset: from its head, else from one ranged read of at least 4 KiB, kept for the next
 * header, so that the small headers that follow a large segment or box cost one read between them.
 */
final class FileBytes {
    private static final int READ_AHEAD = 4096;
    private final byte[] head;
    private final long size;
    private final Ranges ranges;
    private byte[] window = new byte[0];
    private long windowStart;

    FileBytes(byte[] head, long size, Ranges ranges) {
        this.head = head;
        this.size = size;
        this.ranges = ranges;
    }

    /** Up to {@code length} bytes from {@code offset} (fewer at the file's end), or null when reads are spent. */
    byte[] at(long offset, int length) {
        long end = Math.min(size, offset + length);
        if (end <= head.length) {
            return Arrays.copyOfRange(head, (int) offset, (int) Math.max(offset, end));
        }
        if (offset < windowStart || end > windowStart + window.length) {
            byte[] read = ranges.read(offset, Math.max(length, READ_AHEAD));
            if (read == null) {
                return null;
            }
            window = read;
            windowStart = offset;
            end = Math.min(end, offset + read.length);
        }
        return Arrays.copyOfRange(window, (int) (offset - windowStart), (int) (end - windowStart));
    }
}
