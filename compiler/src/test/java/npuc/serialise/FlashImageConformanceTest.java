package npuc.serialise;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

import npuc.CompileResult;
import npuc.graph.Graph;
import npuc.graph.Operator;

/**
 * Builds the NPU-constant area of every row the reference completed and compares it with the flash tensor
 * of the reference's optimised model (the second input of its ethos-u operators): prints, per row, whether
 * they are equal or the first differing byte and the constant it falls in, and asserts how many rows are equal.
 */
class FlashImageConformanceTest {
    /** Rows whose flash bytes equal the reference's: raised as the layout improves, never above what it reaches. */
    private static final int EQUAL_FLOOR = 53;

    @Test
    void flashImagesAgainstVela() throws Exception {
        List<GoldenRows> rows = GoldenRows.all();
        assumeTrue(!rows.isEmpty(), "skipped: no reference optimised models");
        int equal = 0;
        int compared = 0;
        StringBuilder table = new StringBuilder();
        for (GoldenRows row : rows) {
            Graph golden = row.readOptimised();
            List<Operator> npu = GoldenRows.npuOperators(golden);
            CompileResult r = row.compile();
            NpuConstantLayout layout = NpuConstantLayout.of(r.frontEnd(), r.schedule());
            byte[] ours = layout.image();
            if (npu.isEmpty()) {
                table.append(String.format(Locale.ROOT, "%-100s no NPU operator (npuc: %d constant bytes)%n",
                        row.label(), ours.length));
                if (ours.length == 0) {
                    equal++;
                }
                compared++;
                continue;
            }
            compared++;
            byte[] theirs = GoldenRows.inputBytes(golden, npu.get(0), 1);
            int diff = firstDifference(ours, theirs);
            if (diff < 0) {
                equal++;
                table.append(String.format(Locale.ROOT, "%-100s equal (%d bytes)%n", row.label(), ours.length));
            } else {
                NpuConstant at = layout.constantAt(diff);
                table.append(String.format(Locale.ROOT, "%-100s differs at %d (npuc %d bytes, Vela %d) in %s%n",
                        row.label(), diff, ours.length, theirs.length, at));
            }
        }
        table.append(String.format(Locale.ROOT, "flash images equal to Vela's: %d of %d%n", equal, compared));
        System.out.println(table);
        assertTrue(equal >= EQUAL_FLOOR, table::toString);
    }

    /** The first offset where the two differ (a length difference counts at the shorter length), or -1. */
    static int firstDifference(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        for (int i = 0; i < n; i++) {
            if (a[i] != b[i]) {
                return i;
            }
        }
        return a.length == b.length ? -1 : n;
    }
}
