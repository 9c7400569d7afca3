package dev.pontus.cli;

import dev.pontus.S3Names;

/**
 * What an audit reads: a bucket and a key prefix, given as {@code s3://BUCKET/PREFIX}.
 *
 * @param bucket the bucket
 * @param prefix the key prefix, empty for the whole bucket
 */
record Target(String bucket, String prefix) {

    /** Parses {@code s3://BUCKET}, {@code s3://BUCKET/} or {@code s3://BUCKET/PREFIX}. */
    static Target parse(String uri) {
        if (uri == null || !uri.startsWith("s3://") || uri.length() == "s3://".length()) {
            throw new IllegalArgumentException("'" + uri + "' is not an S3 location; give s3://BUCKET or"
                    + " s3://BUCKET/PREFIX, such as s3://photos/uploads/");
        }
        String rest = uri.substring("s3://".length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        S3Names.requireBucket(bucket);
        if (!prefix.isEmpty()) {
            S3Names.requireNoControlCharacters("prefix", prefix);
        }
        return new Target(bucket, prefix);
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + prefix;
    }
}
