package npuc.serialise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

import npuc.CompileResult;
import npuc.graph.Buffer;
import npuc.graph.Graph;
import npuc.graph.Metadata;
import npuc.graph.Operator;
import npuc.graph.Subgraph;
import npuc.graph.Tensor;
import npuc.tflite.TfliteReader;

/**
 * Writes the optimised model of every row the reference completed, as {@code compile} writes it, and compares it
 * with the reference's: first the structure (operator codes, operators with their tensors: name, shape, type,
 * quantization, constant contents, custom options; subgraph inputs and outputs; metadata, with which tensors the
 * offline allocation places), then everything, including the command streams, the flash tensor and every arena
 * offset. Also checks that npuc reads every written model back unchanged.
 */
class OptimisedModelConformanceTest {
    /** Rows whose structure matches: raised as the writer improves, never above what it reaches. */
    private static final int STRUCTURE_FLOOR = 53;
    /** Rows equal in everything, command streams, flash bytes and arena offsets included. */
    private static final int EQUAL_FLOOR = 53;

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
            Graph ours = r.optimisedGraph(row.readInput());
            byte[] written = r.optimisedModel(row.readInput());
            assertEquals(ours, TfliteReader.read(written), row.label() + ": the written model reads back unchanged");
            String diff = difference(describe(ours, false), describe(golden, false));
            if (diff == null) {
                equal++;
                String flashDiff = difference(describe(ours, true), describe(golden, true));
                if (flashDiff == null) {
                    withFlash++;
                }
                table.append(String.format(Locale.ROOT, "%-100s structure equal, %s%n", row.label(),
                        flashDiff == null ? "everything equal" : "differs at " + flashDiff));
            } else {
                table.append(String.format(Locale.ROOT, "%-100s %s%n", row.label(), diff));
            }
        }
        table.append(String.format(Locale.ROOT, "optimised models structurally equal to Vela's: %d of %d; "
                + "equal in everything (command streams, flash, arena offsets): %d%n", equal, rows.size(), withFlash));
        System.out.println(table);
        assertTrue(equal >= STRUCTURE_FLOOR, table::toString);
        assertTrue(withFlash >= EQUAL_FLOOR, table::toString);
    }

    /**
     * The model as lines to compare: tensors are named by their contents rather than their index, so tensors
     * with equal names (whose order Vela leaves to chance) compare equal wherever they sit.
     */
    static List<String> describe(Graph g, boolean everything) {
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
            op.inputs().forEach(i -> out.add("  in  " + tensor(g, i, everything)));
            op.outputs().forEach(i -> out.add("  out " + tensor(g, i, everything)));
            op.intermediates().forEach(i -> out.add("  mid " + tensor(g, i, everything)));
        }
        sg.inputs().forEach(i -> out.add("input " + tensor(g, i, everything)));
        sg.outputs().forEach(i -> out.add("output " + tensor(g, i, everything)));
        for (Metadata m : g.metadata()) {
            byte[] data = g.buffers().get(m.buffer()).data().toArray();
            if (m.name().equals("OfflineMemoryAllocation")) {
                // Indexed by tensor: compared per tensor name, since tensors of equal names may come in any order.
                ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
                List<Integer> header = List.of(b.getInt(), b.getInt(), b.getInt());
                List<String> placed = new ArrayList<>();
                for (int i = 0; b.hasRemaining(); i++) {
                    int offset = b.getInt();
                    if (offset != -1) {
                        placed.add(sg.tensors().get(i).name() + (everything ? "@" + offset : ""));
                    }
                }
                placed.sort(null);
                out.add("metadata " + m.name() + " header " + header + " placed " + placed);
            } else {
                out.add("metadata " + m.name() + " " + java.util.Arrays.toString(data));
            }
        }
        return out;
    }

    private static String tensor(Graph g, int index, boolean everything) {
        if (index < 0) {
            return "absent";
        }
        Tensor t = g.subgraphs().get(0).tensors().get(index);
        boolean made = t.name().endsWith("_command_stream") || t.name().endsWith("_flash")
                || t.name().endsWith("_scratch") || t.name().endsWith("_scratch_fast");
        if (!everything && made) {
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
