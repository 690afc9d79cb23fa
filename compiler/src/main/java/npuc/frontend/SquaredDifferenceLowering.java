package npuc.frontend;

import java.util.ArrayList;

import npuc.graph.DataType;

/**
 * SQUARED_DIFFERENCE as the reference kernel computes it, in int32: each input is widened (a 1x1 depthwise
 * convolution with unit weights whose scaling shifts it left by 7 bits, none for int16) and rescaled by a Mul
 * to the common scale twice the larger input scale; then Sub, a Mul of the difference with itself, and a final
 * Mul (the original op) by the output multiplier.
 */
final class SquaredDifferenceLowering {
    private final FrontEndContext ctx;

    SquaredDifferenceLowering(FrontEndContext ctx) {
        this.ctx = ctx;
    }

    private static Quant identity(DataType t) {
        return Quant.of(1.0, 0, ModelImport.quantMin(t), ModelImport.quantMax(t));
    }

    GraphOp convert(GraphOp op) {
        if (op.type != OpType.SquaredDifference || !op.runOnNpu) {
            return op;
        }
        GraphTensor ifm = op.ifm();
        GraphTensor ifm2 = op.ifm2();
        GraphTensor ofm = op.ofm();
        double twiceMax = 2.0 * Math.max(ifm.quant.scale(), ifm2.quant.scale());
        double in1 = ifm.quant.scale() / twiceMax;
        double in2 = ifm2.quant.scale() / twiceMax;
        int leftShift = ifm.type == DataType.INT16 ? 0 : 7;
        double out = twiceMax * twiceMax / ((double) (1L << (leftShift * 2)) * ofm.quant.scale());
        long[] m1 = SoftmaxTables.quantiseScale(in1);
        long[] m2 = SoftmaxTables.quantiseScale(in2);
        long[] mo = SoftmaxTables.quantiseScale(out);
        GraphTensor c1 = ctx.constTensor(op.name + "_input1_multiplier", new int[]{1}, DataType.INT32,
                identity(DataType.INT32), m1[0]);
        GraphTensor c2 = ctx.constTensor(op.name + "_input2_multiplier", new int[]{1}, DataType.INT32,
                identity(DataType.INT32), m2[0]);
        GraphTensor co = ctx.constTensor(op.name + "_output_multiplier", new int[]{1}, DataType.INT32,
                identity(DataType.INT32), mo[0]);

        GraphTensor scaled1 = widenAndScale(op, ifm, "_ifm_32bit_shifted", "_scaled_input1", c1, m1, leftShift);
        GraphTensor scaled2 = widenAndScale(op, ifm2, "_ifm2_32bit_shifted", "_scaled_input2", c2, m2, leftShift);

        GraphTensor diff = int32Like(ifm, "_raw_diff", null);
        GraphOp sub = new GraphOp(OpType.Sub, op.name + "_raw_diff");
        sub.addInput(scaled1);
        sub.addInput(scaled2);
        sub.setOutput(diff);
        sub.setIfmOfmShapes();

        GraphTensor squared = int32Like(ifm, "_squared_raw", null);
        GraphOp square = new GraphOp(OpType.Mul, op.name + "_squared_raw");
        square.addInput(diff);
        square.addInput(diff);
        square.setOutput(squared);
        square.setIfmOfmShapes();

        op.setInput(0, squared);
        op.setInput(1, co);
        op.type = OpType.Mul;
        op.explicitScalingShift = new int[]{(int) mo[1]};
        op.explicitScalingMultiplier = new int[]{(int) mo[0]};
        op.setIfmOfmShapes();
        return op;
    }

    private GraphTensor int32Like(GraphTensor t, String suffix, Quant quant) {
        GraphTensor c = ctx.cloneTensor(t, suffix, true);
        c.type = DataType.INT32;
        c.values = null;
        c.quant = quant;
        return c;
    }

    private GraphTensor widenAndScale(GraphOp op, GraphTensor in, String castSuffix, String mulSuffix,
                                      GraphTensor multiplier, long[] scale, int leftShift) {
        GraphTensor wide = int32Like(in, castSuffix, identity(DataType.INT32));
        GraphOp cast = castOp(op.name + castSuffix, in, wide);
        cast.explicitScalingShift = new int[]{0};
        cast.explicitScalingMultiplier = new int[]{1 << leftShift};
        GraphTensor scaled = int32Like(in, "_scaled", identity(DataType.INT32));
        GraphOp mul = new GraphOp(OpType.Mul, op.name + mulSuffix);
        mul.addInput(wide);
        mul.addInput(multiplier);
        mul.setOutput(scaled);
        mul.explicitScalingShift = new int[]{(int) scale[1]};
        mul.explicitScalingMultiplier = new int[]{(int) scale[0]};
        mul.setIfmOfmShapes();
        return scaled;
    }

    /** A type cast: a 1x1 depthwise convolution with unit weights and a zero bias, rescaled explicitly. */
    GraphOp castOp(String name, GraphTensor in, GraphTensor out) {
        GraphOp op = new GraphOp(OpType.DepthwiseConv2DBias, name);
        op.padding = PaddingKind.VALID;
        op.weightsReordered = true;
        int c = in.shape[in.shape.length - 1];
        GraphTensor weights = ctx.constTensor(name + "_weights", ConstArray.filled(DataType.UINT8, new int[]{1, 1, 1, c},
                1), identity(DataType.UINT8));
        DataType biasType = in.type == DataType.INT16 ? DataType.INT64 : DataType.INT32;
        GraphTensor bias = ctx.constTensor(name + "_bias", ConstArray.filled(biasType, new int[]{c}, 0), null);
        op.inputs = new ArrayList<>();
        op.addInput(in);
        op.addInput(weights);
        op.addInput(bias);
        op.setOutput(out);
        op.setIfmOfmShapes();
        return op;
    }
}
