package npuc.report;

import npuc.arch.MemoryArea;
import npuc.arch.Target;
import npuc.perf.CycleKind;
import npuc.perf.Direction;
import npuc.perf.NetworkPerformance;
import npuc.perf.TrafficPurpose;
import npuc.schedule.NetworkSchedule;

/** The summary columns the scheduler and performance model fill. */
public final class PerformanceColumns {
    private PerformanceColumns() {
    }

    public static void put(NetworkSummary.Builder b, Target target, NetworkSchedule schedule) {
        NetworkPerformance p = schedule.performance();
        double perSecond = p.inferencesPerSecond(target.coreClock());
        b.put("inference_time", p.inferenceTime(target.coreClock()));
        b.put("inferences_per_second", perSecond);
        b.put("total_npu_encoded_weights", schedule.encodedWeightBytes());
        for (MemoryArea a : MemoryArea.PORT_AREAS) {
            String n = a.identifierName();
            b.put(n + "_feature_map_read_bytes", p.bytes(a, TrafficPurpose.FEATURE_MAP, Direction.READ));
            b.put(n + "_feature_map_write_bytes", p.bytes(a, TrafficPurpose.FEATURE_MAP, Direction.WRITE));
            b.put(n + "_weight_read_bytes", p.bytes(a, TrafficPurpose.WEIGHTS, Direction.READ));
            b.put(n + "_weight_write_bytes", p.bytes(a, TrafficPurpose.WEIGHTS, Direction.WRITE));
            b.put(n + "_total_bytes", p.bandwidths().total(a));
        }
        b.put("nn_tops", p.macs() * 2 * perSecond / 1e12);
        for (CycleKind k : CycleKind.values()) {
            b.put("cycles_" + SummaryColumn.CYCLE_KINDS.get(k.ordinal()), p.cycles(k));
        }
    }
}
