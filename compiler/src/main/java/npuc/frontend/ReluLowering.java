package npuc.frontend;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import npuc.graph.DataType;

/**
 * The relu family where it cannot simply fuse into its producer: a relu that rescales gets an AvgPool of its own
 * carrying it; a leaky relu the tables do not cover becomes Mul and Maximum (or Minimum, Mul, Relu and Add for
 * slopes outside (0, 1)); and Maximum(x, x * c) is recognised as Abs (c = -1) or a leaky relu (c >= 0).
 */
final class ReluLowering {
    private final FrontEndContext ctx;

    ReluLowering(FrontEndContext ctx) {
        this.ctx = ctx;
    }

    private static Quant quantWithRange(Quant q, double scale) {
        return new Quant(List.of(scale), List.of(0L), q.quantMin(), q.quantMax());
    }

    /** A standalone relu whose ifm and ofm scaling differ cannot fuse: an AvgPool nop carries it and the rescale. */
    GraphOp relusWithDifferingScaling(GraphOp op) {
        if (!op.runOnNpu || !op.type.isRelu()) {
            return op;
        }
        GraphTensor ifm = op.inputs.get(0);
        GraphTensor ofm = op.outputs.get(0);
        if (ifm.quant != null && ifm.quant.sameScaling(ofm.quant)) {
            return op;
        }
        GraphOp pool = ConcatSplitLowering.avgPoolNop(op.name + "_avgpool");
        pool.activation = ActivationFunction.of(op.type);
        long[] scale = SoftmaxTables.quantiseScale(ifm.quant.scale() / ofm.quant.scale());
        pool.explicitScalingShift = new int[]{(int) scale[1]};
        pool.explicitScalingMultiplier = new int[]{(int) scale[0]};
        ifm.consumers.remove(op);
        pool.addInput(ifm);
        pool.setOutput(ofm);
        pool.setIfmOfmShapes();
        return pool;
    }

    /**
     * LEAKY_RELU as Maximum(alpha * x, x) for 0 < alpha < 1 (with x rescaled by a Mul when the ofm scaling
     * differs), else as Relu(x) + alpha * Minimum(x, 0).
     */
    GraphOp leakyReluToMulMax(GraphOp op) {
        GraphTensor ifm = op.ifm();
        GraphTensor ofm = op.ofm();
        float alpha = op.alpha;
        boolean mulMax = alpha > 0 && alpha < 1;
        boolean fromPrelu = op.alphaScaling != null;
        GraphTensor mulIfm;
        OpType newType;
        if (mulMax) {
            mulIfm = ifm;
            newType = OpType.Maximum;
        } else {
            Quant noScale = new Quant(List.of(), List.of(0L), ifm.quant.quantMin(), ifm.quant.quantMax());
            GraphTensor zero = ctx.constTensor("zero_const", new int[0], ifm.type, noScale, 0);
            GraphOp min = new GraphOp(OpType.Minimum, op.name + "_min");
            min.addInput(ifm);
            min.addInput(zero);
            mulIfm = ctx.cloneTensorAs(ifm, op.name + "_negative");
            if (alpha < 0 && !fromPrelu) {
                // A negative slope is applied by an int32 Mul that does the scaling itself.
                mulIfm.type = DataType.INT32;
            }
            min.setOutput(mulIfm);
            min.setIfmOfmShapes();
            newType = OpType.Add;
            op.explicitScalingShift = new int[]{0};
            op.explicitScalingMultiplier = new int[]{1};
        }
        GraphOp mulAlpha = new GraphOp(OpType.Mul, op.name + "_mul_alpha");
        mulAlpha.addInput(mulIfm);
        long scalar;
        Quant alphaQuant;
        if (fromPrelu) {
            scalar = op.alphaScaling[0];
            alphaQuant = ifm.quant.withZeroPoint(0);
            mulAlpha.explicitScalingShift = new int[]{(int) op.alphaScaling[2]};
            mulAlpha.explicitScalingMultiplier = new int[]{(int) op.alphaScaling[1]};
        } else if (alpha == 0 || Float.isInfinite(1 / alpha)) {
            alphaQuant = quantWithRange(ifm.quant, 1.0);
            scalar = 0;
        } else {
            alphaQuant = quantWithRange(ifm.quant, alpha);
            scalar = mulIfm.type == DataType.INT32
                    ? FixedPoint.elementwiseMulScale(ifm.quant.scale(), alpha, ofm.quant.scale())[0] : 1;
        }
        GraphTensor alphaTens = ctx.constTensor(op.name + "_alpha_scalar", new int[]{1}, mulIfm.type, alphaQuant,
                scalar);
        mulAlpha.addInput(alphaTens);
        GraphTensor fmAlpha = ctx.cloneTensorAs(ofm, op.name + "_alpha");
        mulAlpha.setOutput(fmAlpha);
        mulAlpha.setIfmOfmShapes();

        GraphTensor fmId;
        if (!mulMax) {
            GraphOp relu = new GraphOp(OpType.Relu, op.name + "_relu");
            relu.addInput(ifm);
            fmId = ctx.cloneTensorAs(ofm, op.name + "_positive_scaled");
            relu.setOutput(fmId);
            relu.setIfmOfmShapes();
        } else if (ifm.quant.sameScaling(ofm.quant)) {
            fmId = ifm;
        } else {
            GraphOp identity = new GraphOp(OpType.Mul, op.name + "_mul_identity");
            identity.addInput(ifm);
            GraphTensor one = ctx.constTensor(op.name + "_id_scalar", new int[0], ifm.type,
                    quantWithRange(ifm.quant, 1.0), 1);
            identity.addInput(one);
            fmId = ctx.cloneTensorAs(ofm, op.name + "_id");
            identity.setOutput(fmId);
            identity.setIfmOfmShapes();
        }
        op.type = newType;
        op.name = op.name.replace("LeakyRelu", newType.name());
        op.clearInputs();
        op.addInput(fmAlpha);
        op.addInput(fmId);
        op.setIfmOfmShapes();
        return op;
    }

    /**
     * PRELU: with one constant slope for all channels it is a Relu (slope 0) or a leaky relu; with constant
     * slopes all below 1 it is Maximum(alpha * x, x); otherwise Relu(x) + alpha * Minimum(x, 0).
     */
    GraphOp convertPrelu(GraphOp op) {
        if (op.type != OpType.Prelu) {
            return op;
        }
        GraphTensor ifm = op.ifm();
        GraphTensor alpha = op.ifm2();
        GraphTensor ofm = op.ofm();
        if (ifm == null || alpha == null || ofm == null) {
            return op;
        }
        if (alpha.isConst()) {
            long[] v = alpha.values.toLongArray();
            long lo = Long.MAX_VALUE;
            long hi = Long.MIN_VALUE;
            for (long x : v) {
                lo = Math.min(lo, x);
                hi = Math.max(hi, x);
            }
            long zp = alpha.quant.zeroPoint();
            double scale = alpha.quant.scale();
            double alphaMin = (lo - zp) * scale;
            double alphaMax = (hi - zp) * scale;
            if (alphaMin == alphaMax) {
                OpType newType = alphaMin == 0 ? OpType.Relu : OpType.LeakyRelu;
                if (newType == OpType.LeakyRelu) {
                    op.alpha = (float) alphaMin;
                    long[] s = FixedPoint.elementwiseMulScale(ifm.quant.scale(), scale, ofm.quant.scale());
                    op.alphaScaling = new long[]{lo - zp, s[0], s[1]};
                }
                op.type = newType;
                op.name = op.name.replace("Prelu", newType.name());
                alpha.consumers.remove(op);
                op.inputs.remove(1);
                return op;
            }
            if (alphaMax < 1) {
                GraphOp mulAlpha = new GraphOp(OpType.Mul, op.name + "_mul_alpha");
                mulAlpha.addInput(ifm);
                mulAlpha.addInput(alpha);
                GraphTensor fmAlpha = ctx.cloneTensorAs(ofm, op.name + "_alpha");
                mulAlpha.setOutput(fmAlpha);
                mulAlpha.setIfmOfmShapes();
                GraphTensor fmId;
                if (ifm.quant.sameScaling(ofm.quant)) {
                    fmId = ifm;
                } else {
                    GraphOp identity = new GraphOp(OpType.Mul, op.name + "_mul_identity");
                    identity.addInput(ifm);
                    identity.addInput(ctx.constTensor("one_const", new int[0], ifm.type,
                            quantWithRange(ifm.quant, 1.0), 1));
                    fmId = ctx.cloneTensorAs(ofm, op.name + "_id");
                    identity.setOutput(fmId);
                    identity.setIfmOfmShapes();
                }
                GraphOp max = new GraphOp(OpType.Maximum, op.name + "_max");
                max.addInput(fmAlpha);
                max.addInput(fmId);
                max.setOutput(ofm);
                max.setIfmOfmShapes();
                ifm.consumers.remove(op);
                return max;
            }
        }
        Quant noScale = new Quant(List.of(), List.of(0L), ifm.quant.quantMin(), ifm.quant.quantMax());
        GraphTensor zero = ctx.constTensor("zero_const", new int[0], ifm.type, noScale, 0);
        GraphOp min = new GraphOp(OpType.Minimum, op.name + "_min");
        min.addInput(ifm);
        min.addInput(zero);
        GraphTensor negative = ctx.cloneTensorAs(ifm, op.name + "_negative");
        min.setOutput(negative);
        min.setIfmOfmShapes();
        GraphOp mulAlpha = new GraphOp(OpType.Mul, op.name + "_mul_alpha");
        mulAlpha.addInput(negative);
        mulAlpha.addInput(alpha);
        GraphTensor fmAlpha = ctx.cloneTensorAs(ofm, op.name + "_negative_alpha");
        mulAlpha.setOutput(fmAlpha);
        mulAlpha.setIfmOfmShapes();
        GraphOp relu = new GraphOp(OpType.Relu, op.name + "_relu");
        relu.addInput(ifm);
        GraphTensor scaled = ctx.cloneTensorAs(ofm, op.name + "_positive_scaled");
        relu.setOutput(scaled);
        relu.setIfmOfmShapes();
        GraphOp add = new GraphOp(OpType.Add, op.name + "_add");
        add.explicitScalingShift = new int[]{0};
        add.explicitScalingMultiplier = new int[]{1};
        add.addInput(fmAlpha);
        add.addInput(scaled);
        add.setOutput(ofm);
        add.setIfmOfmShapes();
        ifm.consumers.remove(op);
        return add;
    }

    /** Maximum(x, Mul(x, c)) with a constant scalar c: Abs for c = -1, a leaky relu of slope c for c >= 0. */
    GraphOp mulMaxToAbsOrLeakyRelu(GraphOp op) {
        if (op.type != OpType.Maximum) {
            return op;
        }
        List<GraphTensor> muls = new ArrayList<>();
        for (GraphTensor in : op.inputs) {
            if (in != null && !in.producers.isEmpty() && in.producers.get(0).type == OpType.Mul) {
                muls.add(in);
            }
        }
        GraphOp mul;
        if (muls.size() == 1) {
            mul = muls.get(0).producers.get(0);
        } else if (muls.size() == 2) {
            mul = null;
            for (GraphTensor m : muls) {
                Set<GraphTensor> all = new HashSet<>(op.inputs);
                all.addAll(m.producers.get(0).inputs);
                if (all.size() == 1) {
                    mul = m.producers.get(0);
                    break;
                }
            }
            if (mul == null) {
                return op;
            }
        } else {
            return op;
        }
        GraphTensor mulOfm = mul.outputs.get(0);
        if (mulOfm.consumers.size() != 1 || mul.activation != null) {
            return op;
        }
        GraphTensor ifm = op.ifm();
        GraphTensor ofm = op.ofm();
        if (ifm == null || ofm == null || (ifm.type != DataType.UINT8 && ifm.type != DataType.INT8)
                || ifm.type != ofm.type) {
            return op;
        }
        if (ifm.quant == null || !ifm.quant.sameScaling(ofm.quant) || !ifm.quant.sameScaling(mulOfm.quant)) {
            return op;
        }
        Set<GraphTensor> shared = new HashSet<>(op.inputs);
        shared.retainAll(mul.inputs);
        if (shared.size() != 1) {
            return op;
        }
        GraphTensor sharedIn = shared.iterator().next();
        GraphTensor constTens = null;
        for (GraphTensor t : mul.inputs) {
            if (t != sharedIn) {
                constTens = t;
            }
        }
        if (constTens == null || constTens.shape.length != 0 || constTens.producers.isEmpty()
                || constTens.producers.get(0).type != OpType.Const || !constTens.isConst()) {
            return op;
        }
        sharedIn.consumers.remove(mul);
        long raw = constTens.values.get(0);
        // Vela decides on the stored value; the value less its zero point and the scaling feed the bit-exact table.
        OpType newType;
        if (raw >= 0) {
            newType = OpType.LeakyRelu;
            op.alpha = raw;
            long alphaScalar = raw - (constTens.quant == null ? 0 : constTens.quant.zeroPoint());
            long[] s = FixedPoint.elementwiseMulScale(ifm.quant.scale(),
                    constTens.quant == null ? 1.0 : constTens.quant.scale(), mulOfm.quant.scale());
            op.alphaScaling = new long[]{alphaScalar, s[0], s[1]};
        } else if (raw == -1) {
            newType = OpType.Abs;
        } else {
            return op;
        }
        op.type = newType;
        op.name = op.name.replace("Maximum", newType.name());
        ofm.name = ofm.name.replace("Maximum", newType.name());
        op.clearInputs();
        op.addInput(sharedIn);
        op.setIfmOfmShapes();
        return op;
    }
}
