package dev.pontus.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * One share of a bucket when N machines audit it together: the keys whose stable hash falls to {@code index} of
 * {@code count}. The hash is the first 8 bytes of the SHA-256 of the key's UTF-8 bytes, read as an unsigned
 * big-endian number, modulo {@code count}: the same on every machine, JVM and run, so that shards never overlap
 * and together cover every key.
 *
 * @param index this machine's share, from 0 (as a Kubernetes Job's completion index or AWS Batch's array index)
 * @param count how many machines share the bucket
 */
record Shard(int index, int count) {
    static final Shard ALL = new Shard(0, 1);

    Shard {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("--shard: " + index + "/" + count + " is not a share; give I/N with"
                    + " 0 <= I < N, such as 0/4 .. 3/4 for four machines");
        }
    }

    /** Parses {@code I/N}, such as {@code 2/8}. */
    static Shard parse(String text) {
        String[] parts = text == null ? new String[0] : text.trim().split("/");
        try {
            if (parts.length == 2) {
                return new Shard(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("--shard: '" + text + "' is not I/N; give this machine's share and the"
                + " number of machines, such as 0/4 (shares count from 0)");
    }

    /** Whether {@code key} belongs to this share. */
    boolean contains(String key) {
        return count == 1 || of(key, count) == index;
    }

    /** The share of {@code key} among {@code count}. */
    static int of(String key, int count) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(UTF_8));
            long hash = ByteBuffer.wrap(digest, 0, 8).getLong();
            return (int) Long.remainderUnsigned(hash, count);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e); // every JVM has it
        }
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
