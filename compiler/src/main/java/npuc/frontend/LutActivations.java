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

    GraphOp convertTanhSigmoid(GraphOp op) {
        if (op.type == OpType.Sigmoid) {
            return convertToLut8(op, x -> 1.0 / (1.0 + Math.exp(-x)), "sigmoid");
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
        ConstArray table = ConstArray.of(ofm.type, new int[]{1, 1, 1, 256}, values);
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
