package npuc.worker.codec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import npuc.messages.CompileJob;
import npuc.messages.CompileResult;
import npuc.messages.CompileTarget;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.message.SchemaStore;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Reads and writes the Kafka messages. On the wire a message is Avro single-object encoded (a marker, the
 * writer schema's fingerprint, the binary datum); the decoder knows the current schema and every older one
 * shipped under {@code npuc/messages/history/}, so jobs written by older submitters resolve to the current
 * classes. A job may also arrive as plain JSON, flagged by a {@code content-type: application/json} header
 * or simply starting with '{', so a shell script with kcat can submit one.
 */
public final class MessageCodec {
    public static final String CONTENT_TYPE = "content-type";
    public static final String JSON = "application/json";
    public static final String AVRO = "application/vnd.apache.avro+binary";
    private static final String HISTORY = "npuc/messages/history/";
    /** Avro's single-object marker (C3 01) and the writer schema's 64-bit fingerprint. */
    private static final int SINGLE_OBJECT_HEADER = 10;

    private final ObjectMapper json = new ObjectMapper();
    private final SchemaStore.Cache writerSchemas = new SchemaStore.Cache();
    private final BinaryMessageDecoder<CompileJob> jobDecoder;
    private final BinaryMessageEncoder<CompileJob> jobEncoder = CompileJob.getEncoder();
    private final BinaryMessageEncoder<CompileResult> resultEncoder = CompileResult.getEncoder();
    private final BinaryMessageDecoder<CompileResult> resultDecoder = CompileResult.getDecoder();

    private final MessageLimits limits;

    public MessageCodec() {
        this(MessageLimits.defaults());
    }

    /** A codec that refuses job messages beyond these limits before decoding them. */
    public MessageCodec(MessageLimits limits) {
        this.limits = limits;
        jobDecoder = CompileJob.createDecoder(writerSchemas);
        // The store also serves the bounds check, which needs the writer schema of every message it reads.
        writerSchemas.addSchema(CompileJob.getClassSchema());
        for (Schema old : historicJobSchemas()) {
            addJobWriterSchema(old);
        }
    }

    public MessageLimits limits() {
        return limits;
    }

    /** Teaches the decoder one more writer schema of the compile job (the decoder resolves through the store). */
    public void addJobWriterSchema(Schema writer) {
        writerSchemas.addSchema(writer);
    }

    private static List<Schema> historicJobSchemas() {
        ClassLoader loader = MessageCodec.class.getClassLoader();
        List<Schema> schemas = new ArrayList<>();
        try (InputStream index = loader.getResourceAsStream(HISTORY + "index")) {
            if (index == null) {
                return schemas;
            }
            for (String line : new BufferedReader(new InputStreamReader(index, StandardCharsets.UTF_8)).lines().toList()) {
                String name = line.strip();
                if (name.isEmpty() || name.startsWith("#")) {
                    continue;
                }
                try (InputStream schema = loader.getResourceAsStream(HISTORY + name)) {
                    if (schema == null) {
                        throw new IllegalStateException("schema history lists " + name + " but it is not on the classpath");
                    }
                    schemas.add(new Schema.Parser().parse(schema));
                }
            }
            return schemas;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the schema history", e);
        }
    }

    /**
     * Decodes a job from a record value.
     *
     * @param fallbackSubmittedAt used when a JSON job does not say when it was submitted (the record time)
     */
    public CompileJob decodeJob(byte[] value, Headers headers, Instant fallbackSubmittedAt) throws MalformedMessageException {
        if (value == null || value.length == 0) {
            throw new MalformedMessageException("empty message");
        }
        if (value.length > limits.maxBytes()) {
            throw new MalformedMessageException("a message of " + value.length + " bytes, over the worker's limit of "
                + limits.maxBytes() + " bytes");
        }
        CompileJob job = isJson(value, headers)
            ? parseJobJson(new String(value, StandardCharsets.UTF_8), fallbackSubmittedAt)
            : decodeAvroJob(value);
        checkTargetCount(job.getTargets().size());
        return job;
    }

    private void checkTargetCount(long targets) throws MalformedMessageException {
        if (targets > limits.maxTargets()) {
            throw new MalformedMessageException("the job lists " + targets + " targets, more than the worker's limit of "
                + limits.maxTargets());
        }
    }

    private CompileJob decodeAvroJob(byte[] value) throws MalformedMessageException {
        checkBounds(value);
        try {
            return jobDecoder.decode(value);
        } catch (MissingSchemaException e) {
            throw new MalformedMessageException("written with an unknown schema (" + e.getMessage() + ")", e);
        } catch (BadHeaderException e) {
            throw new MalformedMessageException("not an Avro single-object message nor JSON: " + e.getMessage(), e);
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException e) {
            throw new MalformedMessageException("corrupt Avro message: " + e, e);
        }
    }

    /**
     * Walks a single-object message with its writer schema before the decoder allocates anything for it. A
     * message without the marker, or with an unknown fingerprint, is left to the decoder, which says so.
     */
    private void checkBounds(byte[] value) throws MalformedMessageException {
        if (value.length < SINGLE_OBJECT_HEADER || value[0] != (byte) 0xC3 || value[1] != 0x01) {
            return;
        }
        long fingerprint = ByteBuffer.wrap(value, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        Schema writer = writerSchemas.findByFingerprint(fingerprint);
        if (writer != null) {
            checkTargetCount(AvroBounds.check(writer, value, SINGLE_OBJECT_HEADER, "targets"));
        }
    }

    private static boolean isJson(byte[] value, Headers headers) {
        Header contentType = headers == null ? null : headers.lastHeader(CONTENT_TYPE);
        if (contentType != null && contentType.value() != null) {
            return new String(contentType.value(), StandardCharsets.UTF_8).toLowerCase().startsWith(JSON);
        }
        int first = 0;
        while (first < value.length && Character.isWhitespace(value[first])) {
            first++;
        }
        return first < value.length && value[first] == '{';
    }

    public byte[] encodeJob(CompileJob job) {
        try {
            return toArray(jobEncoder.encode(job));
        } catch (IOException e) {
            throw new UncheckedIOException("encoding into memory failed", e);
        }
    }

    public byte[] encodeResult(CompileResult result) {
        try {
            return toArray(resultEncoder.encode(result));
        } catch (IOException e) {
            throw new UncheckedIOException("encoding into memory failed", e);
        }
    }

    public CompileResult decodeResult(byte[] value) throws MalformedMessageException {
        try {
            return resultDecoder.decode(value);
        } catch (IOException | AvroRuntimeException e) {
            throw new MalformedMessageException("not a compile result: " + e.getMessage(), e);
        }
    }

    private static byte[] toArray(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    /**
     * Parses a job written as plain JSON: the Avro field names, nulls or absent fields for optional ones,
     * {@code submittedAt} as epoch milliseconds or ISO-8601 (absent: the fallback).
     */
    public CompileJob parseJobJson(String text, Instant fallbackSubmittedAt) throws MalformedMessageException {
        JsonNode root;
        try {
            root = json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new MalformedMessageException("malformed JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new MalformedMessageException("a JSON job must be an object");
        }
        JsonNode targets = root.get("targets");
        if (targets == null || !targets.isArray()) {
            throw new MalformedMessageException("JSON job has no \"targets\" array");
        }
        List<CompileTarget> parsedTargets = new ArrayList<>();
        for (JsonNode target : targets) {
            parsedTargets.add(CompileTarget.newBuilder()
                .setName(required(target, "name"))
                .setAccelerator(required(target, "accelerator"))
                .setSystemConfig(required(target, "systemConfig"))
                .setMemoryMode(required(target, "memoryMode"))
                .setArenaCacheSize(optionalLong(target, "arenaCacheSize"))
                .setStrategy(strategy(target))
                .setExtraOptions(stringMap(target, "extraOptions"))
                .build());
        }
        return CompileJob.newBuilder()
            .setJobId(required(root, "jobId"))
            .setModelUri(required(root, "modelUri"))
            .setModelSha256(optional(root, "modelSha256"))
            .setOutputPrefix(required(root, "outputPrefix"))
            .setTargets(parsedTargets)
            .setConfigFile(optional(root, "configFile"))
            .setSubmittedAt(instant(root, fallbackSubmittedAt))
            .build();
    }

    /** Writes a job as the JSON {@link #parseJobJson} reads. */
    public String toJson(CompileJob job) {
        ObjectNode root = json.createObjectNode();
        root.put("jobId", job.getJobId());
        root.put("modelUri", job.getModelUri());
        root.put("modelSha256", job.getModelSha256());
        root.put("outputPrefix", job.getOutputPrefix());
        ArrayNode targets = root.putArray("targets");
        for (CompileTarget target : job.getTargets()) {
            ObjectNode node = targets.addObject();
            node.put("name", target.getName());
            node.put("accelerator", target.getAccelerator());
            node.put("systemConfig", target.getSystemConfig());
            node.put("memoryMode", target.getMemoryMode());
            node.put("arenaCacheSize", target.getArenaCacheSize());
            node.put("strategy", target.getStrategy().name());
            ObjectNode options = node.putObject("extraOptions");
            target.getExtraOptions().forEach(options::put);
        }
        root.put("configFile", job.getConfigFile());
        root.put("submittedAt", job.getSubmittedAt().toString());
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings always serialises", e);
        }
    }

    private static String required(JsonNode node, String field) throws MalformedMessageException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new MalformedMessageException("JSON job lacks \"" + field + "\"");
        }
        if (!value.isTextual()) {
            throw new MalformedMessageException("JSON job field \"" + field + "\" must be a string");
        }
        return value.asText();
    }

    private static String optional(JsonNode node, String field) throws MalformedMessageException {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : required(node, field);
    }

    private static Long optionalLong(JsonNode node, String field) throws MalformedMessageException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.canConvertToExactIntegral() || !value.canConvertToLong()) {
            throw new MalformedMessageException("JSON job field \"" + field + "\" must be an integer");
        }
        return value.asLong();
    }

    private static npuc.messages.Strategy strategy(JsonNode target) throws MalformedMessageException {
        String name = optional(target, "strategy");
        if (name == null) {
            return npuc.messages.Strategy.Performance;
        }
        for (npuc.messages.Strategy strategy : npuc.messages.Strategy.values()) {
            if (strategy.name().equalsIgnoreCase(name)) {
                return strategy;
            }
        }
        throw new MalformedMessageException("unknown strategy \"" + name + "\" (Performance, Size or FastestFit)");
    }

    private static Map<String, String> stringMap(JsonNode node, String field) throws MalformedMessageException {
        JsonNode value = node.get(field);
        Map<String, String> map = new LinkedHashMap<>();
        if (value == null || value.isNull()) {
            return map;
        }
        if (!value.isObject()) {
            throw new MalformedMessageException("JSON job field \"" + field + "\" must be an object");
        }
        for (Map.Entry<String, JsonNode> entry : value.properties()) {
            map.put(entry.getKey(), entry.getValue().asText());
        }
        return map;
    }

    private static Instant instant(JsonNode root, Instant fallback) throws MalformedMessageException {
        JsonNode value = root.get("submittedAt");
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (value.isIntegralNumber()) {
            return Instant.ofEpochMilli(value.asLong());
        }
        try {
            return Instant.parse(value.asText());
        } catch (DateTimeParseException e) {
            throw new MalformedMessageException("\"submittedAt\" is neither epoch milliseconds nor ISO-8601: " + value.asText(), e);
        }
    }
}
