package npuc.frontend;

/** Hardware padding of convolutions and pools: the amounts on each side and the skirt a stripe must read. */
final class Padding2D {
    private Padding2D() {
    }

    static int neededTotalPadding(int inputSize, int stride, int filterSize) {
        if (inputSize % stride == 0) {
            return Math.max(filterSize - stride, 0);
        }
        return Math.max(filterSize - (inputSize % stride), 0);
    }

    /** {padding (top, left, bottom, right), skirt (top, left, bottom, right)} for {@code op} reading {@code ifm}. */
    static int[][] paddingAndSkirt(GraphOp op, Shape4 ifm) {
        if (op.padding == PaddingKind.TILE) {
            return new int[][]{op.explicitPadding.clone(), op.explicitPadding.clone()};
        }
        int kw = op.dilationW * (op.kernelWidth() - 1) + 1;
        int kh = op.dilationH * (op.kernelHeight() - 1) + 1;
        int ypad = neededTotalPadding(ifm.height(), op.strideH, kh);
        int xpad = neededTotalPadding(ifm.width(), op.strideW, kw);
        int top = 0;
        int left = 0;
        int bottom = 0;
        int right = 0;
        if (op.padding == PaddingKind.SAME) {
            left = xpad / 2;
            right = (xpad + 1) / 2;
            top = ypad / 2;
            bottom = (ypad + 1) / 2;
        } else if (op.padding == PaddingKind.EXPLICIT && op.explicitPadding != null) {
            top = op.explicitPadding[0];
            left = op.explicitPadding[1];
            bottom = explicitAfter(ypad, op.strideH, top, op.explicitPadding[2]);
            right = explicitAfter(xpad, op.strideW, left, op.explicitPadding[3]);
        }
        return new int[][]{{top, left, bottom, right}, {top, left, ypad - top, xpad - left}};
    }

    /**
     * Padding of a transpose convolution whose ifm the hardware upscales by inserting zeros: the kernel must
     * overhang the upscaled ifm so every output sees all of its contributions. The skirt is the padding.
     */
    static int[] upscaledPadding(PaddingKind kind, int kernelHeight, int kernelWidth, Shape4 ifm, int upscaleY,
                                 int upscaleX) {
        int top;
        int left;
        int bottom;
        int right;
        if (kind == PaddingKind.SAME) {
            int ypad = neededTotalPadding(ifm.height() * upscaleY, 1, kernelHeight);
            int xpad = neededTotalPadding(ifm.width() * upscaleX, 1, kernelWidth);
            right = Math.max((xpad + 1) / upscaleX - 1, 0);
            bottom = Math.max((ypad + 1) / upscaleY - 1, 0);
            left = Math.max(kernelWidth - 1 - right, 0);
            top = Math.max(kernelHeight - 1 - bottom, 0);
        } else {
            right = Math.max(kernelWidth - 2, 0);
            bottom = Math.max(kernelHeight - 2, 0);
            left = kernelWidth - 1;
            top = kernelHeight - 1;
        }
        return new int[]{top, left, bottom, right};
    }

    /** The trailing padding, reduced until it agrees with the stride as the hardware needs. */
    private static int explicitAfter(int total, int stride, int before, int after) {
        int rest = total - before;
        int out = after;
        while (out > 0 && Math.floorMod(out, stride) != Math.floorMod(rest, stride)) {
            out--;
        }
        return out;
    }
}
