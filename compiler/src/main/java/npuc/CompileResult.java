package npuc;

import java.util.List;
import java.util.Objects;

import npuc.alloc.ArenaAllocation;
import npuc.arch.MemoryType;
import npuc.arch.Target;
import npuc.codegen.CommandStream;
import npuc.frontend.FrontEndResult;
import npuc.graph.Graph;
import npuc.report.NetworkSummary;
import npuc.schedule.NetworkSchedule;
import npuc.search.MinimumArena;
import npuc.search.SearchOutcome;
import npuc.serialise.NpuConstantLayout;
import npuc.tflite.ArenaLayout;
import npuc.tflite.NpuSubgraphStream;
import npuc.tflite.OptimisedModelException;
import npuc.tflite.OptimisedModelWriter;
import npuc.tflite.TfliteWriter;

/**
 * What one compile of one model for one target produced.
 *
 * @param textSummary Vela's text summary, as the CLI prints it
 * @param warnings    what the user should know that did not stop the compile, as the lines Vela prints
 *                    ("Warning: ...", "Info: ..."), in Vela's order
 * @param frontEnd    the partition and passes the front end produced
 * @param schedule    the NPU schedules and their performance estimate
 * @param arena       the arena allocations: every feature map's and weight buffer's address
 * @param constants   the NPU constants laid out as the flash tensor
 * @param streams     each NPU subgraph's register command stream, in subgraph order
 * @param search      what the FastestFit search chose from and Vela's schedules beside it; null for Vela's
 *                    strategies
 * @param minimumArena the smallest arena cache size the search fits, when the options asked for it; else null
 */
public record CompileResult(String networkName, Target target, NetworkSummary summary, String textSummary,
                            List<String> warnings, FrontEndResult frontEnd, NetworkSchedule schedule,
                            ArenaAllocation arena, NpuConstantLayout constants, List<CommandStream> streams,
                            SearchOutcome search, MinimumArena minimumArena) {
    public CompileResult {
        Objects.requireNonNull(networkName, "networkName");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(summary, "summary");
        warnings = List.copyOf(warnings);
        streams = List.copyOf(streams);
    }

    /**
     * The optimised model Vela would write for {@code input}, the model this result was compiled from.
     *
     * @throws OptimisedModelException when the model is of a kind the writer cannot lay out
     */
    public byte[] optimisedModel(Graph input) {
        Graph optimised = optimisedGraph(input);
        try {
            return TfliteWriter.write(optimised);
        } catch (RuntimeException | StackOverflowError e) {
            throw new InternalCompilerError(FailureSignature.of("writer", e, input), e);
        }
    }

    /**
     * The optimised model as a value, before it is written.
     *
     * @throws OptimisedModelException when the model is of a kind the writer cannot lay out
     */
    public Graph optimisedGraph(Graph input) {
        List<NpuSubgraphStream> payloads = streams.stream()
                .map(s -> new NpuSubgraphStream(s.subgraph(), s.payload())).toList();
        try {
            return OptimisedModelWriter.build(input, frontEnd, constants, payloads, arenaLayout());
        } catch (OptimisedModelException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            throw new InternalCompilerError(FailureSignature.of("writer", e, input), e);
        }
    }

    /** The arena as the optimised model records it: the two scratch sizes and each arena feature map's address. */
    private ArenaLayout arenaLayout() {
        return new ArenaLayout(arena.size(MemoryType.SCRATCH), arena.size(MemoryType.SCRATCH_FAST),
                arena.addresses(MemoryType.SCRATCH));
    }

    /** Vela's name for the summary CSV: {@code <network>_summary_<system config>.csv}. */
    public String summaryFileName() {
        return networkName + "_summary_" + target.systemConfigName() + ".csv";
    }

    /** Vela's name for the optimised model: {@code <network>_vela.tflite}. */
    public String optimisedModelFileName() {
        return networkName + "_vela.tflite";
    }
}
