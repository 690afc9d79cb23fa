package npuc.sweep;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import npuc.worker.PipelineCompiler;

/**
 * {@code report.html}: one self-contained page (it opens from disk with no network) to read a sweep by. Per
 * model × target a chart of inference time and SRAM used against arena size on a log scale, one curve per
 * strategy, with the sizes that do not fit, the smallest size that fits and the knee marked; a sortable
 * table of those headline figures; the failures grouped by signature. The charts are Apache ECharts,
 * inlined from its Maven artifact; the page's data is the sweep's, as JSON in the page.
 */
public final class SweepReport {
    public static final String FILE_NAME = "report.html";

    /** ECharts as its webjar serves it; the version is the one the build declares. */
    static final String ECHARTS = "META-INF/resources/webjars/echarts/" + "5.3.1" + "/dist/echarts.min.js";
    private static final String TEMPLATE = "npuc/sweep/report.html";
    private static final String SCRIPT = "npuc/sweep/report.js";
    private static final String STYLE = "npuc/sweep/report.css";

    private static final ObjectMapper JSON = new ObjectMapper();

    private SweepReport() {
    }

    /** Writes the report of these results. */
    public static void write(Path file, String title, String npucVersion, List<PointResult> results) throws IOException {
        Files.writeString(file, html(title, npucVersion, results));
    }

    static String html(String title, String npucVersion, List<PointResult> results) throws IOException {
        String page = resource(TEMPLATE);
        // Filled in one pass, so that nothing inserted is read for placeholders again.
        Map<String, String> fill = Map.of(
            "{{TITLE}}", escape(title),
            "{{STYLE}}", resource(STYLE),
            "{{DATA}}", scriptSafe(data(title, npucVersion, results)),
            "{{ECHARTS}}", scriptSafe(resource(ECHARTS)),
            "{{SCRIPT}}", scriptSafe(resource(SCRIPT)));
        StringBuilder out = new StringBuilder(page.length() + 2_000_000);
        int at = 0;
        while (true) {
            int open = page.indexOf("{{", at);
            if (open < 0) {
                break;
            }
            int close = page.indexOf("}}", open) + 2;
            String value = fill.get(page.substring(open, close));
            if (value == null) {
                throw new IllegalStateException("report template has an unknown placeholder " + page.substring(open, close));
            }
            out.append(page, at, open).append(value);
            at = close;
        }
        return out.append(page.substring(at)).toString();
    }

    /** The page's data: the totals, the panels with their curves, the failures by signature. */
    static String data(String title, String npucVersion, List<PointResult> results) throws JsonProcessingException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("title", title);
        root.put("npuc_version", npucVersion);
        Map<String, Long> totals = new LinkedHashMap<>();
        totals.put("points", (long) results.size());
        for (PointStatus s : PointStatus.values()) {
            totals.put(s.name(), results.stream().filter(r -> r.status() == s).count());
        }
        root.put("totals", totals);
        Map<List<String>, Map<String, Object>> panels = new LinkedHashMap<>();
        for (Curve curve : Curve.of(results)) {
            Map<String, Object> panel = panels.computeIfAbsent(List.of(curve.model(), curve.target()), k -> {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("id", "panel-" + panels.size());
                p.put("model", curve.model());
                p.put("target", curve.target());
                p.put("curves", new ArrayList<Map<String, Object>>());
                return p;
            });
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> curves = (List<Map<String, Object>>) panel.get("curves");
            curves.add(curve(curve));
        }
        root.put("panels", List.copyOf(panels.values()));
        root.put("failures", failures(results));
        return JSON.writeValueAsString(root);
    }

    private static Map<String, Object> curve(Curve curve) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("strategy", curve.strategy());
        List<Map<String, Object>> points = new ArrayList<>();
        for (PointResult r : curve.points()) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("arena_kib", r.key().arenaSize() / 1024.0);
            p.put("status", r.status().name());
            p.put("time_ms", millis(r.metric(Curve.INFERENCE_TIME)));
            p.put("sram_kib", number(r.metric(Curve.SRAM_USED)));
            p.put("dram_kib", number(r.metric("dram_memory_used")));
            p.put("cycles", number(r.metric("cycles_total")));
            p.put("npu_ops", number(r.metric(PipelineCompiler.NPU_OPERATORS)));
            p.put("cpu_ops", number(r.metric(PipelineCompiler.CPU_OPERATORS)));
            p.put("error", r.error());
            points.add(p);
        }
        c.put("points", points);
        c.put("ok", curve.count(PointStatus.OK));
        c.put("does_not_fit", curve.count(PointStatus.DOES_NOT_FIT));
        c.put("failed", curve.count(PointStatus.FAILED) + curve.count(PointStatus.ERROR));
        c.put("smallest_fit_kib", curve.smallestFit().isPresent() ? curve.smallestFit().getAsLong() / 1024.0 : null);
        c.put("best_time_ms", millis(curve.bestTime()));
        curve.knee().ifPresentOrElse(knee -> {
            c.put("knee_kib", knee.key().arenaSize() / 1024.0);
            c.put("knee_time_ms", millis(knee.metric(Curve.INFERENCE_TIME)));
            c.put("knee_sram_kib", number(knee.metric(Curve.SRAM_USED)));
        }, () -> {
            c.put("knee_kib", null);
            c.put("knee_time_ms", null);
            c.put("knee_sram_kib", null);
        });
        return c;
    }

    /**
     * Points that neither compiled nor cleanly did not fit, grouped by the compiler's signature where it
     * gives one and by the error's text where it does not.
     */
    private static List<Map<String, Object>> failures(List<PointResult> results) {
        Map<String, Map<String, Object>> groups = new LinkedHashMap<>();
        for (PointResult r : results) {
            if (r.status().isClean()) {
                continue;
            }
            String group = r.errorSignature().isEmpty() ? r.error() : r.errorSignature();
            Map<String, Object> g = groups.computeIfAbsent(r.status() + "\n" + group, k -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("status", r.status().name());
                m.put("signature", r.errorSignature());
                m.put("error", r.error());
                m.put("points", new ArrayList<String>());
                return m;
            });
            @SuppressWarnings("unchecked")
            List<String> points = (List<String>) g.get("points");
            points.add(r.key().toString());
        }
        List<Map<String, Object>> list = new ArrayList<>(groups.values());
        list.sort((a, b) -> ((List<?>) b.get("points")).size() - ((List<?>) a.get("points")).size());
        return list;
    }

    private static Double millis(OptionalDouble seconds) {
        return seconds.isPresent() ? seconds.getAsDouble() * 1000 : null;
    }

    private static Double number(OptionalDouble v) {
        return v.isPresent() ? v.getAsDouble() : null;
    }

    static String resource(String name) throws IOException {
        try (InputStream in = SweepReport.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("the report's resource " + name + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Text that may stand inside a script element: no sequence there can end the element early. */
    static String scriptSafe(String text) {
        // In a JavaScript string, regular expression or JSON string alike, "<\/" reads as "</".
        return text.replaceAll("(?i)</(script)", "<\\\\/$1");
    }

    /** Text as HTML text or attribute value. */
    public static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
