package npuc;

import java.util.ArrayList;
import java.util.List;

import npuc.arch.Target;
import npuc.arch.TargetSummary;
import npuc.frontend.FrontEnd;
import npuc.frontend.FrontEndException;
import npuc.frontend.FrontEndResult;
import npuc.graph.Graph;
import npuc.report.NetworkSummary;
import npuc.report.PerLayerTable;
import npuc.report.PerformanceColumns;
import npuc.schedule.NetworkSchedule;
import npuc.schedule.OperationWeightEncoder;
import npuc.schedule.SchedulingException;
import npuc.schedule.WeightEncodingCache;
import npuc.report.TextSummary;

/**
 * The compiler facade: one model, one target, one result. Stateless, so any number of compiles may run
 * side by side. Each pipeline stage adds what it computes to the result; columns of stages that do
 * not exist yet are absent from the summary rather than made up.
 */
public final class Compiler {
    private Compiler() {
    }

    public static CompileResult compile(String networkName, Graph model, Target target, CompileOptions options)
            throws BadInputException {
        return compile(networkName, model, target, options, new WeightEncodingCache());
    }

    /**
     * A compile that takes encoded weights from, and adds them to, {@code weights}: compiles of one model for
     * several memory sizes or targets share most of their encoding work through it. Results are the same as
     * without it.
     */
    public static CompileResult compile(String networkName, Graph model, Target target, CompileOptions options,
            WeightEncodingCache weights) throws BadInputException {
        List<String> warnings = new ArrayList<>(target.notices());
        FrontEndResult frontEnd;
        try {
            frontEnd = FrontEnd.run(model, target.accelerator(), options.forceSymmetricIntWeights());
        } catch (FrontEndException e) {
            throw new BadInputException(networkName + " for " + target.acceleratorName() + ": " + e.getMessage(), e);
        }
        warnings.addAll(frontEnd.warnings());
        NetworkSchedule schedule;
        try {
            schedule = NetworkSchedule.of(frontEnd, target, options.strategy(),
                    new OperationWeightEncoder(target.accelerator(), weights));
        } catch (SchedulingException e) {
            throw new BadInputException(networkName + " for " + target.describe() + ": " + e.getMessage(), e);
        }
        NetworkSummary.Builder columns = targetColumns(networkName, target)
                .put("batch_size", frontEnd.batchSize())
                .put("passes_before_fusing", frontEnd.passesBeforeFusing())
                .put("passes_after_fusing", frontEnd.passesAfterFusing())
                .put("total_original_weights", frontEnd.totalOriginalWeights())
                .put("nn_macs", frontEnd.nnMacs());
        PerformanceColumns.put(columns, target, schedule);
        NetworkSummary summary = columns.build();
        StringBuilder text = new StringBuilder();
        if (options.verbosePerformance()) {
            text.append(PerLayerTable.of(schedule, target));
        }
        text.append(TextSummary.of(networkName, target, frontEnd, options.showCpuOperations(),
                schedule.performance()));
        return new CompileResult(networkName, target, summary, text.toString(), warnings, frontEnd, schedule);
    }

    /**
     * The network name Vela uses in reports and output file names: the model file's name, without any folder
     * (or object-key prefix) and without its .tflite extension.
     */
    public static String networkName(String modelFileName) {
        String base = modelFileName.substring(Math.max(modelFileName.lastIndexOf('/'), modelFileName.lastIndexOf('\\')) + 1);
        return base.endsWith(".tflite") ? base.substring(0, base.length() - ".tflite".length()) : base;
    }

    /** The columns that depend on the target alone. */
    static NetworkSummary.Builder targetColumns(String networkName, Target target) {
        TargetSummary t = target.summary();
        return NetworkSummary.builder()
                .put("experiment", "default")
                .put("network", networkName)
                .put("accelerator_configuration", t.acceleratorConfiguration())
                .put("system_config", t.systemConfig())
                .put("memory_mode", t.memoryMode())
                .put("core_clock", t.coreClock())
                .put("arena_cache_size", t.arenaCacheSize())
                .put("sram_bandwidth", t.sramBandwidth())
                .put("dram_bandwidth", t.dramBandwidth())
                .put("on_chip_flash_bandwidth", t.onChipFlashBandwidth())
                .put("off_chip_flash_bandwidth", t.offChipFlashBandwidth())
                .put("weights_storage_area", t.weightsStorageArea())
                .put("feature_map_storage_area", t.featureMapStorageArea());
    }
}
