package npuc.codegen;

import npuc.frontend.NpuBlockType;
import npuc.frontend.Shape4;

/**
 * A 4-D region of a feature map, start inclusive, end exclusive (batch, height, width, depth).
 */
public record Box(Shape4 start, Shape4 end) {
    public static Box of(Shape4 shape) {
        return new Box(Shape4.ZERO, shape);
    }

    /** The extent of the box. */
    public Shape4 size() {
        return new Shape4(end.batch() - start.batch(), end.height() - start.height(), end.width() - start.width(),
                end.depth() - start.depth());
    }

    public boolean isWithin(Box other) {
        for (int i = 0; i < 4; i++) {
            if (start.get(i) < other.start.get(i) || end.get(i) > other.end.get(i)) {
                return false;
            }
        }
        return true;
    }

    /** Whether the box ends before it starts in some dimension (Vela's Box asserts that it never does). */
    public boolean isInverted() {
        for (int i = 0; i < 4; i++) {
            if (start.get(i) > end.get(i)) {
                return true;
            }
        }
        return false;
    }

    public Box withEnd(Shape4 newEnd) {
        return new Box(start, newEnd);
    }

    /** The IFM box an OFM box reads, with the padding rows the stripe needs above and below. */
    public record IfmArea(Box box, int padTop, int padBottom) {
    }

    /**
     * The IFM region this OFM box reads: moved back by the OFM write offset and on by the IFM read offset, widened
     * by the kernel's skirt and strides, clipped to the IFM (and, for upscaled reads, divided by the scale).
     * Broadcast operands of binary elementwise operations wrap at their own extent.
     *
     * @param skirt       (top, left, bottom, right), or null when the operation has no padding
     * @param readOffset  offset of the part of the IFM read (split reads), or null
     * @param readShape   shape of that part, or null
     */
    public IfmArea toIfm(int strideY, int strideX, int[] skirt, Shape4 ifm, NpuBlockType blockType,
                         Shape4 writeOffset, int dilatedKernelHeight, Shape4 readOffset, Shape4 readShape,
                         int upscaling, boolean binaryElementwise) {
        int[] s = start.toArray();
        int[] e = end.toArray();
        int[] w = writeOffset.toArray();
        for (int i = 0; i < 4; i++) {
            s[i] -= w[i];
            e[i] -= w[i];
        }
        if (readOffset != null) {
            for (int i = 0; i < 4; i++) {
                s[i] += readOffset.get(i);
                e[i] += readOffset.get(i);
            }
        }
        if (blockType == NpuBlockType.CONVOLUTION_MXN || blockType == NpuBlockType.VECTOR_PRODUCT
                || blockType == NpuBlockType.REDUCE_SUM) {
            // These sum over the whole IFM depth for every output channel.
            if (readOffset == null) {
                s[3] = 0;
                e[3] = ifm.depth();
            } else {
                s[3] = readOffset.depth();
                e[3] = s[3] + readShape.depth();
            }
        }
        e[3] = Math.min(e[3], ifm.depth());
        e[2] = Math.min(e[2], ifm.width() * upscaling);
        int originalEndHeight = e[1];
        e[1] = Math.min(e[1], ifm.height() * upscaling);
        int padTop = 0;
        int padBottom = 0;
        if (skirt != null) {
            if (readOffset == null) {
                s[2] = Math.max(s[2] * strideX - skirt[1], 0);
                e[2] = Math.min(e[2] * strideX + skirt[3], ifm.width());
            } else {
                s[2] = Math.max(s[2] * strideX - skirt[1], readOffset.width());
                e[2] = Math.min(e[2] * strideX + skirt[3], readOffset.width() + readShape.width());
            }
            int topRemainder = numpyMod(skirt[0], upscaling);
            int totalStride = strideY * (e[1] - s[1] - 1);
            s[1] = s[1] * strideY - skirt[0] + topRemainder;
            padTop = Math.max(0, -s[1]) + topRemainder;
            s[1] = Math.max(s[1], 0);
            int upscaledHeight = ifm.height() * upscaling;
            if (e[1] * strideY + skirt[2] > upscaledHeight) {
                if (upscaling != 1 && originalEndHeight > upscaledHeight) {
                    // A transpose convolution with valid padding overhangs the upscaled IFM.
                    padBottom = originalEndHeight - upscaledHeight;
                } else {
                    int kernelStart = s[1] - padTop;
                    padBottom = Math.max(0, kernelStart + totalStride + dilatedKernelHeight - upscaledHeight);
                }
            }
            s[1] = Math.max(numpyFloorDiv(s[1], upscaling), 0);
            e[1] = e[1] * strideY + skirt[2] + numpyMod(skirt[2], upscaling);
            e[1] = Math.max(Math.min(numpyFloorDiv(e[1], upscaling), ifm.height()), 1);
        }
        if (binaryElementwise) {
            int[] shape = ifm.toArray();
            s = wrap(s, shape);
            int[] last = new int[4];
            for (int i = 0; i < 4; i++) {
                last[i] = e[i] - 1;
            }
            e = wrap(last, shape);
            for (int i = 0; i < 4; i++) {
                e[i] += 1;
            }
        }
        return new IfmArea(new Box(new Shape4(s[0], s[1], s[2], s[3]), new Shape4(e[0], e[1], e[2], e[3])), padTop,
                padBottom);
    }

    /**
     * Python's {@code %} on Vela's NumPy integers: a zero divisor (the upscaling of a transpose convolution that
     * reads part of a larger IFM, whose OFM is shorter than that IFM) gives 0, where Vela only warns.
     */
    private static int numpyMod(int a, int b) {
        return b == 0 ? 0 : Math.floorMod(a, b);
    }

    /** Python's {@code //} on NumPy integers: 0 for a zero divisor, as {@link #numpyMod}. */
    private static int numpyFloorDiv(int a, int b) {
        return b == 0 ? 0 : Math.floorDiv(a, b);
    }

    /** Coordinates past a broadcast operand's extent fold back into it. */
    private static int[] wrap(int[] c, int[] shape) {
        int[] out = new int[4];
        for (int i = 0; i < 4; i++) {
            if (c[i] != 0) {
                out[i] = c[i] >= shape[i] && shape[i] != 0 ? c[i] % shape[i] : c[i];
            }
        }
        return out;
    }
}
