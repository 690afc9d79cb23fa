package npuc.frontend;

import npuc.graph.DataType;

/**
 * Operations whose result is known when compiling: a QUANTIZE of constant values (requantized int8 to int8 or
 * int16 to int16 as the reference kernel does, or quantized from float) and a SHAPE of a tensor of known rank
 * become constants.
 */
final class ConstantFolding {
    private ConstantFolding() {
    }

    static GraphOp foldQuantize(GraphOp op) {
        if (op.type != OpType.Quantize || !op.runOnNpu) {
            return op;
        }
        GraphTensor ifm = op.ifm();
        GraphTensor ofm = op.ofm();
        if (ifm.producers.isEmpty() || ifm.producers.get(0).type != OpType.Const || !ifm.isConst()) {
            return op;
        }
        ConstArray in = ifm.values;
        long n = in.size();
        long[] out = new long[(int) n];
        boolean sameIntType = ifm.type == ofm.type && (ifm.type == DataType.INT8 || ifm.type == DataType.INT16);
        if (sameIntType) {
            long[] m = SoftmaxTables.quantiseScale(ifm.quant.scale() / ofm.quant.scale());
            for (int i = 0; i < n; i++) {
                long v = FixedPoint.multiplyByQuantizedMultiplier(in.get(i) - ifm.quant.zeroPoint(), m[0], m[1])
                        + ofm.quant.zeroPoint();
                out[i] = Math.max(Math.min(v, ofm.quant.quantMax()), ofm.quant.quantMin());
            }
        } else if (ifm.type == DataType.FLOAT32 || ifm.type == DataType.FLOAT64) {
            for (int i = 0; i < n; i++) {
                double v = in.getDouble(i) / ofm.quant.scale() + ofm.quant.zeroPoint();
                v = Math.max(ofm.quant.quantMin(), Math.min(ofm.quant.quantMax(), v));
                // numpy's cast to an integer type truncates.
                out[i] = (long) v;
            }
        } else {
            return op;
        }
        ofm.values = ConstArray.of(ofm.type, ofm.shape, out);
        detach(op);
        return op;
    }

    /** SHAPE whose output holds as many values as its input has dimensions: a constant of the input's shape. */
    static GraphOp foldShape(GraphOp op) {
        if (op.type != OpType.Shape || !op.runOnNpu) {
            return op;
        }
        GraphTensor ifm = op.ifm();
        GraphTensor ofm = op.ofm();
        if (ofm.shape.length != 1 || ifm.shape.length != ofm.shape[0]) {
            return op;
        }
        long[] dims = new long[ifm.shape.length];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = ifm.shape[i];
        }
        DataType t = ofm.type == DataType.INT64 ? DataType.INT64 : DataType.INT32;
        ofm.values = ConstArray.of(t, ofm.shape, dims);
        detach(op);
        return op;
    }

    private static void detach(GraphOp op) {
        op.clearInputs();
        op.type = OpType.Const;
        op.typeChanged = true;
    }
}
