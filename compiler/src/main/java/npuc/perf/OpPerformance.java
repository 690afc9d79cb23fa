package npuc.perf;

import java.util.Arrays;

/** Cycles (per {@link CycleKind}), bytes moved and MACs of one scheduled operation. */
public record OpPerformance(double[] cycles, Bandwidths bandwidths, long macs) {
    public OpPerformance {
        cycles = cycles.clone();
        if (cycles.length != CycleKind.values().length) {
            throw new IllegalArgumentException("one figure per cycle kind expected");
        }
    }

    public double cycles(CycleKind k) {
        return cycles[k.ordinal()];
    }

    @Override
    public double[] cycles() {
        return cycles.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OpPerformance p && Arrays.equals(cycles, p.cycles) && bandwidths.equals(p.bandwidths)
                && macs == p.macs;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(cycles) * 31 + Long.hashCode(macs);
    }
}
