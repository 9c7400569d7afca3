package dev.pontus.cli;

import dev.pontus.StorageException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The store's refusals of the listing, in one place, as the one line a user can act on: no such bucket, unknown
 * access key, wrong secret, no permission, wrong region, store unreachable.
 */
final class Failures {
    private Failures() {}

    static CliException listing(Target target, RuntimeException e, String resumeAfter) {
        String resume = resumeAfter == null ? "" : "; resume with --start-after '" + Text.printable(resumeAfter) + "'";
        if (e instanceof CliException cli) {
            return cli;
        }
        if (!(e instanceof SdkException sdk)) {
            return new CliException("listing " + target + " failed: " + e + resume, e);
        }
        return new CliException(describe(target, sdk) + resume, e);
    }

    private static String describe(Target target, SdkException e) {
        if (e instanceof AwsServiceException service && service.awsErrorDetails() != null) {
            String code = String.valueOf(service.awsErrorDetails().errorCode());
            switch (code) {
                case "NoSuchBucket":
                    return "bucket '" + target.bucket() + "' does not exist at this store; check the name (and"
                            + " --endpoint)";
                case "InvalidAccessKeyId":
                    return "the store does not know this access key: check AWS_ACCESS_KEY_ID or the profile";
                case "SignatureDoesNotMatch":
                    return "the store refused the signature: the secret key does not belong to the access key;"
                            + " check AWS_SECRET_ACCESS_KEY or the profile";
                case "AccessDenied":
                    return "access denied listing " + target + ": these credentials need s3:ListBucket on the bucket"
                            + " and s3:GetObject on its objects";
                case "PermanentRedirect", "AuthorizationHeaderMalformed":
                    return "bucket '" + target.bucket() + "' is in another region: give --region with the bucket's";
                default:
                    break;
            }
            if (service.statusCode() == 404) {
                return "bucket '" + target.bucket() + "' does not exist at this store; check the name (and"
                        + " --endpoint)";
            }
        }
        if (e instanceof SdkClientException) {
            return "could not reach the store: " + firstLine(e.getMessage());
        }
        return firstLine(StorageException.of("Listing " + target, e).getMessage());
    }

    static String firstLine(String message) {
        if (message == null) {
            return "no message";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
