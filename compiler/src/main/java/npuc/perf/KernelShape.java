package npuc.perf;

import npuc.frontend.FrontEndResult.Kernel;

/** Kernel arithmetic the block search and the cost model share. */
final class KernelShape {
    private KernelShape() {
    }

    /** Width covered by the dilated kernel. */
    static int areaWidth(Kernel k) {
        return (k.width() - 1) * k.dilationX() + 1;
    }

    static int areaHeight(Kernel k) {
        return (k.height() - 1) * k.dilationY() + 1;
    }

    /** IFM extent needed along one axis to produce {@code value} OFM elements. */
    static int requiredSize(int value, int stride, int border, Resampling r) {
        return (int) Math.ceil(((double) (value - 1) * stride + border + r.nearestExtra()) / r.upscale());
    }
}
