package npuc.worker;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What compiling one model for one target produced.
 *
 * @param optimisedModel the optimised TFLite model; empty when the compiler writes none (e.g. nothing ran
 *     on the NPU and the caller asked for reports only)
 * @param summaryCsv the summary CSV, Vela's columns
 * @param perLayerCsv the per-layer performance CSV, when produced
 * @param reportJson the JSON report
 * @param summaryMetrics every summary CSV column by its Vela name, in the CSV's column order, then npuc's
 *     {@code cpu_operators} and {@code npu_operators}
 */
public record TargetOutcome(
    Optional<byte[]> optimisedModel,
    String summaryCsv,
    Optional<String> perLayerCsv,
    String reportJson,
    Map<String, String> summaryMetrics) {

    public TargetOutcome {
        Objects.requireNonNull(optimisedModel, "optimisedModel");
        Objects.requireNonNull(summaryCsv, "summaryCsv");
        Objects.requireNonNull(perLayerCsv, "perLayerCsv");
        Objects.requireNonNull(reportJson, "reportJson");
        summaryMetrics = Collections.unmodifiableMap(new LinkedHashMap<>(summaryMetrics));
    }
}
