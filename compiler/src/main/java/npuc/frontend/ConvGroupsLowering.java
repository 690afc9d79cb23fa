package npuc.frontend;

import java.util.ArrayList;
import java.util.List;

import npuc.graph.DataType;

/**
 * A grouped CONV_2D (ifm depth a multiple of the kernel's input depth) as a SPLIT of the ifm along depth, one
 * convolution per group with its share of the filters, and a CONCATENATION of their outputs; the split and the
 * concatenation are then lowered like any other.
 */
final class ConvGroupsLowering {
    private final FrontEndContext ctx;

    ConvGroupsLowering(FrontEndContext ctx) {
        this.ctx = ctx;
    }

    GraphOp convert(GraphOp op) {
        if (op.type != OpType.Conv2DBias || op.weights() == null) {
            return op;
        }
        GraphTensor ifm = op.ifm();
        GraphTensor weights = op.weights();
        int[] ws = weights.shape;
        int kernelDepth = ws[ws.length - 2];
        int ifmDepth = ifm.shape[ifm.shape.length - 1];
        int groups = kernelDepth > 0 ? ifmDepth / kernelDepth : 1;
        if (groups <= 1) {
            return op;
        }
        int depthPerGroup = ifmDepth / groups;
        int filtersPerGroup = ws[ws.length - 1] / groups;
        GraphTensor ofm = op.ofm();

        GraphOp split = new GraphOp(OpType.Split, op.name + "_split");
        split.numSplits = groups;
        split.addInput(ctx.constTensor(split.name + "_axis", new int[]{0}, DataType.INT32, null, -1));
        split.addInput(ifm);
        int[] partShape = ifm.shape.clone();
        partShape[partShape.length - 1] = depthPerGroup;

        GraphOp concat = new GraphOp(OpType.ConcatTFLite, op.name + "_concat");
        concat.axis = -1;
        int[] convOutShape = ofm.shape.clone();
        convOutShape[convOutShape.length - 1] = filtersPerGroup;
        concat.setOutput(ofm);

        GraphTensor bias = op.bias();
        for (int i = 0; i < groups; i++) {
            int from = i * filtersPerGroup;
            int to = from + filtersPerGroup;
            GraphTensor part = ctx.newTensor(split.name + "_out" + i, partShape, ifm.type);
            part.quant = ifm.quant;
            split.outputs.add(part);
            part.setProducer(split);

            GraphTensor convOut = ctx.newTensor(concat.name + "_in" + i, convOutShape, ifm.type);
            convOut.quant = ofm.quant;
            concat.addInput(convOut);

            GraphOp conv = new GraphOp(op.type, op.name + "_cg" + i);
            conv.copyConvAttributes(op);
            conv.activation = op.activation;
            conv.addInput(part);
            conv.addInput(ctx.constTensor(weights.name + "_cg" + i, weights.values.sliceLastAxis(from, to),
                    sliceQuant(weights.quant, from, to)));
            conv.addInput(bias == null ? null : ctx.constTensor(bias.name + "_cg" + i,
                    bias.values.sliceLastAxis(from, to), bias.quant));
            conv.setOutput(convOut);
            conv.setIfmOfmShapes();
        }
        split.setIfmOfmShapes();
        concat.setIfmOfmShapes();
        ifm.consumers.remove(op);
        op.inputs = new ArrayList<>();
        op.outputs = new ArrayList<>();
        return concat;
    }

    /** Per-channel scales and zero points of channels [from, to); a per-tensor quantization as it is. */
    private static Quant sliceQuant(Quant q, int from, int to) {
        if (q == null) {
            return null;
        }
        List<Double> scales = q.scales().size() > 1 ? q.scales().subList(from, to) : q.scales();
        List<Long> zps = q.zeroPoints().size() > 1 ? q.zeroPoints().subList(from, to) : q.zeroPoints();
        return new Quant(scales, zps, q.quantMin(), q.quantMax());
    }
}
