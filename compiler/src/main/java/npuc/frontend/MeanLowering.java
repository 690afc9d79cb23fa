package npuc.frontend;

import java.util.ArrayList;
import java.util.List;

import npuc.graph.DataType;

/**
 * MEAN over height and/or width becomes a depthwise convolution with all-ones weights summing into int32,
 * followed by a Mul by an int32 scalar that divides by the number of elements and rescales to the output.
 * A mean that reduces nothing of size above 1 is a copy (Memcpy).
 */
final class MeanLowering {
    private final FrontEndContext ctx;

    MeanLowering(FrontEndContext ctx) {
        this.ctx = ctx;
    }

    GraphOp convert(GraphOp op) {
        if (op.type != OpType.Mean) {
            return op;
        }
        GraphTensor ifm = op.ifm();
        GraphTensor ofm = op.ofm();
        int rank = ifm.shape.length;
        Shape4 shape = op.ifmShapes.get(0);
        ConstArray axisValues = op.inputs.get(1).values;
        boolean reduceH = false;
        boolean reduceW = false;
        boolean reduceOther = false;
        for (int i = 0; i < axisValues.size(); i++) {
            int a = (int) axisValues.get(i);
            int axis4 = (a < 0 ? a + rank : a) + (4 - rank);
            int size = shape.get(axis4);
            if (size <= 1) {
                continue;
            }
            if (axis4 == 1) {
                reduceH = true;
            } else if (axis4 == 2) {
                reduceW = true;
            } else {
                reduceOther = true;
            }
        }
        if (!reduceH && !reduceW && !reduceOther) {
            op.type = OpType.Memcpy;
            return op;
        }
        if (reduceOther || shape.batch() != 1) {
            throw new FrontEndException("MEAN '" + op.name + "' reduces the depth or batch axis of "
                    + PythonLists.of(ifm.shape) + ", which this compiler does not lower for the NPU");
        }
        int h = reduceH ? shape.height() : 1;
        int w = reduceW ? shape.width() : 1;
        int c = shape.depth();
        Shape4 convIfm = shape;
        Shape4 convOfm = new Shape4(1, reduceH ? 1 : shape.height(), reduceW ? 1 : shape.width(), c);
        GraphOp conv = new GraphOp(OpType.DepthwiseConv2DBias, op.name + "_conv_0");
        conv.padding = PaddingKind.VALID;
        conv.addInput(ifm);
        GraphTensor weights = ctx.constTensor(op.name + "_weights", ConstArray.filled(DataType.UINT8,
                new int[]{h, w, c, 1}, 1), Quant.of(1.0, 0, 0, 255));
        conv.addInput(weights);
        GraphTensor bias = ctx.constTensor(op.name + "_bias", ConstArray.filled(DataType.INT32, new int[]{c}, 0),
                Quant.of(1.0, 0, ModelImport.quantMin(DataType.INT32), ModelImport.quantMax(DataType.INT32)));
        conv.addInput(bias);
        GraphTensor sum = ctx.newTensor(op.name + "_conv_0_tens", convOfm.toArray(), DataType.INT32);
        sum.quant = ifm.quant == null ? null : ifm.quant.withZeroPoint(0);
        conv.setOutput(sum);
        conv.ifmShapes.add(convIfm);
        conv.ofmShapes.add(convOfm);

        // 1/(h*w) and the ifm-to-ofm rescale in one int32 multiplier, as Vela folds them.
        double scale = ifm.quant == null || ofm.quant == null ? 1.0 : ifm.quant.scale() / ofm.quant.scale();
        long[] q = SoftmaxTables.quantiseScale(scale / (h * w));
        GraphTensor multiplier = ctx.constTensor(op.name + "_mul_const", new int[0], DataType.INT32,
                Quant.of(1.0, 0, ModelImport.quantMin(DataType.INT32), ModelImport.quantMax(DataType.INT32)), q[0]);
        GraphOp mul = new GraphOp(OpType.Mul, op.name + "_mul");
        mul.addInput(sum);
        mul.addInput(multiplier);
        mul.explicitScalingShift = new int[]{(int) q[1]};
        mul.explicitScalingMultiplier = new int[]{1};
        mul.setOutput(ofm);
        mul.ifmShapes.add(convOfm);
        mul.ifmShapes.add(multiplier.shape4());
        mul.ofmShapes.add(convOfm);
        mul.activation = op.activation;
        op.inputs = new ArrayList<>(List.of(ifm));
        return mul;
    }
}
