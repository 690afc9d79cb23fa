package npuc.frontend;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;

import npuc.graph.DataType;

/**
 * 8-bit activations computed by a 256-entry lookup table: the op becomes an elementwise Add of a zero scalar
 * (a no-op marked as such) carrying the table as its activation, so it can later fuse into its producer.
 */
final class LutActivations {
    private final FrontEndContext ctx;

    LutActivations(FrontEndContext ctx) {
        this.ctx = ctx;
    }

    /** Sigmoid as the reference computes it: saturated to 0 and 1 beyond +-8. */
    static double clampedSigmoid(double x) {
        if (x <= -8) {
            return 0.0;
        }
        if (x >= 8) {
            return 1.0;
        }
        return 1.0 / (1.0 + Math.exp(-x));
    }

    GraphOp convertTanhSigmoid(GraphOp op) {
        if (op.type == OpType.Sigmoid) {
            return convertToLut8(op, LutActivations::clampedSigmoid, "sigmoid");
        } else if (op.type == OpType.Tanh) {
            return convertToLut8(op, Math::tanh, "tanh");
        }
        return op;
    }

    private GraphOp convertToLut8(GraphOp op, DoubleUnaryOperator fn, String fnName) {
        GraphTensor ifm = op.ifm();
        GraphTensor ofm = op.ofm();
        if ((ifm.type != DataType.UINT8 && ifm.type != DataType.INT8) || ifm.type != ofm.type) {
            return op;
        }
        double ifmScale = ifm.quant.scale();
        double ofmScale = ofm.quant.scale();
        long zpIn = ifm.quant.zeroPoint();
        long zpOut = ofm.quant.zeroPoint();
        int lo = ifm.type == DataType.UINT8 ? 0 : -128;
        long[] values = new long[256];
        for (int i = 0; i < 256; i++) {
            int x = lo + i;
            double y = fn.applyAsDouble(ifmScale * (x - zpIn));
            long r = SoftmaxTables.roundAwayZero(zpOut + y / ofmScale);
            values[i] = Math.min(lo + 255, Math.max(lo, r));
        }
        return convertToLut(op, values, fnName);
    }

    /**
     * EXP, LOG and SQRT (int8 or int16): a 256-entry table for int8, a 512-step base-and-slope table
     * (interpolated by the hardware) for int16. RSQRT (int8): the reference kernel's fixed-point 1/sqrt.
     */
    GraphOp convertOpsToLut(GraphOp op) {
        if (op.type == OpType.Rsqrt) {
            return convertToLut(op, rsqrtTable(op), "rsqrt");
        }
        DoubleUnaryOperator fn;
        String name;
        switch (op.type) {
            case Exp -> {
                fn = Math::exp;
                name = "exp";
            }
            case Log -> {
                fn = x -> Math.log(x == 0 ? Double.MIN_NORMAL : x);
                name = "log";
            }
            case Sqrt -> {
                fn = Math::sqrt;
                name = "sqrt";
            }
            default -> {
                return op;
            }
        }
        if (op.ifm().type == DataType.INT8) {
            return convertToLut(op, table8(op, fn), name);
        }
        if (op.ifm().type == DataType.INT16) {
            return convertToLut(op, table16(op, fn), name);
        }
        // Vela's checks let other types through and then stop on an assertion; this one goes to the CPU instead.
        String builtin = op.type.builtin() == null ? op.type.name() : op.type.builtin().name();
        ctx.warn(List.of("Warning: " + builtin + " '" + op.name + "' is not supported on the NPU. Placing on CPU instead",
                " - IFM must be int8 or int16", "   Op has ifm_dtype=" + Operand.typeName(op.ifm().type)));
        op.runOnNpu = false;
        return op;
    }

    /**
     * int8 RSQRT as TFLite computes it: 2^20/sqrt(x - zp) by Newton-Raphson in fixed point, rescaled by
     * 1/(sqrt(ifm scale) * ofm scale) (in float32, as Vela computes it) less the 2^20. The lowest input gives
     * the largest output; other inputs at or below the zero point give the output zero point.
     */
    private static long[] rsqrtTable(GraphOp op) {
        float ifmScale = (float) op.ifm().quant.scale();
        float ofmScale = (float) op.ofm().quant.scale();
        long zpIn = op.ifm().quant.zeroPoint();
        long zpOut = op.ofm().quant.zeroPoint();
        double scale = 1.0 / (double) ((float) Math.sqrt(ifmScale) * ofmScale);
        long[] m = SoftmaxTables.quantiseScale(scale);
        long[] values = new long[256];
        values[0] = 127;
        for (int x = -127; x < 128; x++) {
            long v = FixedPoint.referenceRsqrt(Math.max(0, x - zpIn));
            v = FixedPoint.multiplyByQuantizedMultiplier(v, m[0], m[1] + 20) + zpOut;
            values[x + 128] = Math.min(127, Math.max(-128, v));
        }
        return values;
    }

    /** 256 entries: the function of each int8 input, rounded away from zero in the output scale. */
    private static long[] table8(GraphOp op, DoubleUnaryOperator fn) {
        double ifmScale = op.ifm().quant.scale();
        double ofmScale = op.ofm().quant.scale();
        long zpIn = op.ifm().quant.zeroPoint();
        long zpOut = op.ofm().quant.zeroPoint();
        int lo = op.ifm().type == DataType.UINT8 ? 0 : -128;
        long[] values = new long[256];
        for (int i = 0; i < 256; i++) {
            double y = fn.applyAsDouble(ifmScale * (lo + i - zpIn));
            long r = SoftmaxTables.roundAwayZero(y / ofmScale) + zpOut;
            values[i] = Math.min(lo + 255, Math.max(lo, r));
        }
        return values;
    }

    /**
     * 512 entries of (slope << 16) + base over the int16 input range, each sample biased by half the error of
     * linear interpolation at the step's midpoint, as TFLite's int16 table generator does.
     */
    private static long[] table16(GraphOp op, DoubleUnaryOperator fn) {
        double ifmScale = op.ifm().quant.scale();
        double ofmScale = op.ofm().quant.scale();
        long zpIn = op.ifm().quant.zeroPoint();
        long zpOut = op.ofm().quant.zeroPoint();
        double inMin = ifmScale * (Short.MIN_VALUE - zpIn);
        double inMax = ifmScale * (Short.MAX_VALUE - zpIn);
        double outMin = ofmScale * (Short.MIN_VALUE - zpOut);
        double outMax = ofmScale * (Short.MAX_VALUE - zpOut);
        int steps = 512;
        double step = (inMax - inMin) / steps;
        double half = step / 2;
        double outInv = 65536.0 / (outMax - outMin);
        long[] samples = new long[steps + 1];
        for (int i = 0; i < steps; i++) {
            double v = fn.applyAsDouble(inMin + i * step);
            double mid = fn.applyAsDouble(inMin + i * step + half);
            double next = fn.applyAsDouble(inMin + (i + 1) * step);
            long sample = SoftmaxTables.roundAwayZero(v * outInv);
            long interpolated = SoftmaxTables.roundAwayZero((next * outInv + SoftmaxTables.roundAwayZero(v * outInv)) / 2);
            long midSample = SoftmaxTables.roundAwayZero(mid * outInv);
            long bias = SoftmaxTables.roundAwayZero((interpolated - midSample) / 2.0);
            samples[i] = Math.min(Math.max(sample - bias, Short.MIN_VALUE), Short.MAX_VALUE);
        }
        samples[steps] = Math.min(Math.max(SoftmaxTables.roundAwayZero(fn.applyAsDouble(inMax) * outInv),
                Short.MIN_VALUE), Short.MAX_VALUE);
        long[] lut = new long[steps];
        for (int i = 0; i < steps; i++) {
            lut[i] = ((samples[i + 1] - samples[i]) << 16) + samples[i];
        }
        return lut;
    }

    /** HARD_SWISH (8-bit): the table of TFLite's reference kernel, x * relu6(x + 3) / 6 in 16-bit fixed point. */
    GraphOp convertHardSwish(GraphOp op) {
        if (op.type != OpType.HardSwish) {
            return op;
        }
        GraphTensor ifm = op.ifm();
        GraphTensor ofm = op.ofm();
        double ifmScale = ifm.quant.scale();
        double ofmScale = ofm.quant.scale();
        long zpIn = ifm.quant.zeroPoint();
        long zpOut = ofm.quant.zeroPoint();
        double hires = ifmScale / 128;
        double reluMultiplier = 3.0 / 32768;
        long[] out = SoftmaxTables.quantiseScale(hires / ofmScale);
        long[] relu = SoftmaxTables.quantiseScale(hires / reluMultiplier);
        long outScale16 = FixedPoint.downscaleMultiplierInt32ToInt16(out[0]);
        long reluScale16 = FixedPoint.downscaleMultiplierInt32ToInt16(relu[0]);
        long reluShift = relu[1];
        int lo = ifm.type == DataType.UINT8 ? 0 : -128;
        long[] values = new long[256];
        for (int i = 0; i < 256; i++) {
            long x = lo + i;
            long inHires = (x - zpIn) * 128;
            long preshift = FixedPoint.saturatingRoundingMul16(inHires, outScale16);
            long reluValue = (short) inHires;
            if (reluShift < 31) {
                reluValue = FixedPoint.shiftLeft16(reluValue, 30 - reluShift);
            }
            reluValue = FixedPoint.saturatingRoundingMul16(reluValue, reluScale16);
            if (reluShift < 31) {
                reluValue = FixedPoint.shiftLeft16(reluValue, 1);
            }
            if (reluShift > 31) {
                reluValue = SoftmaxTables.roundingDivideByPot(reluValue, reluShift - 31);
            }
            // From [-1, 1] to [0, 1] in 16-bit fixed point.
            reluValue = (reluValue + (1 << 15)) >> 1;
            long result = FixedPoint.saturatingMul16(reluValue, preshift);
            long shift = 31 - out[1];
            shift = shift < 0 ? -shift : 0;
            result = SoftmaxTables.roundingDivideByPot(result, shift) + zpOut;
            values[i] = Math.min(lo + 255, Math.max(lo, result));
        }
        return convertToLut(op, values, "hardswish");
    }

    /**
     * LEAKY_RELU: alpha 0 is a Relu; 8-bit with the same type in and out is a table; int16 with equal scaling and a
     * positive alpha stays (the hardware has it); anything else becomes Mul and Maximum (see {@link ReluLowering}).
     */
    GraphOp convertLeakyRelu(GraphOp op) {
        if (op.type != OpType.LeakyRelu || op.ifm() == null || op.ofm() == null) {
            return op;
        }
        GraphTensor ifm = op.ifm();
        GraphTensor ofm = op.ofm();
        if (op.alpha == 0) {
            op.type = OpType.Relu;
            op.name = op.name.replace("LeakyRelu", "Relu");
            return op;
        }
        if ((ifm.type == DataType.UINT8 || ifm.type == DataType.INT8) && ifm.type == ofm.type) {
            return convertToLut(op, leakyReluTable(op), "lrelu");
        }
        if (ifm.quant != null && ifm.quant.sameScaling(ofm.quant) && ifm.type == DataType.INT16
                && ofm.type == DataType.INT16 && op.alpha > 0) {
            return op;
        }
        return new ReluLowering(ctx).leakyReluToMulMax(op);
    }

    private static long[] leakyReluTable(GraphOp op) {
        double ifmScale = op.ifm().quant.scale();
        double ofmScale = op.ofm().quant.scale();
        long zpIn = op.ifm().quant.zeroPoint();
        long zpOut = op.ofm().quant.zeroPoint();
        long[] identity = FixedPoint.elementwiseMulScale(ifmScale, 1, ofmScale);
        long alphaScalar = 1;
        long[] alphaScale = FixedPoint.elementwiseMulScale(ifmScale, op.alpha, ofmScale);
        if (op.alphaScaling != null) {
            alphaScalar = op.alphaScaling[0];
            alphaScale = new long[]{op.alphaScaling[1], op.alphaScaling[2]};
        }
        int lo = op.ifm().type == DataType.UINT8 ? 0 : -128;
        long[] values = new long[256];
        for (int i = 0; i < 256; i++) {
            long x = lo + i;
            long r;
            if (x < zpIn) {
                r = zpOut + FixedPoint.multiplyByQuantizedMultiplier(alphaScalar * (x - zpIn), alphaScale[0],
                        alphaScale[1]);
            } else {
                r = zpOut + FixedPoint.multiplyByQuantizedMultiplier(x - zpIn, identity[0], identity[1]);
            }
            values[i] = Math.min(lo + 255, Math.max(lo, r));
        }
        return values;
    }

    /** Rewrites {@code op} into an Add-with-zero no-op whose activation is the lookup table {@code values}. */
    GraphOp convertToLut(GraphOp op, long[] values, String lutName) {
        GraphTensor ifm = op.ifm();
        GraphTensor ofm = op.ofm();
        op.type = OpType.Add;
        op.name = op.name + "_lut_" + lutName;
        op.isNop = true;
        Quant zeroQuant = new Quant(ifm.quant.scales(), List.of(0L), ifm.quant.quantMin(), ifm.quant.quantMax());
        GraphTensor zero = ctx.constTensor(ifm.name + "_scalar0", new int[0], ifm.type, zeroQuant, 0);
        op.inputs = new ArrayList<>(List.of(ifm));
        op.addInput(zero);
        op.forcedOutputQuantization = ifm.quant;
        // int16 tables hold 32-bit base-and-slope words.
        ConstArray table = ofm.type == DataType.INT16
                ? ConstArray.of(DataType.INT32, new int[]{1, 1, 1, values.length}, values)
                : ConstArray.of(ofm.type, new int[]{1, 1, 1, values.length}, values);
        GraphTensor lut = ctx.constTensor(op.name + "_values", table, null);
        lut.purpose = TensorPurpose.LUT;
        op.addInput(lut);
        op.activation = ActivationFunction.lut(table);
        op.ifmShapes.clear();
        op.ofmShapes.clear();
        op.ifmShapes.add(ifm.shape4());
        op.ifmShapes.add(zero.shape4());
        op.ofmShapes.add(ofm.shape4());
        return op;
    }
}
