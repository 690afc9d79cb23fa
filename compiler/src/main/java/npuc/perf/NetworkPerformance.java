package npuc.perf;

import java.util.List;

import npuc.arch.MemoryArea;

/**
 * Network totals: sums of the per-operation figures, as Vela adds them up (the total cycles are the sum of
 * each operation's maximum, not the maximum of the sums).
 */
public record NetworkPerformance(double[] cycles, Bandwidths bandwidths, long macs) {
    public NetworkPerformance {
        cycles = cycles.clone();
    }

    public static NetworkPerformance sum(List<OpPerformance> ops) {
        double[] c = new double[CycleKind.values().length];
        Bandwidths b = Bandwidths.NONE;
        long macs = 0;
        for (OpPerformance p : ops) {
            for (CycleKind k : CycleKind.values()) {
                c[k.ordinal()] += p.cycles(k);
            }
            b = b.plus(p.bandwidths());
            macs += p.macs();
        }
        return new NetworkPerformance(c, b, macs);
    }

    public double cycles(CycleKind k) {
        return cycles[k.ordinal()];
    }

    @Override
    public double[] cycles() {
        return cycles.clone();
    }

    public double bytes(MemoryArea a, TrafficPurpose p, Direction d) {
        return bandwidths.get(a, p, d);
    }

    /** Seconds per batch at the given core clock (Hz). */
    public double inferenceTime(double coreClock) {
        return cycles(CycleKind.TOTAL) / coreClock;
    }

    /** Batches per second; NaN for a network without NPU cycles, as Vela reports it. */
    public double inferencesPerSecond(double coreClock) {
        double t = inferenceTime(coreClock);
        return t > 0 ? 1 / t : Double.NaN;
    }
}
