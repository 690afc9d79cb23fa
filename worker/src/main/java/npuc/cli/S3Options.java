package npuc.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import npuc.worker.storage.S3Settings;
import picocli.CommandLine.Option;

/**
 * How to reach the object store; credentials come from the default AWS chain unless both keys are given. The
 * secret key is read from a file or the environment, never from the command line, where {@code ps} would show it.
 */
public final class S3Options {
    /** The environment variable that holds the secret key itself. */
    public static final String SECRET_KEY_VARIABLE = "NPUC_S3_SECRET_KEY";
    /** Variables the options read directly rather than through an option's default. */
    public static final List<String> SECRET_VARIABLES = List.of(SECRET_KEY_VARIABLE);

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

    @Option(names = "--s3-access-key-file", paramLabel = "FILE", defaultValue = "${env:NPUC_S3_ACCESS_KEY_FILE}",
        description = "File holding the static access key, e.g. a mounted secret (env NPUC_S3_ACCESS_KEY_FILE).")
    Path accessKeyFile;

    @Option(names = "--s3-secret-key-file", paramLabel = "FILE", defaultValue = "${env:NPUC_S3_SECRET_KEY_FILE}",
        description = "File holding the static secret key, e.g. a mounted secret (env NPUC_S3_SECRET_KEY_FILE); "
            + "or set NPUC_S3_SECRET_KEY.")
    Path secretKeyFile;

    @Option(names = "--s3-secret-key", paramLabel = "SECRET", hidden = true,
        description = "Refused: a secret on the command line shows in ps.")
    String secretKeyOnCommandLine;

    /** @throws IllegalArgumentException for a secret on the command line or a key file that cannot be read */
    public S3Settings settings() {
        return settings(System.getenv());
    }

    /** The settings, with the secret key from the file or, without one, from {@code environment}. */
    S3Settings settings(Map<String, String> environment) {
        if (secretKeyOnCommandLine != null) {
            throw new IllegalArgumentException("--s3-secret-key is not accepted: a secret on the command line shows "
                + "in ps; set " + SECRET_KEY_VARIABLE + " or give --s3-secret-key-file");
        }
        Optional<String> access = accessKeyFile != null ? Optional.of(read(accessKeyFile)) : Optional.ofNullable(accessKey);
        Optional<String> secret = secretKeyFile != null ? Optional.of(read(secretKeyFile))
            : Optional.ofNullable(environment.get(SECRET_KEY_VARIABLE)).filter(s -> !s.isEmpty());
        return new S3Settings(Optional.ofNullable(endpoint), region, pathStyle, access, secret);
    }

    /** A key from a file, without the line break a mounted secret or an editor may leave at its end. */
    private static String read(Path file) {
        String text;
        try {
            text = Files.readString(file).strip();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the key file " + file + ": " + e.getMessage(), e);
        }
        if (text.isEmpty()) {
            throw new IllegalArgumentException(file + " is empty");
        }
        return text;
    }
}
