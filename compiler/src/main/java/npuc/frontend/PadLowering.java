package npuc.frontend;

import java.util.ArrayList;
import java.util.List;

import npuc.graph.DataType;

/**
 * PAD on the NPU. Padding of the batch or channel axis becomes a concatenation with zero-point constants
 * (NXP's build; a PAD of both is split in two first). Height and width padding goes, where the kernel allows,
 * into the hardware padding of the convolution or pool that reads the result; what remains becomes an
 * AvgPool copy of the ifm into the middle of the ofm plus AvgPool writes of zero-point borders.
 */
final class PadLowering {
    private final FrontEndContext ctx;

    PadLowering(FrontEndContext ctx) {
        this.ctx = ctx;
    }

    /** The paddings as {before, after} per axis. */
    private static long[][] paddings(GraphOp pad) {
        ConstArray v = pad.inputs.get(1).values;
        int rows = v.dim(0);
        long[][] out = new long[rows][2];
        for (int r = 0; r < rows; r++) {
            out[r][0] = v.get(2L * r);
            out[r][1] = v.get(2L * r + 1);
        }
        return out;
    }

    /** {top, left, bottom, right}: the height and width rows of the paddings. */
    static int[] heightWidthPadding(GraphOp pad) {
        long[][] p = paddings(pad);
        int n = p.length;
        return new int[]{(int) p[n - 3][0], (int) p[n - 2][0], (int) p[n - 3][1], (int) p[n - 2][1]};
    }

    /**
     * A 4-D PAD of both batch and channels becomes two: the first pads the channels only, the second (the
     * original op) the batch only.
     */
    GraphOp splitBatchAndChannelPad(GraphOp op) {
        if (op.type != OpType.Pad || !op.runOnNpu) {
            return op;
        }
        GraphTensor padTensor = op.inputs.get(1);
        long[][] p = paddings(op);
        if (p.length == 3 || p[p.length - 1][0] + p[p.length - 1][1] == 0 || p[0][0] + p[0][1] == 0) {
            return op;
        }
        GraphOp channelPad = op.copy("_sub");
        GraphTensor ofm = op.ofm();
        int[] shape = ofm.shape.clone();
        shape[0] -= (int) (p[0][0] + p[0][1]);
        GraphTensor between = ctx.newTensor(ofm.name + "_sub", shape, ofm.type);
        between.quant = ofm.quant;

        long[] batchOnly = padTensor.values.toLongArray();
        long[] channelsOnly = batchOnly.clone();
        batchOnly[2 * (p.length - 1)] = 0;
        batchOnly[2 * (p.length - 1) + 1] = 0;
        channelsOnly[0] = 0;
        channelsOnly[1] = 0;
        GraphTensor channelPads = ctx.constTensor(padTensor.name + "_sub",
                ConstArray.of(padTensor.values.type(), padTensor.values.shape(), channelsOnly), padTensor.quant);
        GraphTensor batchPads = ctx.constTensor(padTensor.name,
                ConstArray.of(padTensor.values.type(), padTensor.values.shape(), batchOnly), padTensor.quant);

        op.setInput(0, between);
        op.setInput(1, batchPads);
        channelPad.setOutput(between);
        channelPad.inputs.set(1, channelPads);
        channelPad.inputs.get(0).consumers.add(channelPad);
        channelPads.consumers.add(channelPad);
        op.setIfmOfmShapes();
        channelPad.setIfmOfmShapes();
        return op;
    }

    /**
     * A PAD of the last axis (else of the first) becomes a concatenation along it of zero-point constants and
     * the input. Height and width padding is left to the later rewrites.
     */
    GraphOp convertChannelOrBatchPadToConcat(GraphOp op) {
        if (op.type != OpType.Pad || !op.runOnNpu) {
            return op;
        }
        long[][] p = paddings(op);
        int row;
        if (p[p.length - 1][0] + p[p.length - 1][1] != 0) {
            row = p.length - 1;
            op.axis = -1;
        } else if (p[0][0] + p[0][1] != 0) {
            row = 0;
            op.axis = 0;
        } else {
            return op;
        }
        GraphTensor in = op.inputs.get(0);
        int inAxis = row == 0 ? 0 : in.shape.length - 1;
        List<GraphTensor> parts = new ArrayList<>();
        if (p[row][0] != 0) {
            parts.add(zeroPoints(op.name + "_left", in, inAxis, (int) p[row][0]));
        }
        parts.add(in);
        if (p[row][1] != 0) {
            parts.add(zeroPoints(op.name + "_right", in, inAxis, (int) p[row][1]));
        }
        op.type = OpType.ConcatTFLite;
        op.name = op.name + "_concat";
        op.clearInputs();
        for (GraphTensor t : parts) {
            op.addInput(t);
        }
        op.setIfmOfmShapes();
        return op;
    }

    private GraphTensor zeroPoints(String name, GraphTensor like, int axis, int size) {
        int[] shape = like.shape.clone();
        shape[axis] = size;
        long zp = like.quant == null ? 0 : like.quant.zeroPoint();
        return ctx.constTensor(name, ConstArray.filled(like.type, shape, zp), like.quant);
    }

    /** Vela's rule that leading padding larger than the stride must be a whole number of strides. */
    private static boolean leadingPadOk(int leading, int stride, int kernel) {
        int max = kernel / 2;
        return leading == max || max <= stride || leading % stride == 0;
    }

    /**
     * A VALID convolution, depthwise convolution or average pool reading an NPU PAD of the same type and scaling,
     * padding no more than half the kernel, reads the PAD's input with that padding in hardware instead. An
     * average pool becomes a depthwise convolution with all-ones weights, since the pool's own padded average
     * would not count the padded zeros.
     */
    GraphOp replaceByHardwarePadding(GraphOp op) {
        boolean candidate = op.type == OpType.Conv2DBias || op.type == OpType.DepthwiseConv2DBias
                || op.type == OpType.AvgPool;
        if (!candidate || !op.runOnNpu || op.padding != PaddingKind.VALID || op.ifm() == null
                || op.ifm().producers.isEmpty()) {
            return op;
        }
        GraphOp pad = op.ifm().producers.get(0);
        if (pad.type != OpType.Pad || !pad.runOnNpu) {
            return op;
        }
        GraphTensor padIn = pad.ifm();
        GraphTensor padOut = pad.ofm();
        if (padIn.type != padOut.type || padIn.quant == null || !padIn.quant.sameScaling(padOut.quant)) {
            return op;
        }
        int[] tlbr = heightWidthPadding(pad);
        int top = tlbr[0];
        int left = tlbr[1];
        int bottom = tlbr[2];
        int right = tlbr[3];
        int kw = op.dilationW * (op.kernelWidth() - 1) + 1;
        int kh = op.dilationH * (op.kernelHeight() - 1) + 1;
        if (left > kw / 2 || right > kw / 2 || top > kh / 2 || bottom > kh / 2) {
            return op;
        }
        if (!leadingPadOk(top, op.strideH, kh) || !leadingPadOk(left, op.strideW, kw)) {
            return op;
        }
        if (op.type == OpType.AvgPool) {
            for (int[] pk : new int[][]{{left, kw}, {right, kw}, {top, kh}, {bottom, kh}}) {
                if (pk[0] != 0 && pk[0] != pk[1] / 2) {
                    return op;
                }
            }
            avgPoolToDepthwise(op);
        }
        op.setInput(0, padIn);
        op.padding = PaddingKind.EXPLICIT;
        op.explicitPadding = new int[]{top, left, bottom, right};
        op.setIfmOfmShapes();
        return op;
    }

    private void avgPoolToDepthwise(GraphOp op) {
        int kw = op.kernelWidth();
        int kh = op.kernelHeight();
        GraphTensor ifm = op.ifm();
        List<GraphTensor> others = new ArrayList<>(op.inputs.subList(1, op.inputs.size()));
        int channels = op.ofm().shape[op.ofm().shape.length - 1];
        // Vela keeps the ones as numpy's default 64-bit integers, which is what its weight byte count sees.
        ConstArray ones = ConstArray.filled(DataType.INT64, new int[]{kh, kw, 1, channels}, 1);
        GraphTensor weights = ctx.newTensor(op.name + "_weights", ones.shape(), ifm.type);
        weights.values = ones;
        weights.quant = Quant.of(1.0 / (kw * kh), 0, ModelImport.quantMin(ifm.type), ModelImport.quantMax(ifm.type));
        GraphOp constOp = new GraphOp(OpType.Const, weights.name);
        constOp.runOnNpu = false;
        constOp.setOutput(weights);
        op.type = OpType.DepthwiseConv2DBias;
        op.weightsReordered = true;
        op.clearInputs();
        op.addInput(ifm);
        op.addInput(weights);
        long biasValue = ifm.type == DataType.UINT8 ? 0 : ifm.quant.zeroPoint() * kh * kw;
        GraphTensor bias = ctx.constTensor(op.name + "_bias", ConstArray.filled(DataType.INT32, new int[]{channels},
                biasValue), Quant.of(1.0, 0, ModelImport.quantMin(DataType.INT32), ModelImport.quantMax(DataType.INT32)));
        op.addInput(bias);
        for (GraphTensor t : others) {
            op.addInput(t);
        }
    }

    /**
     * A PAD still on the NPU: an AvgPool copies the ifm into the middle of the ofm, and one AvgPool per padded
     * side writes a zero-point constant there. Returns the copy, which stands for the PAD in the traversal.
     */
    GraphOp convertPad(GraphOp op) {
        if (op.type != OpType.Pad || !op.runOnNpu) {
            return op;
        }
        int[] tlbr = heightWidthPadding(op);
        int top = tlbr[0];
        int left = tlbr[1];
        int bottom = tlbr[2];
        int right = tlbr[3];
        GraphTensor ifm = op.ifm();
        Shape4 ifmShape = op.ifmShapes.get(0);
        GraphTensor ofm = op.ofm();
        Shape4 ofmShape = op.ofmShapes.get(0);
        ofm.producers = new ArrayList<>();
        GraphOp main = writeAt(op, op.name + "_main", ifm, ifmShape, new Shape4(0, top, left, 0));
        main.activation = op.activation;
        Quant q = ofm.quant;
        long zp = q == null ? 0 : q.zeroPoint();
        if (top > 0) {
            border(op, "_top", new Shape4(1, top, ofmShape.width(), ofmShape.depth()), Shape4.ZERO, zp);
        }
        if (bottom > 0) {
            border(op, "_bottom", new Shape4(1, bottom, ofmShape.width(), ofmShape.depth()),
                    new Shape4(0, ofmShape.height() - bottom, 0, 0), zp);
        }
        if (left > 0) {
            border(op, "_left", new Shape4(1, ifmShape.height(), left, ofmShape.depth()), new Shape4(0, top, 0, 0), zp);
        }
        if (right > 0) {
            border(op, "_right", new Shape4(1, ifmShape.height(), right, ofmShape.depth()),
                    new Shape4(0, top, ofmShape.width() - right, 0), zp);
        }
        op.type = OpType.ConcatTFLite;
        return main;
    }

    private void border(GraphOp pad, String suffix, Shape4 shape, Shape4 offset, long zp) {
        GraphTensor ofm = pad.ofm();
        GraphTensor zeros = ctx.constTensor(pad.name + suffix, ConstArray.filled(ofm.type, shape.toArray(), zp),
                ofm.quant);
        // Vela derives a border's equivalence id from its values alone, so equal borders (top and bottom, left and
        // right, or those of another PAD) share one region of the flash, whatever their element type.
        long count = (long) shape.height() * shape.width() * shape.depth() * shape.batch();
        zeros.equivalenceId = ctx.equivalenceIdFor(zp == 0 ? "zeros:" + count : zp == 1 ? "ones:" + count
                : "fill:" + zp + ":" + count);
        writeAt(pad, pad.name + suffix, zeros, shape, offset);
    }

    /** An AvgPool copy of {@code in} into the PAD's ofm at {@code offset}, as a concatenation writes its inputs. */
    private static GraphOp writeAt(GraphOp pad, String name, GraphTensor in, Shape4 inShape, Shape4 offset) {
        GraphTensor ofm = pad.ofm();
        GraphOp pool = ConcatSplitLowering.avgPoolNop(name);
        pool.inputs = new ArrayList<>(List.of(in));
        pool.outputs = new ArrayList<>(List.of(ofm));
        pool.writeOffset = offset;
        pool.writeShape = inShape;
        ofm.producers.add(pool);
        pool.ifmShapes.add(inShape);
        pool.ofmShapes.add(pad.ofmShapes.get(0));
        pool.memoryFunction = MemoryFunction.CONCAT_SLICE_WRITE;
        return pool;
    }
}
