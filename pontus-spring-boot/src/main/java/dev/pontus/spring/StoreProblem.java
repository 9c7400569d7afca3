package dev.pontus.spring;

import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.util.Locale;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Why the store cannot be used, and what to do: one table for the start-up failure analysis and for the 503 that
 * the endpoints answer when the app started without checking ({@code pontus.fail-fast=false}).
 */
enum StoreProblem {
    NO_CREDENTIALS(
            "no credentials for the store were found",
            "No AWS credentials were found for the store.",
            "Set pontus.access-key and pontus.secret-key for a store with keys of its own, or give the AWS default"
                    + " chain credentials (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, ~/.aws/credentials, an instance"
                    + " or pod role), or spring.cloud.aws.credentials.* with Spring Cloud AWS."),
    NO_REGION(
            "no region is configured",
            "No AWS region was found for the bucket.",
            "Set pontus.region to the bucket's region, such as eu-west-1 (or AWS_REGION in the environment), or"
                    + " pontus.endpoint for an S3-compatible store."),
    NO_SUCH_BUCKET(
            "the bucket does not exist",
            "The bucket '%s' does not exist at %s.",
            "Create the bucket, or set pontus.bucket to an existing one; for a store that creates it later, set"
                    + " pontus.fail-fast=false."),
    ACCESS_REFUSED(
            "the store refused the server's credentials",
            "The store refused access to the bucket '%s' at %s (HTTP 403): the credentials are wrong, or may not"
                    + " read the bucket.",
            "Check the credentials (pontus.access-key and pontus.secret-key, or the AWS chain's) and grant them"
                    + " s3:ListBucket, s3:GetObject, s3:PutObject and s3:DeleteObject on the bucket."),
    WRONG_REGION(
            "the bucket is in another region than configured",
            "The bucket '%s' is in another region than the one configured (the store answered 301).",
            "Set pontus.region to the bucket's region."),
    UNREACHABLE(
            "the store could not be reached",
            "The store at %2$s could not be reached for the bucket '%1$s'.",
            "Check pontus.endpoint and the network; for a store that comes up after the app, set"
                    + " pontus.fail-fast=false.");

    private final String summary;
    private final String description;
    private final String action;

    StoreProblem(String summary, String description, String action) {
        this.summary = summary;
        this.description = description;
        this.action = action;
    }

    /** The cause in a few words, without configuration: what a client is told. */
    String summary() {
        return summary;
    }

    /** The cause as a code for clients: no-credentials, no-such-bucket … */
    String code() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** What is wrong, with the bucket and the store's address filled in. */
    String description(String bucket, URI endpoint) {
        return String.format(description, bucket, endpoint == null ? "AWS S3" : endpoint);
    }

    /** What to set or do. */
    String action() {
        return action;
    }

    /** The problem {@code failure} shows, from anywhere in its causes; empty for other failures. */
    static Optional<StoreProblem> of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            Optional<StoreProblem> problem = direct(t);
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }

    private static Optional<StoreProblem> direct(Throwable t) {
        if (t instanceof StoreUnavailableException e) {
            return Optional.of(e.problem());
        }
        if (t instanceof NoSuchBucketException) {
            return Optional.of(NO_SUCH_BUCKET);
        }
        if (t instanceof S3Exception e) {
            String code =
                    e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            if ("NoSuchBucket".equals(code)) {
                return Optional.of(NO_SUCH_BUCKET);
            }
            if ("InvalidAccessKeyId".equals(code) || "SignatureDoesNotMatch".equals(code)) {
                return Optional.of(ACCESS_REFUSED);
            }
            if (e.statusCode() == 301 || "PermanentRedirect".equals(code)) {
                return Optional.of(WRONG_REGION);
            }
            return Optional.empty();
        }
        if (t instanceof SdkClientException e
                && e.getMessage() != null
                && e.getMessage().contains("Unable to load credentials")) {
            return Optional.of(NO_CREDENTIALS);
        }
        if (t instanceof ConnectException
                || t instanceof UnknownHostException
                || t instanceof HttpConnectTimeoutException) {
            return Optional.of(UNREACHABLE);
        }
        return Optional.empty();
    }
}
