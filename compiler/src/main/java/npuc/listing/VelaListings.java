package npuc.listing;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

import npuc.CompileResult;
import npuc.CompileTrace;
import npuc.alloc.TensorAllocator;
import npuc.frontend.GraphStage;
import npuc.graph.Graph;
import npuc.report.AllocationReport;
import npuc.report.PerLayerTable;
import npuc.report.TextSummary;

/**
 * Vela's verbose outputs of one compile, in the order Vela prints them: what the compile driver prints stage
 * by stage (progress, graphs, passes, schedules, allocations, command streams, the per-layer table), then the
 * summary, then the timing and the subgraph summary. Which outputs are on is asked of {@code verbose} by
 * Vela's flag names ("verbose-graph", ...).
 */
public final class VelaListings {
    private final Predicate<String> verbose;
    private final boolean timing;
    private final Graph model;
    private final double readSeconds;
    private final TensorAllocator allocator;

    /**
     * @param readSeconds how long reading the model took
     * @param allocator   the arena's allocator, as the allocation listing names it
     */
    public VelaListings(Predicate<String> verbose, boolean timing, Graph model, double readSeconds,
            TensorAllocator allocator) {
        this.verbose = verbose;
        this.timing = timing;
        this.model = model;
        this.readSeconds = readSeconds;
        this.allocator = allocator;
    }

    /**
     * Everything Vela prints from reading the model until its summary: the operators read, the read time, and
     * the compile driver's outputs with the warnings where Vela prints them.
     */
    public String compiled(CompileResult result, CompileTrace trace) {
        StringBuilder s = new StringBuilder();
        if (verbose.test("verbose-operators")) {
            s.append(OperatorListing.of(trace.graph(GraphStage.BEFORE_OPTIMISATION)));
        }
        if (timing) {
            s.append(String.format(Locale.ROOT, "Model reading took %f s%n", readSeconds));
        }
        Progress progress = new Progress(verbose.test("verbose-progress"), s);
        progress.driver("Performing graph optimisation");
        if (verbose.test("verbose-graph")) {
            s.append(GraphListing.of("Before Graph Optimization", trace.graph(GraphStage.BEFORE_OPTIMISATION)));
        }
        List<String> warnings = warnings(result);
        result.frontEnd().warnings().forEach(w -> s.append(w).append('\n'));
        if (verbose.test("verbose-graph")) {
            s.append(GraphListing.of("After Graph Optimization", trace.graph(GraphStage.AFTER_OPTIMISATION)));
        }
        if (verbose.test("verbose-quantization")) {
            s.append(QuantizationListing.of(trace.graph(GraphStage.AFTER_OPTIMISATION), model));
        }
        progress.driver("Defining tensor purpose");
        if (verbose.test("verbose-tensor-purpose")) {
            s.append(TensorPurposeListing.of(trace.graph(GraphStage.TENSOR_PURPOSE), result.target()));
        }
        progress.driver("Performing pass packing");
        if (verbose.test("verbose-packing")) {
            s.append(PassListing.of(result.frontEnd().subgraphs().get(0).name(), trace.passes()));
        }
        progress.driver("Extracting npu subgraphs");
        progress.driver("Scheduling passes");
        progress.scheduling(result);
        if (verbose.test("verbose-schedule")) {
            s.append(ScheduleListing.of(result));
        }
        progress.afterScheduling(result);
        boolean allocation = verbose.test("verbose-allocation");
        if (allocation) {
            s.append(AllocationReport.of(result.arena(), allocator));
        }
        warnings.forEach(w -> s.append(w).append('\n'));
        if (timing) {
            s.append(String.format(Locale.ROOT, "Scheduling took %f s%n", trace.schedulingSeconds()));
        }
        boolean npu = !result.frontEnd().npuSubgraphs().isEmpty();
        progress.driver("Calculating live ranges for constant NPU tensors");
        if (npu) {
            progress.driver("Allocating NPU constant tensors to the first NPU subgraph");
            if (allocation) {
                s.append(ConstantAllocationListing.npu(result));
            }
        }
        progress.driver("Generating command stream");
        for (int i = 0; i < result.streams().size(); i++) {
            if (verbose.test("verbose-high-level-command-stream")) {
                s.append(CommandStreamListing.highLevel(result, i));
            }
            if (verbose.test("verbose-register-command-stream")) {
                s.append(CommandStreamListing.register(result, i));
            }
        }
        progress.driver("Allocating CPU constant tensors");
        if (allocation) {
            s.append(ConstantAllocationListing.cpu(result, model));
        }
        progress.driver("Calculating new performance for the network");
        if (verbose.test("verbose-performance")) {
            s.append(PerLayerTable.of(result.schedule(), result.target()));
        }
        return s.toString();
    }

    /** The warnings of the compile after the target's and the front end's, which Vela prints after scheduling. */
    private static List<String> warnings(CompileResult result) {
        List<String> all = new ArrayList<>(result.warnings());
        int skip = result.target().notices().size() + result.frontEnd().warnings().size();
        return all.subList(Math.min(skip, all.size()), all.size());
    }

    /** Vela's text summary, with the weight sizes under --verbose-weights. */
    public String summary(CompileResult result) {
        String text = result.textSummary();
        if (!verbose.test("verbose-weights")) {
            return text;
        }
        String weights = TextSummary.weightLines(result.frontEnd().totalOriginalWeights(),
                result.schedule().encodedWeightBytes());
        int at = text.indexOf("Neural network macs");
        return at < 0 ? text + weights : text.substring(0, at) + weights + text.substring(at);
    }

    /** What Vela prints after writing its outputs: the compile time under --timing. */
    public String finished(double compileSeconds) {
        return timing ? String.format(Locale.ROOT, "Compiler driver took %f s%n", compileSeconds) : "";
    }

    public String subgraphIoSummary(CompileResult result) {
        return SubgraphIoSummary.of(result, model);
    }

    /** Vela's progress lines: {@code <function>: <step>}, with counts where Vela shows them. */
    private static final class Progress {
        private final boolean on;
        private final StringBuilder s;

        Progress(boolean on, StringBuilder s) {
            this.on = on;
            this.s = s;
        }

        void driver(String step) {
            line("compiler_driver", step);
        }

        void line(String function, String step) {
            if (on) {
                s.append(function).append(": ").append(step).append('\n');
            }
        }

        /** The scheduler's steps for each subgraph: CPU subgraphs get one cascaded pass per pass. */
        void scheduling(CompileResult result) {
            var subgraphs = result.frontEnd().subgraphs();
            for (int i = 0; i < subgraphs.size(); i++) {
                var sg = subgraphs.get(i);
                line("schedule_passes", counted("Processing subgraph", i, subgraphs.size()));
                if (sg.placement() == npuc.frontend.PassPlacement.CPU) {
                    for (int p = 0; p < sg.passes().size(); p++) {
                        line("schedule_passes", counted("Creating cascaded passes for CPU op", p, sg.passes().size()));
                    }
                } else {
                    line("schedule_passes", "Creating scheduler representation");
                    line("schedule_passes", "Creating optimised max schedule");
                    line("schedule_passes", "Creating minimal schedule");
                    line("schedule_passes", "Building cascades for minimal schedule");
                }
            }
        }

        void afterScheduling(CompileResult result) {
            line("schedule_passes", "Update memory snapshot for all NPU graphs");
            line("schedule_passes", "Update tensor allocation");
        }

        /** Vela's "{step} {index}/{count - 1}". */
        private static String counted(String step, int index, int count) {
            return step + " " + index + "/" + (count - 1);
        }
    }
}
