package npuc.perf;

import npuc.arch.MemoryArea;
import npuc.frontend.Shape4;
import npuc.frontend.TensorFormat;

/** How an operation reads or writes one feature map: the shape it touches, where it lives, its width and layout. */
public record FeatureMapAccess(Shape4 shape, MemoryArea area, int bits, TensorFormat format) {
    public FeatureMapAccess withShape(Shape4 s) {
        return new FeatureMapAccess(s, area, bits, format);
    }

    public FeatureMapAccess withArea(MemoryArea a) {
        return new FeatureMapAccess(shape, a, bits, format);
    }
}
