package npuc.frontend;

import java.util.List;

/**
 * Quantization of a front-end tensor. {@code scales} empty means "no scale" (Vela's scale None, as in the
 * int32 intermediates of softmax); {@code quantMin}/{@code quantMax} are the storage type's range.
 */
public record Quant(List<Double> scales, List<Long> zeroPoints, long quantMin, long quantMax) {
    public Quant {
        scales = List.copyOf(scales);
        zeroPoints = List.copyOf(zeroPoints);
    }

    public static Quant of(double scale, long zeroPoint, long quantMin, long quantMax) {
        return new Quant(List.of(scale), List.of(zeroPoint), quantMin, quantMax);
    }

    public double scale() {
        return scales.isEmpty() ? Double.NaN : scales.get(0);
    }

    public long zeroPoint() {
        return zeroPoints.isEmpty() ? 0 : zeroPoints.get(0);
    }

    public Quant withScale(double scale) {
        return new Quant(List.of(scale), zeroPoints, quantMin, quantMax);
    }

    public Quant withoutScale() {
        return new Quant(List.of(), zeroPoints, quantMin, quantMax);
    }

    public Quant withZeroPoint(long zp) {
        return new Quant(scales, List.of(zp), quantMin, quantMax);
    }

    /** Same scales and zero points; the range does not take part, as in Vela's equality of scaling. */
    public boolean sameScaling(Quant o) {
        return o != null && scales.equals(o.scales) && zeroPoints.equals(o.zeroPoints);
    }
}
