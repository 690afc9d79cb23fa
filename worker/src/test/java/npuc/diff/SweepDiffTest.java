package npuc.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import npuc.sweep.PointKey;
import npuc.sweep.PointResult;
import npuc.sweep.PointStatus;
import org.junit.jupiter.api.Test;

class SweepDiffTest {
    private static final String TARGET = "ethos-u55-128:Ethos_U55_High_End_Embedded:Shared_Sram";

    private static PointResult ok(String model, String sha, long arena, double cycles, double sramKib, int npuOps) {
        Map<String, String> metrics = new LinkedHashMap<>();
        metrics.put("cpu_operators", "1");
        metrics.put("npu_operators", Integer.toString(npuOps));
        metrics.put("cycles_total", Double.toString(cycles));
        metrics.put("inference_time", Double.toString(cycles / 500e6));
        metrics.put("sram_memory_used", Double.toString(sramKib));
        metrics.put("dram_memory_used", "0.0");
        return new PointResult(new PointKey(model, TARGET, "Performance", arena), sha, "", PointStatus.OK, "", "",
            metrics, 10, "test");
    }

    private static PointResult failed(String model, String sha, long arena, PointStatus status, String error) {
        return new PointResult(new PointKey(model, TARGET, "Performance", arena), sha, "", status, error, "", Map.of(), 10,
            "test");
    }

    private static SweepDiff diff(List<PointResult> baseline, List<PointResult> current, Thresholds thresholds)
            throws Exception {
        return SweepDiff.compare(new SweepDiff.Side(Path.of("a"), baseline, Path.of("a")),
            new SweepDiff.Side(Path.of("b"), current, Path.of("b")), thresholds, false);
    }

    @Test
    void identicalSweepsHaveNoChange() throws Exception {
        List<PointResult> sweep = List.of(ok("m", "aa", 65536, 1000, 50, 10), failed("m", "aa", 1024,
            PointStatus.DOES_NOT_FIT, "m does not fit: it needs 4096 bytes"));

        SweepDiff d = diff(sweep, sweep, Thresholds.none());

        assertFalse(d.hasRegressions());
        assertEquals(2, d.of(PointDiff.Kind.UNCHANGED).size());
        assertEquals("2 points matched: 0 regressions, 0 improvements, 2 unchanged; 0 only in baseline, 0 only in current",
            d.summary());
    }

    @Test
    void figuresBeyondTheirThresholdAreRegressionsOrImprovementsByDirection() throws Exception {
        Thresholds fivePercent = Thresholds.of(Map.of("cycles", "5%", "time", "5%", "sram", "2"));
        List<PointResult> base = List.of(ok("a", "1", 1, 1000, 50, 10), ok("b", "2", 1, 1000, 50, 10),
            ok("c", "3", 1, 1000, 50, 10), ok("d", "4", 1, 1000, 50, 10), ok("e", "5", 1, 1000, 50, 10));
        List<PointResult> now = List.of(ok("a", "1", 1, 1030, 51.5, 10), ok("b", "2", 1, 1060, 50, 10),
            ok("c", "3", 1, 900, 50, 10), ok("d", "4", 1, 1000, 53, 10), ok("e", "5", 1, 1000, 50, 9));

        SweepDiff d = diff(base, now, fivePercent);

        Map<String, PointDiff> byModel = new LinkedHashMap<>();
        d.points().forEach(p -> byModel.put(p.key().model(), p));
        assertEquals(PointDiff.Kind.UNCHANGED, byModel.get("a").kind(), "within 5% and 2 KiB");
        assertEquals(PointDiff.Kind.REGRESSION, byModel.get("b").kind());
        assertTrue(byModel.get("b").summary().startsWith("cycles +6.00% (1000 -> 1060 cycles)"), byModel.get("b").summary());
        assertEquals(PointDiff.Kind.IMPROVEMENT, byModel.get("c").kind());
        assertEquals(PointDiff.Kind.REGRESSION, byModel.get("d").kind(), "3 KiB more SRAM");
        assertEquals(PointDiff.Kind.REGRESSION, byModel.get("e").kind(), "an operator fewer on the NPU");
        assertTrue(d.hasRegressions());
    }

    @Test
    void aNewFailureIsAlwaysARegressionAndAFixAnImprovement() throws Exception {
        Thresholds lenient = Thresholds.of(Map.of("cycles", "100%"));
        List<PointResult> base = List.of(ok("fits", "1", 1, 1000, 50, 10), failed("broke", "2", 1, PointStatus.ERROR,
            "internal compiler error: x"), failed("small", "3", 1, PointStatus.DOES_NOT_FIT, "does not fit"));
        List<PointResult> now = List.of(failed("fits", "1", 1, PointStatus.DOES_NOT_FIT, "fits does not fit: it needs 9"),
            ok("broke", "2", 1, 1000, 50, 10), failed("small", "3", 1, PointStatus.ERROR, "internal compiler error: y"));

        SweepDiff d = diff(base, now, lenient);

        assertEquals(List.of("fits", "small"), d.of(PointDiff.Kind.REGRESSION).stream().map(p -> p.key().model()).toList());
        assertEquals("OK -> DOES_NOT_FIT: fits does not fit: it needs 9", d.of(PointDiff.Kind.REGRESSION).get(0).summary());
        assertEquals(List.of("broke"), d.of(PointDiff.Kind.IMPROVEMENT).stream().map(p -> p.key().model()).toList());
    }

    @Test
    void pointsMatchByModelHashFirstThenByNameAndOneSidedPointsAreListed() throws Exception {
        List<PointResult> base = List.of(ok("old_name", "feed", 1, 1000, 50, 10), ok("same", "0001", 1, 1000, 50, 10),
            ok("gone", "0002", 1, 1000, 50, 10));
        List<PointResult> now = List.of(ok("new_name", "feed", 1, 1000, 50, 10), ok("same", "0003", 1, 1200, 50, 10),
            ok("added", "0004", 1, 1000, 50, 10));

        SweepDiff d = diff(base, now, Thresholds.none());

        assertEquals(PointDiff.Kind.UNCHANGED, d.points().get(0).kind(), "renamed, same content");
        assertEquals("new_name", d.points().get(0).key().model());
        assertEquals(PointDiff.Kind.REGRESSION, d.points().get(1).kind(), "changed content, matched by name");
        assertEquals(List.of("added"), d.of(PointDiff.Kind.ONLY_IN_CURRENT).stream().map(p -> p.key().model()).toList());
        assertEquals(List.of("gone"), d.of(PointDiff.Kind.ONLY_IN_BASELINE).stream().map(p -> p.key().model()).toList());
    }

    @Test
    void thresholdsSayWhatIsWrongWithThem() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Thresholds.of(Map.of("speed", "1%")))
            .getMessage().contains("cycles, time, sram, dram, npu_ops, cpu_ops"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Thresholds.of(Map.of("cycles", "lots")))
            .getMessage().contains("not a number"));
        assertEquals("cycles=1%, time=0, sram=0.5, dram=0, npu_ops=0, cpu_ops=0",
            Thresholds.of(Map.of("cycles", "1%", "sram", "0.5")).toString());
    }
}
