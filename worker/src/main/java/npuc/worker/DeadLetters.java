package npuc.worker;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import npuc.messages.CompileResult;
import npuc.messages.ResultStatus;
import npuc.worker.storage.ObjectStorage;
import npuc.worker.storage.S3Location;
import npuc.worker.storage.StorageException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Makes a failed job's {@link DeadLetter}. The reason names the failed targets and joins every distinct error,
 * up to a few kilobytes each, then counts what it leaves out; the full report (every failed target with its
 * error and signature) then goes to the store, its location in a header. A record that would still exceed what
 * the producer may send (a megabyte of garbage) leaves the original message in the store too.
 */
final class DeadLetters {
    /** Characters of failed target names in the reason. */
    static final int NAMES_CHARS = 2048;
    /** Characters of distinct errors in the reason. */
    static final int ERRORS_CHARS = 6144;
    static final int SIGNATURES_CHARS = 2048;
    /** Room left in a record for the dead-letter headers and Kafka's own framing. */
    static final int HEADER_ROOM = 16 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectStorage storage;
    private final S3Location reports;
    private final long maxRecordBytes;

    /**
     * @param reports the prefix under which full reports and displaced messages go
     * @param maxRecordBytes the largest record the producer may send ({@code max.request.size})
     */
    DeadLetters(ObjectStorage storage, S3Location reports, long maxRecordBytes) {
        this.storage = storage;
        this.reports = reports;
        this.maxRecordBytes = maxRecordBytes;
    }

    /** The dead letter of a job with these results, or none when every target is OK. Writes to the store when it must. */
    Optional<DeadLetter> of(ConsumerRecord<byte[], byte[]> source, String jobId, List<CompileResult> results)
            throws StorageException {
        List<CompileResult> failed = results.stream().filter(r -> r.getStatus() != ResultStatus.OK).toList();
        if (failed.isEmpty()) {
            return Optional.empty();
        }
        Set<String> errors = new LinkedHashSet<>();
        Set<String> signatures = new LinkedHashSet<>();
        List<String> names = new ArrayList<>();
        for (CompileResult result : failed) {
            errors.add(String.valueOf(result.getError()));
            if (result.getFailureSignature() != null) {
                signatures.add(result.getFailureSignature());
            }
            names.add(result.getTargetName());
        }
        Cut errorText = Cut.of(errors, "; ", ERRORS_CHARS, "distinct errors");
        Cut signatureText = Cut.of(signatures, ",", SIGNATURES_CHARS, "signatures");
        Cut nameText = Cut.of(names, ", ", NAMES_CHARS, "targets");
        String reason = failed.size() < results.size()
            ? "targets " + nameText.text() + " failed: " + errorText.text()
            : errorText.text();
        S3Location folder = reports.resolve(source.topic() + "-" + source.partition() + "-" + source.offset());
        Optional<S3Location> report = Optional.empty();
        if (!errorText.complete() || !signatureText.complete() || !nameText.complete()) {
            S3Location where = folder.resolve("report.json");
            storage.write(where, fullReport(source, jobId, failed, results.size()), "application/json");
            report = Optional.of(where);
            reason += " (full report: " + where + ")";
        }
        Optional<S3Location> message = Optional.empty();
        if (originalSize(source) + HEADER_ROOM > maxRecordBytes) {
            S3Location where = folder.resolve("message");
            storage.write(where, source.value(), "application/octet-stream");
            message = Optional.of(where);
        }
        return Optional.of(new DeadLetter(reason, signatureText.text(), report, message));
    }

    /** Bytes of the source record's key, value and headers, as its dead letter would repeat them. */
    static long originalSize(ConsumerRecord<byte[], byte[]> source) {
        long size = (source.key() == null ? 0 : source.key().length) + (source.value() == null ? 0 : source.value().length);
        for (Header header : source.headers()) {
            size += header.key().length() + (header.value() == null ? 0 : header.value().length);
        }
        return size;
    }

    private static byte[] fullReport(ConsumerRecord<byte[], byte[]> source, String jobId, List<CompileResult> failed,
            int targets) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("source", source.topic() + "-" + source.partition() + "@" + source.offset());
        root.put("job_id", jobId);
        root.put("targets", targets);
        root.put("failed", failed.size());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (CompileResult result : failed) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("target", result.getTargetName());
            row.put("status", result.getStatus().name());
            row.put("error", result.getError());
            row.put("failure_signature", result.getFailureSignature());
            rows.add(row);
        }
        root.put("failed_targets", rows);
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a report of strings and numbers always serialises", e);
        }
    }

    /** Items joined up to a length, saying how many did not fit; complete when nothing was left out or shortened. */
    record Cut(String text, boolean complete) {
        static Cut of(Iterable<String> items, String separator, int maxChars, String noun) {
            StringBuilder text = new StringBuilder();
            int total = 0;
            int kept = 0;
            boolean shortened = false;
            for (String item : items) {
                total++;
                if (kept == 0 || text.length() + separator.length() + item.length() <= maxChars) {
                    if (kept > 0) {
                        text.append(separator);
                    }
                    shortened |= item.length() > maxChars;
                    text.append(item.length() > maxChars ? item.substring(0, maxChars) + "..." : item);
                    kept++;
                }
            }
            int leftOut = total - kept;
            if (leftOut > 0) {
                text.append(separator).append("and ").append(leftOut).append(" more ").append(noun);
            }
            return new Cut(text.toString(), leftOut == 0 && !shortened);
        }
    }
}
