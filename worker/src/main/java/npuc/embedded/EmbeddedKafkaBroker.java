package npuc.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;

/**
 * A single-node Kafka cluster (KRaft, broker and controller in one process) on loopback ports, with its
 * log directory in a temporary folder. Transactions and read_committed work: every internal topic has a
 * replication factor of one.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
    private final Path logDir;
    private final int brokerPort;
    private final KafkaRaftServer server;

    private EmbeddedKafkaBroker(Path logDir, int brokerPort, KafkaRaftServer server) {
        this.logDir = logDir;
        this.brokerPort = brokerPort;
        this.server = server;
    }

    public static EmbeddedKafkaBroker start() {
        return start(0);
    }

    /** Starts with clients served on a given loopback port; 0 picks a free one. */
    public static EmbeddedKafkaBroker start(int port) {
        try {
            Path logDir = Files.createTempDirectory("npuc-kafka-");
            int brokerPort = port == 0 ? freePort() : port;
            int controllerPort = freePort();
            Properties props = new Properties();
            props.put("process.roles", "broker,controller");
            props.put("node.id", "1");
            props.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
            props.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
            props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
            props.put("controller.listener.names", "CONTROLLER");
            props.put("inter.broker.listener.name", "PLAINTEXT");
            props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            props.put("log.dirs", logDir.toString());
            props.put("offsets.topic.replication.factor", "1");
            props.put("offsets.topic.num.partitions", "3");
            props.put("transaction.state.log.replication.factor", "1");
            props.put("transaction.state.log.min.isr", "1");
            props.put("transaction.state.log.num.partitions", "3");
            props.put("share.coordinator.state.topic.replication.factor", "1");
            props.put("share.coordinator.state.topic.min.isr", "1");
            props.put("min.insync.replicas", "1");
            props.put("num.partitions", "1");
            // A worker joining must not wait three seconds for others that will never come.
            props.put("group.initial.rebalance.delay.ms", "0");
            props.put("auto.create.topics.enable", "false");
            // A transaction a killed worker left open is aborted soon after it times out, not up to ten seconds later.
            props.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");

            Path config = logDir.resolve("server.properties");
            try (var out = Files.newBufferedWriter(config)) {
                props.store(out, "npuc embedded broker");
            }
            format(config);
            KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            server.startup();
            return new EmbeddedKafkaBroker(logDir, brokerPort, server);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded Kafka broker", e);
        }
    }

    private static void format(Path config) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int exit = StorageTool.execute(new String[] {
            "format", "-t", Uuid.randomUuid().toString(), "-c", config.toString(), "--standalone"},
            new PrintStream(captured, true, StandardCharsets.UTF_8));
        if (exit != 0) {
            throw new IllegalStateException("formatting the Kafka log directory failed: "
                + captured.toString(StandardCharsets.UTF_8));
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    /** Creates the topics that do not exist yet, each with the given partition count. */
    public void createTopics(int partitions, Collection<String> topics) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            for (String topic : topics) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + topic, e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        try (Stream<Path> files = Files.walk(logDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // The log directory is in the temporary folder; leaving it behind is harmless.
        }
    }
}
