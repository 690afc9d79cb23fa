package npuc.worker;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import npuc.worker.storage.ObjectStorage;
import npuc.worker.storage.S3Location;
import npuc.worker.storage.StorageException;

/**
 * Writes a target's artifacts under {@code <output prefix>/<job id>/<target name>/}, named as Vela names its
 * files. The keys depend only on the job, so a redelivered job overwrites what an earlier attempt wrote.
 */
public final class ArtifactStore {
    public static final String OPTIMISED_MODEL = "optimised_model";
    public static final String SUMMARY_CSV = "summary_csv";
    public static final String PER_LAYER_CSV = "per_layer_csv";
    public static final String REPORT_JSON = "report_json";

    private final ObjectStorage storage;

    public ArtifactStore(ObjectStorage storage) {
        this.storage = storage;
    }

    /** Uploads what the outcome holds; returns artifact kind to URI, in a fixed order. */
    public Map<String, String> store(JobRequest job, TargetSpec target, TargetOutcome outcome) throws StorageException {
        S3Location folder = job.artifactFolder(target);
        String model = job.modelName();
        Map<String, String> uris = new LinkedHashMap<>();
        if (outcome.optimisedModel().isPresent()) {
            S3Location key = folder.resolve(model + "_vela.tflite");
            storage.write(key, outcome.optimisedModel().get(), "application/octet-stream");
            uris.put(OPTIMISED_MODEL, key.toString());
        }
        S3Location summary = folder.resolve(model + "_summary_" + target.systemConfig() + ".csv");
        storage.write(summary, utf8(outcome.summaryCsv()), "text/csv");
        uris.put(SUMMARY_CSV, summary.toString());
        if (outcome.perLayerCsv().isPresent()) {
            S3Location perLayer = folder.resolve(model + "_per-layer.csv");
            storage.write(perLayer, utf8(outcome.perLayerCsv().get()), "text/csv");
            uris.put(PER_LAYER_CSV, perLayer.toString());
        }
        S3Location report = folder.resolve(model + "_report.json");
        storage.write(report, utf8(outcome.reportJson()), "application/json");
        uris.put(REPORT_JSON, report.toString());
        return uris;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
