package dev.pontus;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** S3's error answers, as the SDK throws them, for tests that script a store in the process. */
public final class S3Refusals {
    private S3Refusals() {}

    public static S3Exception refusal(int status, String code) {
        return (S3Exception) S3Exception.builder()
                .statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).build())
                .message(code)
                .build();
    }
}
