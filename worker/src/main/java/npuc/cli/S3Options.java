package npuc.cli;

import java.net.URI;
import java.util.Optional;

import npuc.worker.storage.S3Settings;
import picocli.CommandLine.Option;

/** How to reach the object store; credentials come from the default AWS chain unless both keys are given. */
public final class S3Options {
    @Option(names = "--s3-endpoint", paramLabel = "URL", defaultValue = "${env:NPUC_S3_ENDPOINT}",
        description = "S3-compatible endpoint such as MinIO (env NPUC_S3_ENDPOINT); absent: AWS S3.")
    URI endpoint;

    @Option(names = "--s3-region", paramLabel = "REGION", defaultValue = "${env:NPUC_S3_REGION:-us-east-1}",
        description = "Region (env NPUC_S3_REGION; default: ${DEFAULT-VALUE}).")
    String region;

    @Option(names = "--s3-path-style", negatable = true, defaultValue = "${env:NPUC_S3_PATH_STYLE:-true}", fallbackValue = "true",
        description = "Path-style addressing, which MinIO needs (env NPUC_S3_PATH_STYLE; default: ${DEFAULT-VALUE}).")
    boolean pathStyle;

    @Option(names = "--s3-access-key", paramLabel = "KEY", defaultValue = "${env:NPUC_S3_ACCESS_KEY}",
        description = "Static access key (env NPUC_S3_ACCESS_KEY); absent: the default credentials chain.")
    String accessKey;

    @Option(names = "--s3-secret-key", paramLabel = "SECRET", defaultValue = "${env:NPUC_S3_SECRET_KEY}",
        description = "Static secret key (env NPUC_S3_SECRET_KEY).")
    String secretKey;

    public S3Settings settings() {
        return new S3Settings(Optional.ofNullable(endpoint), region, pathStyle, Optional.ofNullable(accessKey),
            Optional.ofNullable(secretKey));
    }
}
