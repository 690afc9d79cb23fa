package npuc.perf;

import java.util.Arrays;

import npuc.arch.MemoryArea;

/**
 * Bytes moved per memory area, purpose and direction. Immutable; {@link Builder} accumulates. Values are
 * doubles because the weight traffic is an estimate scaled by the compression ratio.
 */
public final class Bandwidths {
    private static final int AREAS = MemoryArea.values().length;
    private static final int PURPOSES = TrafficPurpose.values().length;
    private static final int DIRECTIONS = Direction.values().length;
    public static final Bandwidths NONE = new Builder().build();

    private final double[] bytes;

    private Bandwidths(double[] bytes) {
        this.bytes = bytes;
    }

    private static int index(MemoryArea a, TrafficPurpose p, Direction d) {
        return (a.ordinal() * PURPOSES + p.ordinal()) * DIRECTIONS + d.ordinal();
    }

    public double get(MemoryArea a, TrafficPurpose p, Direction d) {
        return bytes[index(a, p, d)];
    }

    /** All bytes of an area, every purpose and direction, summed in Vela's order (area, purpose, direction). */
    public double total(MemoryArea a) {
        double sum = 0;
        for (TrafficPurpose p : TrafficPurpose.values()) {
            for (Direction d : Direction.values()) {
                sum += get(a, p, d);
            }
        }
        return sum;
    }

    public Bandwidths plus(Bandwidths o) {
        double[] sum = bytes.clone();
        for (int i = 0; i < sum.length; i++) {
            sum[i] += o.bytes[i];
        }
        return new Bandwidths(sum);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bandwidths b && Arrays.equals(bytes, b.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    public static final class Builder {
        private final double[] bytes = new double[AREAS * PURPOSES * DIRECTIONS];

        public Builder add(MemoryArea a, TrafficPurpose p, Direction d, double v) {
            bytes[index(a, p, d)] += v;
            return this;
        }

        public Bandwidths build() {
            return new Bandwidths(bytes.clone());
        }
    }
}
