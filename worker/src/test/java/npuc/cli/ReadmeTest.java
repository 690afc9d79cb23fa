package npuc.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import npuc.SharedData;
import npuc.worker.ops.OpsHttpServer;
import npuc.worker.ops.WorkerMetrics;
import org.junit.jupiter.api.Test;

/** The README's operating sections name what the code declares: flags, variables, endpoints, metrics. */
class ReadmeTest {
    private static String section(String readme, String heading) {
        int start = readme.indexOf("\n## " + heading + "\n");
        assertTrue(start >= 0, "README has a section " + heading);
        int end = readme.indexOf("\n## ", start + 1);
        return readme.substring(start, end < 0 ? readme.length() : end);
    }

    @Test
    void theConfigurationReferenceNamesEveryFlagAndEnvironmentVariableOfTheServiceCommands() throws Exception {
        String readme = Files.readString(SharedData.repositoryRoot().resolve("README.md"));
        String reference = section(readme, "Configuration reference");
        List<String> missing = new ArrayList<>();
        for (String command : DeclaredConfiguration.SERVICE_COMMANDS) {
            for (String option : DeclaredConfiguration.optionNames(command)) {
                if (!reference.contains("`" + option + "`")) {
                    missing.add(command + " " + option);
                }
            }
            for (String variable : DeclaredConfiguration.environment(command).keySet()) {
                if (!reference.contains("`" + variable + "`")) {
                    missing.add(command + " " + variable);
                }
            }
        }
        assertTrue(reference.contains("`" + KafkaOptions.ENV_PREFIX + "*`"), "the Kafka property variables");
        for (String variable : S3Options.SECRET_VARIABLES) {
            assertTrue(reference.contains("`" + variable + "`"), variable);
        }
        assertTrue(missing.isEmpty(), "not in the configuration reference: " + missing);
    }

    @Test
    void theMetricsSectionNamesEveryEndpointAndMeter() throws Exception {
        String metrics = section(Files.readString(SharedData.repositoryRoot().resolve("README.md")), "Metrics and health");
        for (String path : List.of(OpsHttpServer.LIVE_PATH, OpsHttpServer.READY_PATH, OpsHttpServer.METRICS_PATH)) {
            assertTrue(metrics.contains("`" + path + "`"), path);
        }
        for (String meter : WorkerMetrics.names()) {
            String prometheus = meter.replace('.', '_');
            assertTrue(metrics.contains("`" + prometheus), "README names " + prometheus);
        }
        for (String section : List.of("Docker", "Compose", "Kubernetes")) {
            section(Files.readString(SharedData.repositoryRoot().resolve("README.md")), section);
        }
    }
}
