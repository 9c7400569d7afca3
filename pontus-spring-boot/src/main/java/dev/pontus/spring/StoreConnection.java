package dev.pontus.spring;

import dev.pontus.sign.PostSigner;
import java.net.URI;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Where the store is and how to sign for it, resolved once: the one place that sets credentials, region, endpoint
 * and path style on every client builder the auto-configuration makes.
 *
 * <p>Credentials: {@code pontus.access-key} and {@code pontus.secret-key} when set (a store with keys of its own),
 * else the app's {@link AwsCredentialsProvider} bean (Spring Cloud AWS's), else the AWS default chain. Region:
 * {@code pontus.region}, else the app's {@link AwsRegionProvider} (Spring Cloud AWS's), else the AWS default chain,
 * else us-east-1 for a custom endpoint (S3-compatible stores rarely care; SigV4 needs one).
 */
final class StoreConnection {
    private final AwsCredentialsProvider credentials;
    private final Supplier<Region> regions;
    private final URI endpoint;
    private final boolean pathStyle;
    private Region region;

    private StoreConnection(
            AwsCredentialsProvider credentials, Supplier<Region> regions, URI endpoint, boolean pathStyle) {
        this.credentials = credentials;
        this.regions = regions;
        this.endpoint = endpoint;
        this.pathStyle = pathStyle;
    }

    static StoreConnection of(
            PontusProperties properties,
            ObjectProvider<AwsCredentialsProvider> credentials,
            ObjectProvider<AwsRegionProvider> regions) {
        return new StoreConnection(
                credentials(properties, credentials),
                () -> region(properties, regions),
                properties.getEndpoint(),
                properties.isPathStyleAccess());
    }

    AwsCredentialsProvider credentials() {
        return credentials;
    }

    /** Found on first use: an app whose own beans replace every client this configures needs no region. */
    synchronized Region region() {
        if (region == null) {
            region = regions.get();
        }
        return region;
    }

    /** The store's base URL, null for AWS. */
    URI endpoint() {
        return endpoint;
    }

    S3ClientBuilder configure(S3ClientBuilder builder) {
        builder.credentialsProvider(credentials).region(region()).forcePathStyle(pathStyle);
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder;
    }

    S3Presigner.Builder configure(S3Presigner.Builder builder) {
        builder.credentialsProvider(credentials)
                .region(region())
                .serviceConfiguration(S3Configuration.builder()
                        .pathStyleAccessEnabled(pathStyle)
                        .build());
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder;
    }

    PostSigner.Builder configure(PostSigner.Builder builder) {
        builder.credentialsProvider(credentials).region(region()).pathStyle(pathStyle);
        if (endpoint != null) {
            Settings.apply(
                    "pontus.endpoint",
                    endpoint,
                    "Set it to the store's base URL, such as http://127.0.0.1:9000, or remove it for AWS.",
                    () -> builder.endpoint(endpoint));
        }
        return builder;
    }

    private static AwsCredentialsProvider credentials(
            PontusProperties properties, ObjectProvider<AwsCredentialsProvider> app) {
        String accessKey = properties.getAccessKey();
        String secretKey = properties.getSecretKey();
        boolean access = accessKey != null && !accessKey.isBlank();
        boolean secret = secretKey != null && !secretKey.isBlank();
        if (access != secret) {
            String missing = access ? "pontus.secret-key" : "pontus.access-key";
            throw Settings.invalid(
                    missing,
                    null,
                    "pontus.access-key and pontus.secret-key go together: set " + missing
                            + " too, or remove both to use the AWS default credentials chain.");
        }
        if (access) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
        }
        return app.getIfAvailable(() -> DefaultCredentialsProvider.builder().build());
    }

    private static Region region(PontusProperties properties, ObjectProvider<AwsRegionProvider> regions) {
        if (properties.getRegion() != null && !properties.getRegion().isBlank()) {
            return Region.of(properties.getRegion());
        }
        try {
            return regions.getIfAvailable(DefaultAwsRegionProviderChain::new).getRegion();
        } catch (SdkClientException e) {
            if (properties.getEndpoint() != null) {
                return Region.US_EAST_1;
            }
            throw new StoreUnavailableException(StoreProblem.NO_REGION, properties.getBucket(), null, e);
        }
    }
}
