package npuc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class KafkaOptionsTest {
    @Test
    void clientPropertiesComeFromTheFileThenTheEnvironment(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("client.properties");
        Files.writeString(file, "security.protocol=SSL\nssl.truststore.location=/etc/kafka/trust.jks\n");
        WorkerCommand command = new WorkerCommand((model, target, cancellation) -> {
            throw new npuc.BadInputException("unused");
        });
        new CommandLine(command).parseArgs("--bootstrap-servers", "broker:9093", "--kafka-config", file.toString());

        Map<String, String> props = command.kafka.clientProperties(Map.of(
            "NPUC_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
            "NPUC_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
            "PATH", "/usr/bin"));

        assertEquals("broker:9093", command.kafka.bootstrapServers());
        assertEquals(Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512",
            "ssl.truststore.location", "/etc/kafka/trust.jks"), props);
    }
}
