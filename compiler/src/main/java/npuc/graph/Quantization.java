package npuc.graph;

import java.util.List;

/**
 * Quantization parameters: per tensor (one scale and zero point) or per axis (one per channel of
 * {@code quantizedDimension}). Empty lists mean the field is absent.
 */
public record Quantization(List<Float> min, List<Float> max, List<Float> scale, List<Long> zeroPoint,
                           int quantizedDimension) {
    public Quantization {
        min = List.copyOf(min);
        max = List.copyOf(max);
        scale = List.copyOf(scale);
        zeroPoint = List.copyOf(zeroPoint);
    }

    public static Quantization perTensor(float scale, long zeroPoint) {
        return new Quantization(List.of(), List.of(), List.of(scale), List.of(zeroPoint), 0);
    }

    public boolean isPerAxis() {
        return scale.size() > 1;
    }
}
