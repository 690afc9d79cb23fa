package npuc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import npuc.SharedData;
import npuc.worker.WorkerSettings;
import npuc.worker.ops.OpsHttpServer;
import npuc.worker.ops.OpsSettings;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml, deploy/k8s and deploy/Dockerfile, parsed and checked against the worker's own
 * configuration: every NPUC_* variable they set is one the worker reads, the settings they produce are
 * valid, and the images, ports, probe paths, topics, buckets and group they name are the worker's.
 */
class DeploymentFilesTest {
    private static final Path ROOT = SharedData.repositoryRoot();
    private static final ObjectMapper YAML = new YAMLMapper();
    private static final String SECRET = "from-a-secret";

    static JsonNode compose() throws IOException {
        return YAML.readTree(ROOT.resolve("docker-compose.yml").toFile());
    }

    /** The documents of every manifest that kustomization.yaml lists. */
    static List<JsonNode> manifests() throws IOException {
        Path dir = ROOT.resolve("deploy/k8s");
        List<JsonNode> documents = new ArrayList<>();
        for (JsonNode resource : YAML.readTree(dir.resolve("kustomization.yaml").toFile()).get("resources")) {
            try (var parser = new YAMLFactory().createParser(dir.resolve(resource.asText()).toFile())) {
                YAML.readValues(parser, JsonNode.class).readAll().stream()
                    .filter(doc -> doc != null && !doc.isNull()).forEach(documents::add);
            }
        }
        return documents;
    }

    static JsonNode manifest(List<JsonNode> documents, String kind) {
        List<JsonNode> found = documents.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
        assertEquals(1, found.size(), "one " + kind);
        return found.get(0);
    }

    private static Map<String, String> strings(JsonNode map) {
        Map<String, String> values = new LinkedHashMap<>();
        map.fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
        return values;
    }

    private static void assertWorkerReadsAll(Set<String> names, String where) {
        Set<String> unknown = new TreeSet<>();
        for (String name : names) {
            if (!DeclaredConfiguration.workerReads(name)) {
                unknown.add(name);
            }
        }
        assertTrue(unknown.isEmpty(), where + " sets variables the worker does not read: " + unknown);
    }

    private static void assertPinned(String image) {
        assertTrue(image.matches("[a-z0-9./_-]+:[A-Za-z0-9._-]+") && !image.endsWith(":latest"),
            "image with a pinned tag: " + image);
    }

    @Test
    void composeRunsTheWorkerAgainstItsOwnKafkaAndMinio() throws Exception {
        JsonNode services = compose().get("services");
        services.fields().forEachRemaining(service -> assertPinned(service.getValue().path("image").asText()));

        JsonNode worker = services.get("worker");
        Map<String, String> env = strings(worker.get("environment"));
        assertWorkerReadsAll(env.keySet(), "the compose worker");
        WorkerCommand command = DeclaredConfiguration.workerConfiguredBy(env);
        WorkerSettings settings = command.settings();
        OpsSettings ops = command.opsSettings();

        assertEquals(ROOT.resolve(worker.at("/build/context").asText()).resolve(worker.at("/build/dockerfile").asText())
            .normalize(), ROOT.resolve("deploy/Dockerfile"));
        assertEquals(List.of(ops.httpPort() + ":" + ops.httpPort()), YAML.convertValue(worker.get("ports"), List.class));

        // Kafka: the worker's bootstrap address is a listener of the kafka service, at the version the client uses.
        JsonNode kafka = services.get("kafka");
        assertEquals("apache/kafka:" + rootPomProperty("kafka.version"), kafka.get("image").asText());
        Map<String, String> kafkaEnv = strings(kafka.get("environment"));
        String bootstrap = settings.bootstrapServers();
        assertTrue(Set.of(kafkaEnv.get("KAFKA_ADVERTISED_LISTENERS").split(",")).contains("PLAINTEXT://" + bootstrap),
            bootstrap + " is advertised by the kafka service");
        String topicsScript = services.at("/kafka-topics/command/0").asText();
        for (String topic : settings.topics().all()) {
            assertTrue(topicsScript.matches("(?s).*\\b" + Pattern.quote(topic) + "\\b.*"), "topic " + topic + " is created");
        }
        assertEquals("service_completed_successfully", worker.at("/depends_on/kafka-topics/condition").asText());

        // MinIO: the endpoint, credentials and buckets the worker uses.
        JsonNode minio = services.get("minio");
        URI endpoint = URI.create(env.get("NPUC_S3_ENDPOINT"));
        assertEquals("minio", endpoint.getHost());
        assertEquals(9000, endpoint.getPort(), "MinIO's API port");
        Map<String, String> minioEnv = strings(minio.get("environment"));
        assertEquals(minioEnv.get("MINIO_ROOT_USER"), env.get("NPUC_S3_ACCESS_KEY"));
        assertEquals(minioEnv.get("MINIO_ROOT_PASSWORD"), env.get("NPUC_S3_SECRET_KEY"));
        String bucketScript = services.at("/minio-buckets/command/0").asText();
        assertTrue(bucketScript.contains("local/" + ops.probeBucket()), "the probe bucket is created");
        assertTrue(bucketScript.contains("local/models"), "the models bucket is created");
        assertEquals("service_completed_successfully", worker.at("/depends_on/minio-buckets/condition").asText());
        assertTrue(services.at("/minio-buckets/image").asText().startsWith("minio/mc:"));
    }

    @Test
    void kubernetesManifestsDeployTheImageWithProbesOnTheRealEndpointsAndScaleOnTheWorkersGroup() throws Exception {
        List<JsonNode> documents = manifests();
        JsonNode deployment = manifest(documents, "Deployment");
        JsonNode configMap = manifest(documents, "ConfigMap");
        JsonNode pod = deployment.at("/spec/template");
        JsonNode containers = pod.at("/spec/containers");
        assertEquals(1, containers.size());
        JsonNode container = containers.get(0);

        String composeImage = compose().at("/services/worker/image").asText();
        assertEquals(composeImage, container.get("image").asText(), "the image compose builds");
        assertTrue(pod.at("/spec/securityContext/runAsNonRoot").asBoolean());

        // The environment: the ConfigMap's keys and the container's own variables.
        assertEquals(configMap.at("/metadata/name").asText(), container.at("/envFrom/0/configMapRef/name").asText());
        Map<String, String> env = new HashMap<>(strings(configMap.get("data")));
        Map<String, String> secretRefs = new HashMap<>();
        for (JsonNode variable : container.get("env")) {
            String name = variable.get("name").asText();
            JsonNode secret = variable.at("/valueFrom/secretKeyRef");
            if (!secret.isMissingNode()) {
                secretRefs.put(name, secret.get("name").asText());
            }
            env.put(name, variable.has("value") ? variable.get("value").asText() : SECRET);
        }
        assertWorkerReadsAll(env.keySet(), "the Deployment");
        assertEquals("npuc-s3-credentials", secretRefs.get("NPUC_S3_ACCESS_KEY"));
        assertEquals("npuc-s3-credentials", secretRefs.get("NPUC_S3_SECRET_KEY"));
        String kafkaSecret = secretRefs.get("NPUC_KAFKA_SASL_JAAS_CONFIG");
        assertEquals("npuc-kafka-credentials", kafkaSecret);
        assertTrue(secretRefs.keySet().stream().noneMatch(configMap.get("data")::has), "secrets are not also in the ConfigMap");
        assertEquals("metadata.name", container.at("/env").findValue("fieldPath").asText(), "the worker id is the pod name");

        WorkerCommand command = DeclaredConfiguration.workerConfiguredBy(env);
        WorkerSettings settings = command.settings();
        OpsSettings ops = command.opsSettings();

        // NPUC_KAFKA_* variables become client properties: each must be one both Kafka clients know.
        Map<String, String> clientProperties = command.kafka.clientProperties(env);
        assertFalse(clientProperties.isEmpty());
        for (String property : clientProperties.keySet()) {
            assertTrue(ConsumerConfig.configNames().contains(property) && ProducerConfig.configNames().contains(property),
                "a Kafka client property: " + property);
        }

        // Probes and scraping point at the worker's endpoints on its port.
        JsonNode port = container.get("ports").get(0);
        assertEquals(ops.httpPort(), port.get("containerPort").asInt());
        String portName = port.get("name").asText();
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            JsonNode get = container.at("/" + probe + "/httpGet");
            assertEquals(portName, get.get("port").asText(), probe);
            assertEquals(probe.equals("readinessProbe") ? OpsHttpServer.READY_PATH : OpsHttpServer.LIVE_PATH,
                get.get("path").asText(), probe);
        }
        JsonNode annotations = pod.at("/metadata/annotations");
        assertEquals(Integer.toString(ops.httpPort()), annotations.get("prometheus.io/port").asText());
        assertEquals(OpsHttpServer.METRICS_PATH, annotations.get("prometheus.io/path").asText());

        for (String kind : List.of("requests", "limits")) {
            JsonNode resources = container.at("/resources/" + kind);
            assertTrue(resources.has("cpu") && resources.has("memory"), kind + " of cpu and memory");
        }
        assertTrue(pod.at("/spec/terminationGracePeriodSeconds").asLong() > settings.shutdownGrace().toSeconds() + 15,
            "the pod outlives the worker's shutdown grace and client close");

        Map<String, String> templateLabels = strings(pod.at("/metadata/labels"));
        assertTrue(templateLabels.entrySet().containsAll(strings(deployment.at("/spec/selector/matchLabels")).entrySet()));

        // KEDA scales this Deployment on this group's lag on this topic, with the Kafka secret.
        JsonNode scaled = manifest(documents, "ScaledObject");
        assertEquals(deployment.at("/metadata/name").asText(), scaled.at("/spec/scaleTargetRef/name").asText());
        assertEquals("Deployment", scaled.at("/spec/scaleTargetRef/kind").asText());
        assertEquals(0, scaled.at("/spec/minReplicaCount").asInt());
        JsonNode trigger = scaled.at("/spec/triggers/0");
        assertEquals("kafka", trigger.get("type").asText());
        assertEquals(settings.groupId(), trigger.at("/metadata/consumerGroup").asText());
        assertEquals(settings.topics().jobs(), trigger.at("/metadata/topic").asText());
        assertEquals(settings.bootstrapServers(), trigger.at("/metadata/bootstrapServers").asText());
        JsonNode auth = manifest(documents, "TriggerAuthentication");
        assertEquals(auth.at("/metadata/name").asText(), trigger.at("/authenticationRef/name").asText());
        for (JsonNode ref : auth.at("/spec/secretTargetRef")) {
            assertEquals(kafkaSecret, ref.get("name").asText());
        }

        // The disruption budget covers the worker pods.
        JsonNode pdb = manifest(documents, "PodDisruptionBudget");
        Map<String, String> pdbSelector = strings(pdb.at("/spec/selector/matchLabels"));
        assertFalse(pdbSelector.isEmpty());
        assertTrue(templateLabels.entrySet().containsAll(pdbSelector.entrySet()));
    }

    @Test
    void everyManifestInTheFolderIsApplied() throws Exception {
        Path dir = ROOT.resolve("deploy/k8s");
        Set<String> listed = new TreeSet<>();
        YAML.readTree(dir.resolve("kustomization.yaml").toFile()).get("resources").forEach(r -> listed.add(r.asText()));
        Set<String> present = new TreeSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".yaml"))
                .filter(f -> !f.equals("kustomization.yaml")).forEach(present::add);
        }
        assertEquals(present, listed);
    }

    @Test
    void dockerfileBuildsTheJarFromTheRepositoryAndRunsTheWorkerAsAnUnprivilegedUser() throws Exception {
        List<String> lines = Files.readAllLines(ROOT.resolve("deploy/Dockerfile")).stream()
            .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        List<String> from = lines.stream().filter(l -> l.startsWith("FROM ")).toList();
        assertEquals(2, from.size(), "a build stage and a runtime stage");
        assertTrue(from.get(0).matches("FROM maven:\\S+ AS build"), from.get(0));
        assertTrue(from.get(1).matches("FROM eclipse-temurin:17-jre\\S*"), from.get(1));

        String workdir = null;
        String jar = null;
        String user = null;
        Set<String> envNames = new TreeSet<>();
        for (String line : lines) {
            if (line.startsWith("WORKDIR ") && workdir == null) {
                workdir = line.substring("WORKDIR ".length());
            } else if (line.startsWith("COPY --from=build ")) {
                String[] parts = line.split("\\s+");
                Path built = Path.of(workdir).relativize(Path.of(parts[2]));
                assertEquals(Path.of("worker/target/" + workerFinalName() + ".jar"), built, "the shaded jar");
                jar = parts[3];
            } else if (line.startsWith("COPY ")) {
                String[] parts = line.split("\\s+");
                for (int i = 1; i < parts.length - 1; i++) {
                    assertTrue(Files.exists(ROOT.resolve(parts[i])), "COPY source " + parts[i] + " exists");
                }
            } else if (line.startsWith("USER ")) {
                user = line.substring("USER ".length());
            }
            Matcher env = Pattern.compile("\\b(NPUC_[A-Z0-9_]+)=").matcher(line);
            while (env.find()) {
                envNames.add(env.group(1));
            }
        }
        assertTrue(user != null && !user.matches("(root|0)(:.*)?"), "runs as a non-root user: " + user);
        assertWorkerReadsAll(envNames, "the Dockerfile");
        assertTrue(envNames.contains("NPUC_LOG_FORMAT"), "JSON logs inside the container");
        String entrypoint = lines.stream().filter(l -> l.startsWith("ENTRYPOINT ")).findFirst().orElseThrow();
        List<?> command = new ObjectMapper().readValue(entrypoint.substring("ENTRYPOINT ".length()), List.class);
        assertEquals("java", command.get(0));
        assertEquals(List.of("-jar", jar, "worker"), command.subList(command.size() - 3, command.size()));
        assertTrue(lines.contains("EXPOSE " + OpsSettings.DEFAULT_PORT));
    }

    private static String rootPomProperty(String name) throws IOException {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(Files.readString(ROOT.resolve("pom.xml")));
        assertTrue(m.find(), name + " in the root pom");
        return m.group(1);
    }

    private static String workerFinalName() throws IOException {
        Matcher m = Pattern.compile("<finalName>([^<]+)</finalName>").matcher(Files.readString(ROOT.resolve("worker/pom.xml")));
        assertTrue(m.find());
        return m.group(1);
    }
}
