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

import npuc.CompileResult;
import npuc.SharedData;
import npuc.schedule.ScheduledSubgraph;

/**
 * Compiles every reference row and compares npuc's command streams, as the compile produced them (its own arena
 * allocation and constant layout), with the ones in Vela's optimised model: one line per row, equal or the first
 * differing command. Then code generation alone: the same streams generated again with the addresses read back
 * from Vela's stream ({@link RecoveredPlacement}), which separates a register npuc sets differently from a buffer
 * it placed differently. Where Vela crashed, npuc's streams must still end with a stop.
 */
class CommandStreamConformanceTest {
    /** Rows whose every command stream, as compiled, is byte-equal to Vela's: raised as the back end improves. */
    private static final int EQUAL_FLOOR = 53;
    /** Rows byte-equal when Vela's addresses are used: code generation alone. */
    private static final int RECOVERED_EQUAL_FLOOR = 53;

    @Test
    void commandStreamsAgainstVela() throws Exception {
        Path reference = SharedData.referenceDir();
        Path csv = reference.resolve("summary.csv");
        assumeTrue(Files.isRegularFile(csv), "skipped: " + csv + " is absent");
        List<Map<String, String>> rows = SharedData.readCsv(csv);
        int equal = 0;
        int equalRecovered = 0;
        StringBuilder recoveredTable = new StringBuilder();
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
            CompileResult r = SharedData.compile(row);
            List<DriverPayload> vela = GoldenStreams.read(golden);
            List<ScheduledSubgraph> subgraphs = r.schedule().subgraphs();
            String verdict;
            String recoveredVerdict;
            if (vela.size() != subgraphs.size()) {
                verdict = "subgraphs " + subgraphs.size() + " vs Vela's " + vela.size();
                recoveredVerdict = verdict;
            } else {
                verdict = "equal";
                recoveredVerdict = "equal";
                for (int i = 0; i < subgraphs.size(); i++) {
                    if (verdict.equals("equal")) {
                        verdict = compare(r.streams().get(i), vela.get(i), i);
                    }
                    if (recoveredVerdict.equals("equal")) {
                        List<Command> velaCommands = CommandStreamDecoder.decode(vela.get(i).commandWords());
                        RecoveredPlacement recovered = RecoveredPlacement.recover(subgraphs.get(i), r.target(),
                                velaCommands);
                        recoveredVerdict = compare(CommandStreamGenerator.generate(subgraphs.get(i), r.target(),
                                recovered), vela.get(i), i);
                    }
                }
            }
            equal += verdict.equals("equal") ? 1 : 0;
            if (recoveredVerdict.equals("equal")) {
                equalRecovered++;
            } else {
                recoveredTable.append(String.format(Locale.ROOT, "%-90s %s%n", dirName, recoveredVerdict));
            }
            table.append(String.format(Locale.ROOT, "%-90s %s%n", dirName, verdict));
        }
        table.append(String.format(Locale.ROOT, "command streams byte-equal to Vela's: %d of %d rows%n", equal,
                completed));
        table.append(String.format(Locale.ROOT, "with Vela's addresses (code generation alone): %d byte-equal%n",
                equalRecovered)).append(recoveredTable);
        table.append(String.format(Locale.ROOT, "rows where Vela crashed: %d, npuc streams generated for %d%n",
                crashedRows, crashedRows - failedWhereVelaCrashed.size()));
        failedWhereVelaCrashed.forEach(f -> table.append("  ").append(f).append('\n'));
        System.out.println(table);
        final int e = equal;
        assertTrue(e >= EQUAL_FLOOR, table::toString);
        final int a = equalRecovered;
        assertTrue(a >= RECOVERED_EQUAL_FLOOR, table::toString);
        assertTrue(failedWhereVelaCrashed.isEmpty(), table::toString);
    }

    private static String generateWhereVelaCrashed(Map<String, String> row) throws Exception {
        CompileResult r = SharedData.compile(row);
        for (CommandStream s : r.streams()) {
            List<Command> c = s.commands();
            if (c.get(c.size() - 1).command() != NpuCommand.NPU_OP_STOP) {
                return "stream does not end with a stop";
            }
        }
        return r.streams().isEmpty() ? "no NPU subgraph" : null;
    }

    private static String compare(CommandStream ours, DriverPayload vela, int index) {
        List<Command> reference = CommandStreamDecoder.decode(vela.commandWords());
        String where = "subgraph " + index + ": ";
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
