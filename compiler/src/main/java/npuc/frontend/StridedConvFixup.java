package npuc.frontend;

/**
 * Vela's fixup_strided_conv: the network's first convolution (and any with stride above 3) folds its width
 * stride into the depth, reading the ifm as [N, H, W/r, C*r] with a kernel padded to a multiple of r.
 * This trades MACs for a better layout on shallow inputs; a convolution whose ofm is one row or column
 * gets stride 1 in that direction with explicit padding.
 */
final class StridedConvFixup {

    /** {resize factor, final stride} of an ifm width and stride. */
    static int[] resizeFactor(int ifmWidth, int strideX) {
        int resize = strideX;
        if (ifmWidth % resize != 0) {
            int chosen = 1;
            for (int s : new int[]{2, 3}) {
                if (resize % s == 0 && ifmWidth % (strideX / s) == 0) {
                    chosen = s;
                    break;
                }
            }
            int candidate = resize / chosen;
            resize = candidate != resize ? candidate : 1;
        }
        return new int[]{resize, strideX / resize};
    }

    GraphOp apply(GraphOp op) {
        if (op.type != OpType.Conv2DBias) {
            return op;
        }
        int strideX = op.strideW;
        int strideY = op.strideH;
        GraphTensor weights = op.weights();
        Shape4 ifm = op.ifmShapes.get(0);
        if ((op.opIndex == null || op.opIndex != 0) && strideX < 4) {
            return op;
        }
        int[] rf = resizeFactor(ifm.width(), strideX);
        int resize = rf[0];
        int finalStride = rf[1];
        int depthAfter = ifm.depth() * resize;
        if (strideX > 1 && (depthAfter <= 8 || strideX > 3) && resize != 1 && weights != null) {
            int kw = op.kernelWidth();
            if (op.padding == null || op.padding == PaddingKind.EXPLICIT) {
                return op;
            }
            int currentPadX = Padding2D.neededTotalPadding(ifm.width(), strideX, kw);
            int[] pad = filterPadding(op.padding, currentPadX, finalStride, resize, kw, ifm.width());
            int totalPad = pad[0] + pad[1];
            if (op.padding == PaddingKind.SAME) {
                int optimised = Padding2D.neededTotalPadding(ifm.width() / resize, finalStride,
                        (kw + 1 + totalPad) / resize);
                if (currentPadX != optimised) {
                    return op;
                }
            }
            op.ifmShapes.set(0, new Shape4(ifm.batch(), ifm.height(), ifm.width() / resize, ifm.depth() * resize));
            Quant q = weights.quant;
            long fill = q != null && q.zeroPoints().size() == 1 ? q.zeroPoint() : 0;
            ConstArray padded = weights.values.pad(1, pad[0], pad[1], fill);
            int[] ws = padded.shape();
            ws[1] /= resize;
            ws[2] *= resize;
            weights.values = padded.reshape(ws);
            weights.shape = ws;
            strideX = finalStride;
            op.strideW = strideX;
            op.strideH = strideY;
        }
        Shape4 ofm = op.ofmShapes.get(0);
        if (ofm.height() == 1 || ofm.width() == 1) {
            int[][] ps = Padding2D.paddingAndSkirt(op, ifm);
            op.padding = PaddingKind.EXPLICIT;
            op.explicitPadding = ps[0];
            op.strideH = ofm.height() == 1 ? 1 : op.strideH;
            op.strideW = ofm.width() == 1 ? 1 : op.strideW;
        }
        return op;
    }

    /** Zero columns {left, right} added to the kernel so the folded kernel covers the same inputs. */
    private static int[] filterPadding(PaddingKind type, int currentPadX, int postStride, int resize, int filterWidth,
                                       int ifmWidth) {
        int size = 0;
        int left = 0;
        int right = 0;
        if (type != null && type != PaddingKind.VALID) {
            int preStride = postStride * resize;
            int postWidth = ifmWidth / resize;
            int expected = ifmWidth % preStride == 0 ? currentPadX + postStride
                    : currentPadX + (postWidth % postStride);
            size = expected * resize - filterWidth;
            if (currentPadX == 0) {
                left = Math.floorDiv(size, 2);
            } else {
                left = Math.floorDiv(size, currentPadX) * (currentPadX / 2);
            }
            right = size - left;
        }
        if (filterWidth % resize != 0 && (size == 0 || currentPadX == 0)) {
            size = resize - (filterWidth % resize);
            left = 0;
            right = size;
        }
        return new int[]{left, right};
    }
}
