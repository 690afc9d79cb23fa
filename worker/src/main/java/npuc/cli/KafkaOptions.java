package npuc.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import picocli.CommandLine.Option;

/**
 * How to reach a Kafka cluster: bootstrap servers plus any client properties (TLS, SASL) from a properties
 * file or from {@code NPUC_KAFKA_*} environment variables ({@code NPUC_KAFKA_SECURITY_PROTOCOL=SASL_SSL}
 * becomes {@code security.protocol=SASL_SSL}); the environment wins over the file.
 */
public final class KafkaOptions {
    /** Every environment variable with this prefix (but NPUC_KAFKA_CONFIG) is a client property. */
    public static final String ENV_PREFIX = "NPUC_KAFKA_";

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT,...",
        defaultValue = "${env:NPUC_BOOTSTRAP_SERVERS:-localhost:9092}",
        description = "Kafka bootstrap servers (env NPUC_BOOTSTRAP_SERVERS; default: ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Option(names = "--kafka-config", paramLabel = "FILE",
        defaultValue = "${env:NPUC_KAFKA_CONFIG}",
        description = "Properties file of further Kafka client settings, e.g. security.protocol, sasl.jaas.config, "
            + "ssl.truststore.location (env NPUC_KAFKA_CONFIG).")
    Path configFile;

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The client properties from the file, then from the environment. */
    public Map<String, String> clientProperties() throws IOException {
        return clientProperties(System.getenv());
    }

    Map<String, String> clientProperties(Map<String, String> environment) throws IOException {
        Map<String, String> props = new TreeMap<>();
        if (configFile != null) {
            Properties file = new Properties();
            try (Reader reader = Files.newBufferedReader(configFile)) {
                file.load(reader);
            }
            file.stringPropertyNames().forEach(name -> props.put(name, file.getProperty(name)));
        }
        environment.forEach((name, value) -> {
            if (name.startsWith(ENV_PREFIX) && !name.equals("NPUC_KAFKA_CONFIG")) {
                props.put(name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'), value);
            }
        });
        return props;
    }
}
