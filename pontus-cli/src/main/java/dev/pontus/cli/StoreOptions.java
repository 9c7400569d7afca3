package dev.pontus.cli;

import java.net.URI;
import java.time.Duration;
import java.util.function.Consumer;
import picocli.CommandLine.Option;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Where the bucket is, as the starter's {@code pontus.endpoint}, {@code pontus.region} and
 * {@code pontus.path-style-access} say it; credentials and, unless given, the region from the AWS default chains
 * (environment, system properties, profiles, container and instance roles).
 */
final class StoreOptions {
    /**
     * Attempts per S3 call, the SDK's standard backoff between them; the audit tries a throttled or failed check
     * again after longer pauses of its own, so that no call outlasts its timeout.
     */
    static final int MAX_ATTEMPTS = 4;

    @Option(
            names = "--endpoint",
            paramLabel = "URL",
            description = "An S3-compatible endpoint, such as http://127.0.0.1:9000. Default: AWS.")
    URI endpoint;

    @Option(
            names = "--region",
            paramLabel = "REGION",
            description =
                    "The bucket's region, such as eu-west-1. Default: the AWS region chain (AWS_REGION, profile).")
    String region;

    @Option(
            names = "--path-style",
            description = "Address the bucket as endpoint/bucket rather than bucket.endpoint (most S3-compatible"
                    + " stores want this).")
    boolean pathStyle;

    /** A client for up to {@code connections} calls at once; fails with one line when there are no credentials. */
    S3Client client(int connections, ExecutionInterceptor counter, Consumer<S3ClientBuilder> customizer) {
        AwsCredentialsProvider credentials =
                DefaultCredentialsProvider.builder().build();
        try {
            credentials.resolveCredentials();
        } catch (SdkClientException e) {
            throw new CliException("no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or"
                    + " AWS_PROFILE for a profile in ~/.aws, or run where a role provides them");
        }
        S3ClientBuilder builder = S3Client.builder()
                .credentialsProvider(credentials)
                .region(region())
                .forcePathStyle(pathStyle)
                .httpClientBuilder(Apache5HttpClient.builder()
                        .maxConnections(connections)
                        .connectionTimeout(Duration.ofSeconds(5)))
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(MAX_ATTEMPTS)
                                .build())
                        .addExecutionInterceptor(counter));
        if (endpoint != null) {
            if (endpoint.getScheme() == null || endpoint.getHost() == null) {
                throw new CliException(
                        "--endpoint: '" + endpoint + "' is not a URL; give one such as" + " http://127.0.0.1:9000");
            }
            builder.endpointOverride(endpoint);
        }
        customizer.accept(builder);
        return builder.build();
    }

    /** --region, else the AWS region chain, else (for a custom endpoint, which rarely cares) us-east-1. */
    Region region() {
        if (region != null && !region.isBlank()) {
            return Region.of(region);
        }
        try {
            return new DefaultAwsRegionProviderChain().getRegion();
        } catch (SdkClientException e) {
            if (endpoint != null) {
                return Region.US_EAST_1;
            }
            throw new CliException(
                    "no AWS region found: give --region (the bucket's, such as eu-west-1) or set" + " AWS_REGION");
        }
    }

    /** Where the store is, for messages. */
    String describe() {
        return endpoint == null ? "AWS S3 (" + (region == null ? "default region" : region) + ")" : endpoint.toString();
    }
}
