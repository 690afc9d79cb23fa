package npuc.frontend;

import java.util.ArrayList;
import java.util.List;

import npuc.graph.DataType;

/**
 * Vela's 8-bit softmax: 31 NPU operations. A depthwise max over the channels, exp by lookup table on the
 * difference, a sum, then 1/sum by count-leading-zeros normalisation and three Newton-Raphson rounds in
 * 32-bit fixed point, and a final multiply and shift into the output.
 */
final class SoftmaxLowering {
    private final FrontEndContext ctx;

    SoftmaxLowering(FrontEndContext ctx) {
        this.ctx = ctx;
    }

    GraphOp convert(GraphOp op) {
        if (op.type != OpType.Softmax || !op.runOnNpu) {
            return op;
        }
        GraphTensor ifm = op.ifm();
        GraphTensor ofm = op.ofm();
        Shape4 ifmShape = op.ifmShapes.get(0);
        if (ifmShape.batch() > 1) {
            ifmShape = ifmShape.withHeight(ifmShape.batch() * ifmShape.height()).withBatch(1);
            op.ifmShapes.set(0, ifmShape);
            op.ofmShapes.set(0, ifmShape);
        }
        boolean eightBit = (ifm.type == DataType.UINT8 || ifm.type == DataType.INT8) && ofm.type == ifm.type;
        if (eightBit) {
            return new Builder(op, ifm, ofm, ifmShape).build();
        }
        if (ifm.type == DataType.INT16 && ofm.type == DataType.INT16) {
            return new Builder(op, ifm, ofm, ifmShape).buildInt16();
        }
        op.runOnNpu = false;
        return op;
    }

    private final class Builder {
        final GraphOp op;
        final GraphTensor ifm;
        final GraphTensor ofm;
        final Shape4 ifmShape;
        final Quant noScale;
        final Quant oneScale;
        final Quant twoScale;
        final ActivationFunction clip;
        final ActivationFunction clip2;
        int pass;

        Builder(GraphOp op, GraphTensor ifm, GraphTensor ofm, Shape4 ifmShape) {
            this.op = op;
            this.ifm = ifm;
            this.ofm = ofm;
            this.ifmShape = ifmShape;
            Quant q = ifm.quant;
            noScale = q.withoutScale();
            oneScale = new Quant(List.of(1.0), List.of(0L), q.quantMin(), q.quantMax());
            twoScale = oneScale.withScale(2.0);
            clip = new ActivationFunction(OpType.Clip, (double) q.quantMin(), (double) q.quantMax(), null);
            clip2 = new ActivationFunction(OpType.Clip, 2.0 * q.quantMin(), 2.0 * q.quantMax(), null);
        }

        String name(String kind) {
            return op.name + "_" + kind + pass;
        }

        GraphTensor scalar(String name, long value, Quant quant) {
            return ctx.constTensor(name, new int[]{1, 1, 1, 1}, DataType.INT32, quant, value);
        }

        GraphTensor done(GraphOp made) {
            pass++;
            return made.ofm();
        }

        GraphOp binary(OpType type, String name, GraphTensor a, GraphTensor b, Quant quant, ActivationFunction act,
                       DataType dtype, Shape4 aShape, Shape4 bShape) {
            GraphOp e = new GraphOp(type, name);
            e.addInput(a);
            Shape4 s1 = aShape != null ? aShape : a.shape4();
            e.ifmShapes.add(s1);
            e.addInput(b);
            Shape4 s2 = bShape != null ? bShape : b.shape4();
            e.ifmShapes.add(s2);
            e.activation = act;
            Shape4 out = ifmFirst(a.shape.length == 0 ? null : s1, b.shape.length == 0 ? null : s2) ? s1 : s2;
            GraphTensor o = ctx.newTensor(name + "_tens0", out.toArray(), dtype == null ? a.type : dtype);
            o.quant = quant;
            e.setOutput(o);
            e.ofmShapes.add(out);
            return e;
        }

        GraphOp binary(OpType type, String name, GraphTensor a, GraphTensor b, Quant quant, ActivationFunction act) {
            return binary(type, name, a, b, quant, act, null, null, null);
        }

        GraphOp unary(OpType type, String name, GraphTensor a, Quant quant, ActivationFunction act) {
            GraphOp e = new GraphOp(type, name);
            e.addInput(a);
            e.ifmShapes.add(a.shape4());
            e.activation = act;
            int[] outShape = type == OpType.ReduceSum ? new int[]{1, a.shape[1], a.shape[2], 1} : a.shape;
            GraphTensor o = ctx.newTensor(name + "_tens0", outShape, type == OpType.ReduceSum ? DataType.INT32 : a.type);
            o.quant = quant;
            e.setOutput(o);
            e.ofmShapes.add(o.shape4());
            if (type == OpType.ReduceSum) {
                e.padding = PaddingKind.VALID;
                e.hasFilter = true;
            }
            return e;
        }

        GraphTensor lutTensor(String name, long[] table) {
            GraphTensor lut = ctx.constTensor(name, ConstArray.of(DataType.UINT32, new int[]{1, 1, 1, table.length},
                    table), null);
            lut.purpose = TensorPurpose.LUT;
            return lut;
        }

        /**
         * int16: 14 operations. Max, difference scaled by beta into [-10, 0], exp by interpolated table, sum,
         * count-leading-zeros normalisation of the sum into [1, 2), 1/x by a second table, multiply and shift.
         */
        GraphOp buildInt16() {
            GraphTensor ifmMax = done(depthwiseMax());
            Shape4 maxShape = new Shape4(1, ifmShape.height(), ifmShape.width(), 1);
            GraphTensor diff = done(binary(OpType.Sub, name("sub"), ifm, ifmMax, ifm.quant, null, DataType.INT32,
                    ifmShape, maxShape));
            String mulName = name("mul");
            double range = 10.0 / 65535.0;
            long betaScale = FixedPoint.elementwiseMulScale(diff.quant.scale(), op.beta, range)[0];
            GraphTensor betaConst = scalar(mulName + "_scale_const", betaScale, ifm.quant.withScale(op.beta));
            GraphTensor scaled = done(binary(OpType.Mul, mulName, diff, betaConst, ofm.quant.withScale(range), null));
            String addName = name("add");
            GraphOp add = binary(OpType.Add, addName, scaled, scalar(addName + "_const", 32767, noScale),
                    scaled.quant, null, DataType.INT16, null, null);
            long[] expTable = SoftmaxTables.interpolatedTable16(Math::exp, -10.0, 0.0);
            add.addInput(lutTensor(addName + "_exp_lut", expTable));
            add.activation = ActivationFunction.lut(ConstArray.of(DataType.UINT32, new int[]{1, 1, 1, 512}, expTable));
            GraphTensor ifmExp = done(add);
            GraphTensor sumOfExp = done(unary(OpType.ReduceSum, name("reduce_sum"), ifmExp, noScale, null));
            GraphTensor headroomPlusOne = done(unary(OpType.CLZ, name("clz"), sumOfExp, noScale, null));
            String subName = name("sub");
            GraphTensor rightShift = done(binary(OpType.Sub, subName, scalar(subName + "_const", 31, noScale),
                    headroomPlusOne, noScale, null));
            GraphTensor one = scalar("one_const", 1, noScale);
            GraphTensor constantOne = done(binary(OpType.SHL, name("shl"), one, rightShift, noScale, null));
            GraphTensor sumMinusOne = done(binary(OpType.Sub, name("sub"), sumOfExp, constantOne, noScale, null));
            GraphTensor shifted = done(binary(OpType.SHL, name("shl"), sumMinusOne, headroomPlusOne, noScale, null));
            String shrName = name("shr");
            GraphTensor shifted16 = done(binary(OpType.SHR, shrName, shifted, scalar(shrName + "_const", 15, noScale),
                    noScale, null));
            String sub11Name = name("sub");
            GraphOp sub11 = binary(OpType.Sub, sub11Name, shifted16, scalar(sub11Name + "_const", 32768, noScale),
                    noScale, null, DataType.INT16, null, null);
            long[] reciprocal = SoftmaxTables.interpolatedTable16(x -> 1.0 / (1.0 + x), 0.0, 1.0);
            sub11.addInput(lutTensor(sub11Name + "_one_over_one_plus_x_lut", reciprocal));
            sub11.activation = ActivationFunction.lut(ConstArray.of(DataType.UINT32, new int[]{1, 1, 1, 512},
                    reciprocal));
            GraphTensor reciprocalScale = done(sub11);
            GraphTensor product = done(binary(OpType.Mul, name("mul"), ifmExp, reciprocalScale, noScale, null,
                    DataType.INT32, null, null));
            GraphOp shr = new GraphOp(OpType.SHR, name("shr"));
            shr.addInput(product);
            shr.addInput(rightShift);
            shr.setOutput(ofm);
            shr.ifmShapes.add(product.shape4());
            shr.ifmShapes.add(rightShift.shape4());
            shr.ofmShapes.add(product.shape4());
            return shr;
        }

        GraphOp depthwiseMax() {
            GraphOp max = new GraphOp(OpType.MaxPool, name("maxpool"));
            int height = ifmShape.height() * ifmShape.width();
            int width = ifmShape.depth();
            max.padding = PaddingKind.VALID;
            max.filterW = width;
            max.filterH = 1;
            max.hasFilter = true;
            max.inputs = new ArrayList<>(List.of(ifm));
            GraphTensor maxOut = ctx.newTensor(max.name + "_tens0", new int[]{1, height, 1, 1}, ifm.type);
            maxOut.quant = noScale;
            max.setOutput(maxOut);
            max.ifmShapes.add(new Shape4(1, height, width, 1));
            max.ofmShapes.add(maxOut.shape4());
            return max;
        }

        GraphOp build() {
            GraphOp max = depthwiseMax();
            GraphTensor ifmMax = done(max);

            Quant subQuant = oneScale.withZeroPoint(127);
            GraphOp sub = binary(OpType.Sub, name("sub"), ifm, ifmMax, subQuant, null, DataType.INT32, ifmShape,
                    new Shape4(1, ifmShape.height(), ifmShape.width(), 1));
            ConstArray expTable = ConstArray.of(DataType.UINT32, new int[]{1, 1, 1, 256},
                    SoftmaxTables.expTable(op.beta, ifm.quant.scale()));
            GraphTensor lut = ctx.constTensor(sub.name + "_exp_lut", expTable, null);
            lut.purpose = TensorPurpose.LUT;
            sub.addInput(lut);
            GraphTensor ifmExp = done(sub);
            long zp = ifmExp.quant.zeroPoint();
            sub.activation = new ActivationFunction(OpType.Lut, (double) (-128 - zp), (double) (127 - zp), expTable);

            String shrName = name("shr");
            GraphOp shr = binary(OpType.SHR, shrName, ifmExp, scalar(shrName + "_const", 12, noScale), noScale, clip);
            shr.roundingMode = RoundingMode.HALF_UP;
            GraphTensor rescaledExp = done(shr);
            GraphTensor sumOfExp = done(unary(OpType.ReduceSum, name("reduce_sum"), rescaledExp, noScale, clip));
            GraphTensor headroomPlusOne = done(unary(OpType.CLZ, name("clz"), sumOfExp, noScale, clip));
            GraphTensor rightShift = done(binary(OpType.Sub, name("sub"),
                    scalar("headroom_offset_const", 12 + 31 - 8, noScale), headroomPlusOne, noScale, clip));
            GraphTensor one = scalar("one_const", 1, noScale);
            GraphTensor headroom = done(binary(OpType.Sub, name("sub"), headroomPlusOne, one, noScale, clip));
            GraphTensor shiftedSum = done(binary(OpType.SHL, name("shl"), sumOfExp, headroom, noScale, clip));
            GraphTensor shiftedSumMinusOne = done(binary(OpType.Sub, name("sub"), shiftedSum,
                    scalar("shifted_one_const", 1L << 30, noScale), noScale, clip));
            shiftedSumMinusOne = done(binary(OpType.SHL, name("shl"), shiftedSumMinusOne, one, noScale, clip));
            GraphOp add = binary(OpType.Add, name("add"), shiftedSumMinusOne,
                    scalar("F0_one_const", (1L << 31) - 1, noScale), oneScale, clip);
            add.explicitScalingShift = new int[]{1};
            add.explicitScalingMultiplier = new int[]{1};
            GraphTensor halfDenominator = done(add);
            GraphTensor rescaled = done(binary(OpType.Mul, name("mul"), halfDenominator,
                    scalar("neg_32_over_17_const", -1010580540, oneScale), twoScale, clip2));
            GraphTensor nrX = done(binary(OpType.Add, name("add"), rescaled,
                    scalar("48_over_17_const", 1515870810, noScale), oneScale, clip));
            GraphTensor f2One = scalar("F2_one_const", 1L << 29, noScale);
            GraphTensor four = scalar("four_const", 4, noScale);
            for (int i = 0; i < 3; i++) {
                GraphTensor hdx = done(binary(OpType.Mul, name("mul"), nrX, halfDenominator, twoScale, clip2));
                GraphTensor oneMinus = done(binary(OpType.Sub, name("sub"), f2One, hdx, oneScale, clip));
                GraphTensor toRescale = done(binary(OpType.Mul, name("mul"), nrX, oneMinus, twoScale, clip2));
                GraphTensor toAdd = done(binary(OpType.Mul, name("mul"), toRescale, four, noScale, clip));
                nrX = done(binary(OpType.Add, name("add"), nrX, toAdd, oneScale, clip));
            }
            GraphTensor scaleFactor = done(binary(OpType.Mul, name("mul"), nrX, scalar("two_const", 2, noScale),
                    oneScale, clip));
            GraphTensor scaledExp = done(binary(OpType.Mul, name("mul"), ifmExp, scaleFactor, twoScale, clip2));

            GraphOp shr30 = new GraphOp(OpType.SHR, name("shr"));
            shr30.roundingMode = RoundingMode.HALF_UP;
            shr30.addInput(scaledExp);
            shr30.addInput(rightShift);
            shr30.setOutput(ofm);
            shr30.ifmShapes.add(scaledExp.shape4());
            shr30.ifmShapes.add(rightShift.shape4());
            shr30.ofmShapes.add(scaledExp.shape4());
            return shr30;
        }
    }

    /**
     * Whether the first operand of a binary elementwise op can stay first: Vela puts the operand with the
     * full (broadcast) shape first, a scalar (null shape) never.
     */
    static boolean ifmFirst(Shape4 a, Shape4 b) {
        if (a == null) {
            return false;
        }
        if (b == null) {
            return true;
        }
        for (int i = 0; i < 4; i++) {
            if (a.get(i) < b.get(i)) {
                return false;
            }
        }
        return true;
    }
}
