package npuc.sweep;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import npuc.report.SummaryColumn;

/**
 * {@code sweep.json}: what {@code sweep.csv} holds, with the figures as JSON numbers (Vela's text columns
 * as strings) under each point's {@code metrics}.
 */
public final class SweepJson {
    public static final String FILE_NAME = "sweep.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private SweepJson() {
    }

    public static void write(Path file, String npucVersion, List<PointResult> results) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("npuc_version", npucVersion);
        List<Map<String, Object>> points = new ArrayList<>();
        for (PointResult r : results) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put(SweepCsv.MODEL, r.key().model());
            p.put(SweepCsv.SHA256, r.modelSha256());
            p.put(SweepCsv.TARGET, r.key().target());
            p.put(SweepCsv.ARENA_SIZE, r.key().arenaSize());
            p.put(SweepCsv.STRATEGY, r.key().strategy());
            p.put(SweepCsv.OPTIONS, r.options());
            p.put(SweepCsv.STATUS, r.status().name());
            p.put(SweepCsv.ERROR, r.error());
            p.put(SweepCsv.SIGNATURE, r.errorSignature());
            Map<String, Object> metrics = new LinkedHashMap<>();
            r.metrics().forEach((name, value) -> metrics.put(name, typed(name, value)));
            p.put("metrics", metrics);
            p.put(SweepCsv.COMPILE_MS, r.compileMillis());
            p.put(SweepCsv.VERSION, r.npucVersion());
            points.add(p);
        }
        root.put("points", points);
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
    }

    /** Vela's text columns stay text; every other figure is a number where it reads as one. */
    private static Object typed(String name, String value) {
        boolean text = SummaryColumn.ALL.stream().anyMatch(c -> c.name().equals(name) && c.kind() == SummaryColumn.Kind.TEXT);
        if (text) {
            return value;
        }
        try {
            return value.contains(".") || value.contains("e") || value.contains("E") ? (Object) Double.parseDouble(value)
                : (Object) Long.parseLong(value);
        } catch (NumberFormatException e) {
            return value;
        }
    }
}
