package npuc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import npuc.worker.storage.S3Settings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** S3 credentials come from files or the environment; a secret on the command line is refused. */
class S3OptionsTest {
    private static S3Options parse(String... args) {
        S3Options options = new S3Options();
        new CommandLine(options).parseArgs(args);
        return options;
    }

    @Test
    void theSecretKeyComesFromAFileWithoutItsLineBreakOrFromTheEnvironment(@TempDir Path dir) throws Exception {
        Path access = dir.resolve("access-key");
        Path secret = dir.resolve("secret-key");
        Files.writeString(access, "from-file\n");
        Files.writeString(secret, "s3cr3t\n");

        S3Settings fromFiles = parse("--s3-access-key-file", access.toString(), "--s3-secret-key-file", secret.toString())
            .settings(Map.of(S3Options.SECRET_KEY_VARIABLE, "ignored"));
        assertEquals(Optional.of("from-file"), fromFiles.accessKey());
        assertEquals(Optional.of("s3cr3t"), fromFiles.secretKey());

        S3Settings fromEnvironment = parse("--s3-access-key", "key").settings(Map.of(S3Options.SECRET_KEY_VARIABLE, "env"));
        assertEquals(Optional.of("env"), fromEnvironment.secretKey());
        assertEquals(Optional.empty(), parse().settings(Map.of()).secretKey(), "no keys: the default chain");
    }

    @Test
    void aSecretOnTheCommandLineIsRefusedSayingWhereToPutIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> parse("--s3-access-key", "key", "--s3-secret-key", "s3cr3t").settings(Map.of()));
        assertTrue(e.getMessage().contains("NPUC_S3_SECRET_KEY") && e.getMessage().contains("--s3-secret-key-file"),
            e.getMessage());
    }

    @Test
    void theWorkerCommandRefusesItAsAUsageError() {
        CliTest.Run run = CliTest.run("worker", "--s3-access-key", "key", "--s3-secret-key", "s3cr3t", "--http-port", "-1");
        assertEquals(Main.EXIT_USAGE, run.exitCode(), run.err());
        assertTrue(run.err().startsWith("npuc: usage error: --s3-secret-key is not accepted"), run.err());
    }
}
