package npuc.worker.storage;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * How to reach the object store.
 *
 * @param endpoint an S3-compatible endpoint (MinIO, S3Proxy); empty for AWS itself
 * @param pathStyle {@code http://host/bucket/key} addressing, which MinIO and S3Proxy need
 * @param accessKey with {@code secretKey}, static credentials; empty to use the default chain
 *     (environment, system properties, profile, container or instance role)
 */
public record S3Settings(Optional<URI> endpoint, String region, boolean pathStyle,
        Optional<String> accessKey, Optional<String> secretKey) {

    /** Connections the HTTP client keeps to the store; {@link ObjectStorage} admits as many requests at once. */
    public static final int MAX_CONNECTIONS = 32;

    public S3Settings {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(accessKey, "accessKey");
        Objects.requireNonNull(secretKey, "secretKey");
        if (accessKey.isPresent() != secretKey.isPresent()) {
            throw new IllegalArgumentException("give both the S3 access key and the secret key, or neither");
        }
    }

    /** Settings for an endpoint with static credentials, path-style, as S3Proxy and MinIO want. */
    public static S3Settings forEndpoint(URI endpoint, String accessKey, String secretKey) {
        return new S3Settings(Optional.of(endpoint), "us-east-1", true, Optional.of(accessKey), Optional.of(secretKey));
    }

    public S3Client buildClient() {
        AwsCredentialsProvider credentials = accessKey.isPresent()
            ? StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey.get(), secretKey.get()))
            : DefaultCredentialsProvider.builder().build();
        var builder = S3Client.builder()
            .region(Region.of(region))
            .credentialsProvider(credentials)
            .forcePathStyle(pathStyle)
            // Newer SDKs send CRC checksums and streaming signatures that S3Proxy and some MinIO versions
            // reject ("x-amz-content-sha256 header does not match"); checksums only where S3 requires them.
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .httpClientBuilder(ApacheHttpClient.builder()
                .maxConnections(MAX_CONNECTIONS)
                .connectionTimeout(Duration.ofSeconds(3))
                .socketTimeout(Duration.ofSeconds(30)))
            // ObjectStorage retries with its own backoff behind a circuit breaker; SDK retries would multiply it.
            .overrideConfiguration(ClientOverrideConfiguration.builder()
                .retryStrategy(AwsRetryStrategy.doNotRetry())
                .apiCallAttemptTimeout(Duration.ofSeconds(60))
                .build());
        endpoint.ifPresent(builder::endpointOverride);
        return builder.build();
    }
}
