package npuc.frontend;

import java.util.ArrayList;
import java.util.List;

import npuc.graph.DataType;

/**
 * RESIZE_BILINEAR and RESIZE_NEAREST_NEIGHBOR on the NPU, whose only resampling is a x2 nearest-neighbour
 * read. Equal shapes are a no-op; a 1x1 ifm is broadcast by adding it to zeros; bilinear with half-pixel centres
 * (exactly x2) is four depthwise convolutions, one per output phase; otherwise the ifm is doubled log2(factor)
 * times, the last step averaging (bilinear) or selecting (nearest neighbour with aligned corners) over a
 * factor x factor window.
 */
final class ResizeLowering {
    private final FrontEndContext ctx;

    ResizeLowering(FrontEndContext ctx) {
        this.ctx = ctx;
    }

    GraphOp fixupResize(GraphOp op) {
        if ((op.type != OpType.ResizeBilinear && op.type != OpType.ResizeNearestNeighbor) || !op.runOnNpu) {
            return op;
        }
        Shape4 ifm = op.ifmShapes.get(0);
        Shape4 ofm = op.ofmShapes.get(0);
        if (ifm.equals(ofm)) {
            GraphTensor in = op.inputs.get(0);
            dropInputs(op);
            op.addInput(in);
            op.type = OpType.Identity;
        } else if (ifm.height() == 1 && ifm.width() == 1) {
            broadcastByAdd(op);
        } else if (op.type == OpType.ResizeBilinear && op.halfPixelCenters) {
            return bilinearHalfPixel(op);
        } else {
            upscaleAndPool(op);
        }
        return op;
    }

    private static void dropInputs(GraphOp op) {
        op.clearInputs();
    }

    /** The upscale factor the supported-operator check accepted: output over input, or (o-1)/(i-1) with aligned corners. */
    static int upscaleFactor(GraphOp op) {
        int in = op.ifmShapes.get(0).height();
        int out = op.ofmShapes.get(0).height();
        if (op.alignCorners && in > 1) {
            return (out - 1) / (in - 1);
        }
        return out / in;
    }

    private void broadcastByAdd(GraphOp op) {
        GraphTensor ifm = op.inputs.get(0);
        GraphTensor size = op.inputs.get(1);
        Shape4 ofm = op.ofmShapes.get(0);
        GraphTensor zeros = ctx.constTensor(size.name + "_add", ConstArray.filled(ifm.type, ofm.toArray(), 0),
                Quant.of(1.0, 0, 0, 255));
        op.type = OpType.Add;
        op.name = op.name + "_add";
        dropInputs(op);
        op.addInput(zeros);
        op.addInput(ifm);
        op.setIfmOfmShapes();
    }

    private void upscaleAndPool(GraphOp op) {
        GraphTensor finalOfm = op.ofm();
        DataType type = op.ifm().type;
        op.strideW = 1;
        op.strideH = 1;
        op.filterW = 1;
        op.filterH = 1;
        op.hasFilter = true;
        op.padding = PaddingKind.SAME;
        op.ifmResampling = ResamplingMode.NEAREST;
        int factor = upscaleFactor(op);
        int doublings = 31 - Integer.numberOfLeadingZeros(factor);
        int h = op.ifmShapes.get(0).height();
        int w = op.ifmShapes.get(0).width();
        GraphOp previous = op;
        GraphOp scaled = op;
        // Every x2 step but the last is a 1x1 copy reading its ifm upscaled.
        for (int count = 0; count < doublings - 1; count++) {
            if (count > 0) {
                scaled = op.copy("_" + count);
                scaled.inputs.set(0, previous.ofm());
            }
            h *= 2;
            w *= 2;
            int[] shape = op.ofmShapes.get(0).toArray();
            shape[1] = h;
            shape[2] = w;
            GraphTensor out = ctx.newTensor(finalOfm.name + "_" + count, shape, type);
            out.quant = finalOfm.quant;
            scaled.setOutput(out);
            scaled.setIfmOfmShapes();
            previous = scaled;
        }
        if (doublings > 1) {
            scaled = op.copy("_" + (doublings - 1));
            scaled.inputs.set(0, previous.ofm());
        }
        if (scaled.originalType == OpType.ResizeBilinear) {
            if (scaled.alignCorners) {
                scaled.padding = PaddingKind.VALID;
            } else {
                scaled.padding = PaddingKind.EXPLICIT;
                scaled.explicitPadding = new int[]{0, 0, factor - 1, factor - 1};
            }
            scaled.filterW = factor;
            scaled.filterH = factor;
        } else if (scaled.alignCorners) {
            selectByDepthwise(scaled, factor);
        }
        scaled.outputs = new ArrayList<>(List.of(finalOfm));
        finalOfm.setProducer(scaled);
        scaled.setIfmOfmShapes();
    }

    /**
     * The last step of a nearest-neighbour resize with aligned corners: a depthwise convolution whose kernel has
     * a single 1, just below and right of the window's centre, picks the nearest value. (Vela lays the taps out
     * as [factor, factor, depth, depth], which only has room for them when the depth is 1 and fails otherwise;
     * here every channel gets the tap, which is the same for depth 1.)
     */
    private void selectByDepthwise(GraphOp op, int factor) {
        GraphTensor ifm = op.inputs.get(0);
        GraphTensor ofm = op.ofm();
        int depth = ofm.shape[ofm.shape.length - 1];
        op.type = OpType.DepthwiseConv2DBias;
        op.padding = PaddingKind.VALID;
        op.strideW = 1;
        op.strideH = 1;
        op.dilationW = 1;
        op.dilationH = 1;
        op.depthMultiplier = 1;
        op.activation = null;
        op.ifmResampling = ResamplingMode.NEAREST;
        op.weightsReordered = true;
        int centre = (factor / 2) * factor + factor / 2;
        long[] values = new long[factor * factor * depth];
        for (int c = 0; c < depth; c++) {
            values[centre * depth + c] = 1;
        }
        Quant weightQuant = Quant.of(1.0, 0, ModelImport.quantMin(ofm.type), ModelImport.quantMax(ofm.type));
        GraphTensor weights = ctx.constTensor("weights",
                ConstArray.of(ofm.type, new int[]{factor, factor, 1, depth}, values), weightQuant);
        GraphTensor bias = ctx.constTensor(op.name + "_bias", ConstArray.filled(DataType.INT32, new int[]{depth}, 0),
                Quant.of(1.0, 0, ModelImport.quantMin(DataType.INT32), ModelImport.quantMax(DataType.INT32)));
        dropInputs(op);
        op.addInput(ifm);
        op.addInput(weights);
        op.addInput(bias);
    }

    /**
     * Bilinear x2 with half-pixel centres: an AvgPool copy of the ifm, then four 2x2 depthwise convolutions over it
     * (one per output phase: top-left, top-right, bottom-left, bottom-right, each padding with edge values towards
     * its side) whose weights are the interpolation weights in 1/16ths. Returns the copy.
     */
    private GraphOp bilinearHalfPixel(GraphOp op) {
        GraphTensor ifm = op.inputs.get(0);
        GraphTensor ofm = op.ofm();
        int[] in = ifm.shape;
        int n = in[0];
        int h = in[1];
        int w = in[2];
        int c = in[3];
        int oh = ofm.shape[1];
        int ow = ofm.shape[2];
        GraphTensor intermediate = ctx.newTensor("intermediate_tens", in, ifm.type);
        intermediate.quant = ofm.quant;
        ofm.producers = new ArrayList<>();
        op.name = "rb_init_avgpool";
        op.type = OpType.AvgPool;
        op.padding = PaddingKind.VALID;
        op.strideW = 1;
        op.strideH = 1;
        op.filterW = 1;
        op.filterH = 1;
        op.hasFilter = true;
        dropInputs(op);
        op.addInput(ifm);
        op.setOutput(intermediate);
        op.setIfmOfmShapes();
        int[][] directions = {{1, 1, 0, 0}, {1, 0, 0, 1}, {0, 1, 1, 0}, {0, 0, 1, 1}};
        int index = 0;
        for (int y = 1; y <= 2; y++) {
            for (int x = 1; x <= 2; x++) {
                double[] vh = interpolation(y, h, oh);
                double[] vw = interpolation(x, w, ow);
                double fh = vh[0] - vh[1];
                double fw = vw[0] - vw[1];
                // kernel[row][col] over the 2x2 window, scaled by 16
                double[][] k = {
                        {fh * fw * 16, fh * (1 - fw) * 16},
                        {(1 - fh) * fw * 16, (1 - fh) * (1 - fw) * 16}};
                long[] values = new long[4 * c];
                for (int r = 0; r < 2; r++) {
                    for (int col = 0; col < 2; col++) {
                        for (int ch = 0; ch < c; ch++) {
                            values[(r * 2 + col) * c + ch] = (long) k[r][col];
                        }
                    }
                }
                GraphOp dw = new GraphOp(OpType.DepthwiseConv2DBias, "depthwise_conv_" + index);
                dw.originalType = OpType.ResizeBilinear;
                dw.writeShape = new Shape4(n, h, w, c);
                dw.writeOffset = Shape4.ZERO;
                dw.padding = PaddingKind.TILE;
                dw.explicitPadding = directions[index].clone();
                dw.weightsReordered = true;
                GraphTensor weights = ctx.constTensor("weights",
                        ConstArray.of(intermediate.type, new int[]{2, 2, 1, c}, values),
                        Quant.of(1.0 / 16, 0, ModelImport.quantMin(intermediate.type),
                                ModelImport.quantMax(intermediate.type)));
                GraphTensor bias = ctx.constTensor(dw.name + "_bias",
                        ConstArray.filled(DataType.INT32, new int[]{c}, 0),
                        Quant.of(1.0, 0, ModelImport.quantMin(DataType.INT32), ModelImport.quantMax(DataType.INT32)));
                dw.addInput(intermediate);
                dw.addInput(weights);
                dw.addInput(bias);
                dw.outputs = new ArrayList<>(List.of(ofm));
                ofm.producers.add(dw);
                dw.setIfmOfmShapes();
                index++;
            }
        }
        return op;
    }

    /** {scaled position, its floor (at least 0)} of output index {@code i} with half-pixel centres. */
    private static double[] interpolation(int i, int inSize, int outSize) {
        double scale = (double) inSize / outSize;
        double v = (i + 0.5) * scale - 0.5;
        return new double[]{v, Math.max(Math.floor(v), 0)};
    }
}
