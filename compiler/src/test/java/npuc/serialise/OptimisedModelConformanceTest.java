package npuc.serialise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;

import npuc.CompileResult;
import npuc.frontend.FrontEndResult;
import npuc.graph.Buffer;
import npuc.graph.Graph;
import npuc.graph.Metadata;
import npuc.graph.Operator;
import npuc.graph.Subgraph;
import npuc.graph.Tensor;
import npuc.tflite.ArenaLayout;
import npuc.tflite.NpuSubgraphStream;
import npuc.tflite.OptimisedModelWriter;
import npuc.tflite.TfliteReader;
import npuc.tflite.TfliteWriter;

/**
 * Writes the optimised model of every row the reference completed and compares its structure with the
 * reference's: operator codes, operators with their tensors (name, shape, type, quantization, buffer contents,
 * custom options), subgraph inputs and outputs, metadata. The command streams are the test's own (a driver
 * header with no commands), so the command-stream tensors are compared by name only; the arena sizes and
 * addresses come from another stage, so the test takes the sizes from the reference and checks only which
 * tensors the offline allocation places. Also checks that npuc reads every written model back unchanged.
 */
class OptimisedModelConformanceTest {
    /** Rows whose structure matches: raised as the writer improves, never above what it reaches. */
    private static final int STRUCTURE_FLOOR = 53;
    /** A driver payload header with no commands: the test's stand-in for a generated command stream. */
    private static final byte[] EMPTY_STREAM = new byte[32];

    @Test
    void structureAgainstVela() throws Exception {
        List<GoldenRows> rows = GoldenRows.all();
        assumeTrue(!rows.isEmpty(), "skipped: no reference optimised models");
        int equal = 0;
        int withFlash = 0;
        StringBuilder table = new StringBuilder();
        for (GoldenRows row : rows) {
            Graph golden = row.readOptimised();
            CompileResult r = row.compile();
            NpuConstantLayout layout = NpuConstantLayout.of(r.frontEnd(), r.schedule());
            Graph ours = OptimisedModelWriter.build(row.readInput(), r.frontEnd(), layout,
                    streams(r.frontEnd()), arena(golden, r.frontEnd(), row.readInput()));
            byte[] written = TfliteWriter.write(ours);
            assertEquals(ours, TfliteReader.read(written), row.label() + ": the written model reads back unchanged");
            String diff = difference(describe(ours, false), describe(golden, false));
            if (diff == null) {
                equal++;
                String flashDiff = difference(describe(ours, true), describe(golden, true));
                if (flashDiff == null) {
                    withFlash++;
                }
                table.append(String.format(Locale.ROOT, "%-100s structure equal%s%n", row.label(),
                        flashDiff == null ? ", flash equal" : ", flash differs"));
            } else {
                table.append(String.format(Locale.ROOT, "%-100s %s%n", row.label(), diff));
            }
        }
        table.append(String.format(Locale.ROOT, "optimised models structurally equal to Vela's: %d of %d "
                + "(%d also in the flash bytes)%n", equal, rows.size(), withFlash));
        System.out.println(table);
        assertTrue(equal >= STRUCTURE_FLOOR, table::toString);
    }

    private static List<NpuSubgraphStream> streams(FrontEndResult frontEnd) {
        return frontEnd.npuSubgraphs().stream().map(sg -> new NpuSubgraphStream(sg.name(), EMPTY_STREAM)).toList();
    }

    /** The reference's arena sizes, and address 0 for every tensor: the test checks which tensors get one. */
    private static ArenaLayout arena(Graph golden, FrontEndResult frontEnd, Graph input) {
        long scratch = 0;
        long fast = 0;
        for (Tensor t : golden.subgraphs().get(0).tensors()) {
            if (t.name().endsWith("_scratch")) {
                scratch = t.shape().get(0);
            } else if (t.name().endsWith("_scratch_fast")) {
                fast = t.shape().get(0);
            }
        }
        Map<Integer, Long> addresses = new HashMap<>();
        for (int i = 0; i < input.subgraphs().get(0).tensors().size(); i++) {
            addresses.put(i, 0L);
        }
        frontEnd.subgraphs().forEach(sg -> sg.passes().forEach(p -> {
            p.inputs().forEach(t -> addresses.put(t.equivalenceId(), 0L));
            p.outputs().forEach(t -> addresses.put(t.equivalenceId(), 0L));
        }));
        return new ArenaLayout(scratch, fast, addresses);
    }

    /**
     * The model as lines to compare: tensors are named by their contents rather than their index, so tensors
     * with equal names (whose order Vela leaves to chance) compare equal wherever they sit.
     */
    static List<String> describe(Graph g, boolean flashBytes) {
        List<String> out = new ArrayList<>();
        out.add("version " + g.version() + " " + g.description());
        g.operatorCodes().forEach(c -> out.add("code " + c));
        Subgraph sg = g.subgraphs().get(0);
        out.add("subgraphs " + g.subgraphs().size() + " name '" + sg.name() + "' tensors " + sg.tensors().size());
        List<String> names = new ArrayList<>();
        for (Tensor t : sg.tensors()) {
            names.add(t.name());
        }
        out.add("tensor names " + names);
        for (Operator op : sg.operators()) {
            out.add("operator " + g.operatorCode(op).displayName() + " custom options "
                    + (op.customOptions() == null ? null : java.util.Arrays.toString(op.customOptions().toArray()))
                    + " options " + op.options());
            op.inputs().forEach(i -> out.add("  in  " + tensor(g, i, flashBytes)));
            op.outputs().forEach(i -> out.add("  out " + tensor(g, i, flashBytes)));
            op.intermediates().forEach(i -> out.add("  mid " + tensor(g, i, flashBytes)));
        }
        sg.inputs().forEach(i -> out.add("input " + tensor(g, i, flashBytes)));
        sg.outputs().forEach(i -> out.add("output " + tensor(g, i, flashBytes)));
        for (Metadata m : g.metadata()) {
            byte[] data = g.buffers().get(m.buffer()).data().toArray();
            if (m.name().equals("OfflineMemoryAllocation")) {
                ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
                int placed = 0;
                List<Integer> header = List.of(b.getInt(), b.getInt(), b.getInt());
                while (b.hasRemaining()) {
                    placed += b.getInt() == -1 ? 0 : 1;
                }
                out.add("metadata " + m.name() + " header " + header + " placed tensors " + placed);
            } else {
                out.add("metadata " + m.name() + " " + java.util.Arrays.toString(data));
            }
        }
        return out;
    }

    private static String tensor(Graph g, int index, boolean flashBytes) {
        if (index < 0) {
            return "absent";
        }
        Tensor t = g.subgraphs().get(0).tensors().get(index);
        if (t.name().endsWith("_command_stream") || (!flashBytes && t.name().endsWith("_flash"))) {
            return "'" + t.name() + "'";
        }
        Buffer b = g.buffers().get(t.buffer());
        String data = t.buffer() == 0 ? "arena" : b.data().isEmpty() ? "no data"
                : b.data().size() + " bytes #" + Integer.toHexString(b.data().hashCode());
        return "'" + t.name() + "' " + t.shape() + " " + t.type() + " q=" + t.quantization() + " var=" + t.variable()
                + " " + data;
    }

    /** The first line that differs, as "ours / Vela's", or null when equal. */
    static String difference(List<String> ours, List<String> theirs) {
        for (int i = 0; i < Math.max(ours.size(), theirs.size()); i++) {
            String a = i < ours.size() ? ours.get(i) : "(end)";
            String b = i < theirs.size() ? theirs.get(i) : "(end)";
            if (!a.equals(b)) {
                return "line " + i + ": npuc " + cut(a) + " / Vela " + cut(b);
            }
        }
        return null;
    }

    private static String cut(String s) {
        return s.length() > 400 ? s.substring(0, 400) + "..." : s;
    }
}
