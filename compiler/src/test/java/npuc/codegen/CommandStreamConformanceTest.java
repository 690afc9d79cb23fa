package npuc.codegen;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;

import npuc.CompileOptions;
import npuc.CompileResult;
import npuc.Compiler;
import npuc.SharedData;
import npuc.alloc.ArenaAllocation;
import npuc.arch.TargetOptions;
import npuc.arch.Targets;
import npuc.schedule.OptimizationStrategy;
import npuc.schedule.ScheduledSubgraph;
import npuc.tflite.TfliteReader;

/**
 * Compiles every reference row Vela completed and compares npuc's command streams with the ones in Vela's
 * optimised model. Tensor allocation is not part of code generation, so the addresses are read back from Vela's
 * stream ({@link RecoveredPlacement}); every other register, the waits, the block dependencies and the order are
 * npuc's own. Prints one line per row: equal, equal except addresses, or the first differing command. Then the
 * same with npuc's arena allocation placing feature maps and weight buffers ({@link ArenaPlacement}), listing the
 * rows that differ.
 */
class CommandStreamConformanceTest {
    /** Rows whose every command stream is byte-equal to Vela's: raised as code generation improves. */
    private static final int EQUAL_FLOOR = 53;
    /**
     * Rows byte-equal when npuc's own arena allocation places the feature maps and weight buffers (constant data
     * still read back): code generation and allocation together.
     */
    private static final int ARENA_EQUAL_FLOOR = 47;

    @Test
    void commandStreamsAgainstVela() throws Exception {
        Path reference = SharedData.referenceDir();
        Path csv = reference.resolve("summary.csv");
        assumeTrue(Files.isRegularFile(csv), "skipped: " + csv + " is absent");
        List<Map<String, String>> rows = SharedData.readCsv(csv);
        int equal = 0;
        int equalExceptAddresses = 0;
        int equalWithArena = 0;
        StringBuilder arenaTable = new StringBuilder();
        int completed = 0;
        StringBuilder table = new StringBuilder();
        int crashedRows = 0;
        List<String> failedWhereVelaCrashed = new java.util.ArrayList<>();
        for (Map<String, String> row : rows) {
            if (!"0".equals(row.get("vela_exit"))) {
                // Where the reference crashed there is nothing to compare, but a stream must still come out.
                crashedRows++;
                String failure = generateWhereVelaCrashed(row);
                if (failure != null) {
                    failedWhereVelaCrashed.add(row.get("model") + " " + row.get("accelerator_config") + ": " + failure);
                }
                continue;
            }
            String dirName = row.get("model") + "__" + row.get("accelerator_config") + "__" + row.get("system_config")
                    + "__" + row.get("memory_mode") + ("Size".equals(row.get("optimise")) ? "__optimise_Size" : "");
            Path golden = reference.resolve("golden").resolve(dirName).resolve(row.get("model") + "_vela.tflite");
            if (!Files.isRegularFile(golden)) {
                table.append(String.format(Locale.ROOT, "%-90s %s%n", dirName, "no optimised model in the reference"));
                continue;
            }
            completed++;
            Path model = SharedData.modelsDir().resolve(row.get("model") + ".tflite");
            CompileOptions options = CompileOptions.defaults()
                    .withStrategy(OptimizationStrategy.valueOf(row.get("optimise")));
            CompileResult r = Compiler.compile(row.get("model"), TfliteReader.read(Files.readAllBytes(model)),
                    Targets.resolve(TargetOptions.of(row.get("accelerator_config"), row.get("system_config"),
                            row.get("memory_mode"))), options);
            List<DriverPayload> vela = GoldenStreams.read(golden);
            List<ScheduledSubgraph> ours = r.schedule().subgraphs();
            String verdict;
            String arenaVerdict;
            if (vela.size() != ours.size()) {
                verdict = "subgraphs " + ours.size() + " vs Vela's " + vela.size();
                arenaVerdict = verdict;
            } else {
                verdict = "equal";
                arenaVerdict = "equal";
                ArenaAllocation arena = ArenaAllocation.of(r.frontEnd(), r.schedule(), r.target(),
                        new ArenaAllocation.Settings(options.tensorAllocator(), options.cpuTensorAlignment(),
                                options.hillclimbMaxIterations()));
                for (int i = 0; i < ours.size() && verdict.equals("equal"); i++) {
                    List<Command> velaCommands = CommandStreamDecoder.decode(vela.get(i).commandWords());
                    RecoveredPlacement recovered = RecoveredPlacement.recover(ours.get(i), r.target(), velaCommands);
                    verdict = compare(r, ours.get(i), vela.get(i), i, recovered);
                    if (arenaVerdict.equals("equal")) {
                        arenaVerdict = compare(r, ours.get(i), vela.get(i), i,
                                ArenaPlacement.of(arena, r.schedule(), r.target(), recovered));
                    }
                }
            }
            if (arenaVerdict.equals("equal")) {
                equalWithArena++;
            } else {
                arenaTable.append(String.format(Locale.ROOT, "%-90s %s%n", dirName, arenaVerdict));
            }
            if (verdict.equals("equal")) {
                equal++;
                equalExceptAddresses++;
            } else if (verdict.startsWith("equal except")) {
                equalExceptAddresses++;
            }
            table.append(String.format(Locale.ROOT, "%-90s %s%n", dirName, verdict));
        }
        table.append(String.format(Locale.ROOT, "of %d rows: %d byte-equal, %d equal except addresses%n", completed,
                equal, equalExceptAddresses));
        table.append(String.format(Locale.ROOT,
                "with npuc's own arena allocation for feature maps and weight buffers: %d byte-equal%n",
                equalWithArena)).append(arenaTable);
        table.append(String.format(Locale.ROOT, "rows where Vela crashed: %d, npuc streams generated for %d%n",
                crashedRows, crashedRows - failedWhereVelaCrashed.size()));
        failedWhereVelaCrashed.forEach(f -> table.append("  ").append(f).append('\n'));
        System.out.println(table);
        final int e = equal;
        assertTrue(e >= EQUAL_FLOOR, table::toString);
        final int a = equalWithArena;
        assertTrue(a >= ARENA_EQUAL_FLOOR, table::toString);
        assertTrue(failedWhereVelaCrashed.isEmpty(), table::toString);
    }

    private static String generateWhereVelaCrashed(Map<String, String> row) throws Exception {
        Path model = SharedData.modelsDir().resolve(row.get("model") + ".tflite");
        CompileOptions options = CompileOptions.defaults()
                .withStrategy(OptimizationStrategy.valueOf(row.get("optimise")));
        CompileResult r = Compiler.compile(row.get("model"), TfliteReader.read(Files.readAllBytes(model)),
                Targets.resolve(TargetOptions.of(row.get("accelerator_config"), row.get("system_config"),
                        row.get("memory_mode"))), options);
        try {
            List<CommandStream> streams = CommandStreamGenerator.generate(r.schedule(), r.target(),
                    new SequentialPlacement());
            for (CommandStream s : streams) {
                List<Command> c = s.commands();
                if (c.get(c.size() - 1).command() != NpuCommand.NPU_OP_STOP) {
                    return "stream does not end with a stop";
                }
            }
            return streams.isEmpty() ? "no NPU subgraph" : null;
        } catch (RuntimeException ex) {
            return ex.toString();
        }
    }

    private static String compare(CompileResult r, ScheduledSubgraph sg, DriverPayload vela, int index,
                                  MemoryPlacement placement) {
        List<Command> reference = CommandStreamDecoder.decode(vela.commandWords());
        String where = "subgraph " + index + ": ";
        CommandStream ours;
        try {
            ours = CommandStreamGenerator.generate(sg, r.target(), placement);
        } catch (RuntimeException ex) {
            return where + "generation failed: " + ex;
        }
        if (Arrays.equals(ours.payload(), vela.bytes())) {
            return "equal";
        }
        List<Command> mine = ours.commands();
        int n = Math.min(mine.size(), reference.size());
        for (int i = 0; i < n; i++) {
            if (!mine.get(i).equals(reference.get(i))) {
                boolean addressOnly = mine.get(i).withoutAddress().equals(reference.get(i).withoutAddress());
                boolean restEqual = mine.size() == reference.size();
                for (int k = 0; k < n && restEqual; k++) {
                    restEqual = mine.get(k).withoutAddress().equals(reference.get(k).withoutAddress());
                }
                String first = String.format(Locale.ROOT, "first difference at command %d of %d: Vela %s, npuc %s",
                        i, reference.size(), reference.get(i), mine.get(i));
                return (addressOnly && restEqual ? "equal except addresses; " : "") + where + first;
            }
        }
        return where + "lengths differ: Vela " + reference.size() + " commands, npuc " + mine.size()
                + (n < reference.size() ? "; Vela continues with " + reference.get(n)
                : "; npuc continues with " + mine.get(n));
    }
}
