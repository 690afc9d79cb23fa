package npuc.diff;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;

/**
 * Vela's per-layer tables of one point on two sides, compared operator by operator: which operators'
 * cycles moved beyond the cycles threshold, and which exist on one side only.
 */
public final class LayerDiff {
    /** Column positions in Vela's per-layer CSV (two columns share the name Network%, so by position). */
    private static final int TFLITE_OPERATOR = 0;
    private static final int NNG_OPERATOR = 1;
    private static final int OP_CYCLES = 4;
    private static final int NAME = 14;

    private static final CsvMapper CSV = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY);

    /**
     * An operator whose cycles changed; a side's cycles are empty where it lacks the operator.
     *
     * @param operator {@code <subgraph>/<name>} with its TFLite and NPU operator types
     */
    public record LayerChange(String operator, Optional<Double> baseline, Optional<Double> current) {
        @Override
        public String toString() {
            if (baseline.isEmpty()) {
                return operator + ": only in current (" + PointDiff.number(current.get()) + " cycles)";
            }
            if (current.isEmpty()) {
                return operator + ": only in baseline (" + PointDiff.number(baseline.get()) + " cycles)";
            }
            double b = baseline.get();
            double c = current.get();
            String relative = b == 0 ? "" : String.format(java.util.Locale.ROOT, " (%+.2f%%)", 100 * (c - b) / b);
            return operator + ": " + PointDiff.number(b) + " -> " + PointDiff.number(c) + " cycles" + relative;
        }
    }

    private LayerDiff() {
    }

    /** The operators whose cycles differ beyond the threshold, in the current table's order. */
    public static List<LayerChange> compare(Path baseline, Path current, Thresholds.Threshold cycles) throws IOException {
        Map<String, Double> before = cycles(baseline);
        Map<String, Double> after = cycles(current);
        List<LayerChange> changes = new ArrayList<>();
        after.forEach((op, c) -> {
            Double b = before.get(op);
            if (b == null) {
                changes.add(new LayerChange(op, Optional.empty(), Optional.of(c)));
            } else if (cycles.exceededBy(b, c)) {
                changes.add(new LayerChange(op, Optional.of(b), Optional.of(c)));
            }
        });
        before.forEach((op, b) -> {
            if (!after.containsKey(op)) {
                changes.add(new LayerChange(op, Optional.of(b), Optional.empty()));
            }
        });
        return changes;
    }

    /** Op cycles by operator; a heading row starts the next NPU subgraph. */
    static Map<String, Double> cycles(Path table) throws IOException {
        Map<String, Double> cycles = new LinkedHashMap<>();
        int subgraph = -1;
        try (Reader in = Files.newBufferedReader(table);
             MappingIterator<String[]> rows = CSV.readerFor(String[].class).readValues(in)) {
            while (rows.hasNext()) {
                String[] row = rows.next();
                if (row.length <= NAME) {
                    continue;
                }
                if (row[TFLITE_OPERATOR].endsWith("_operator")) {
                    subgraph++;
                    continue;
                }
                String base = "sg" + Math.max(subgraph, 0) + "/" + row[NAME] + " " + row[TFLITE_OPERATOR] + "/"
                    + row[NNG_OPERATOR];
                // An operator name may repeat (a lowering's parts): number the repeats.
                String name = base;
                for (int n = 2; cycles.containsKey(name); n++) {
                    name = base + " #" + n;
                }
                try {
                    cycles.put(name, Double.parseDouble(row[OP_CYCLES]));
                } catch (NumberFormatException e) {
                    throw new IOException(table + ": Op Cycles of " + row[NAME] + " is not a number: " + row[OP_CYCLES], e);
                }
            }
        }
        return cycles;
    }
}
