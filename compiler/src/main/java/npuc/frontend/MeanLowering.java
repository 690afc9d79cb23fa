package npuc.frontend;

import java.util.ArrayList;
import java.util.List;

import npuc.graph.DataType;

/**
 * MEAN as depthwise convolutions with all-ones weights summing into int32, then a Mul by an int32 multiplier
 * that divides by the number of elements and rescales as the reference kernel does. The kernel is at most 4096
 * elements and 64 rows: taller reductions are split into convolutions over bands of rows whose sums are added; a
 * tall reduction over both H and W that fits 4096 is read as one row. A reduction over depth is turned into one
 * over W (or H) by dropping a size-1 axis. Nothing to reduce: a copy.
 */
final class MeanLowering {
    private static final int MAX_KERNEL_ELEMENTS = 4096;
    private static final int MAX_KERNEL_HEIGHT = 64;

    private final FrontEndContext ctx;

    MeanLowering(FrontEndContext ctx) {
        this.ctx = ctx;
    }

    GraphOp convert(GraphOp op) {
        if (op.type != OpType.Mean || !op.runOnNpu) {
            return op;
        }
        GraphTensor ifm = op.inputs.get(0);
        GraphTensor axisTensor = op.inputs.get(1);
        GraphTensor ofm = op.ofm();
        int dims = ifm.shape.length;
        boolean[] reduce = new boolean[dims];
        for (int i = 0; i < axisTensor.values.size(); i++) {
            int a = (int) axisTensor.values.get(i);
            if (a >= 0 && a < dims) {
                reduce[a] = true;
            }
        }
        List<Integer> intermediate = new ArrayList<>();
        for (int d : ofm.shape) {
            intermediate.add(d);
        }
        if (ofm.shape.length < dims) {
            for (int i = 0; i < dims; i++) {
                if (reduce[i]) {
                    intermediate.add(i, 1);
                }
            }
        }
        List<Boolean> reduce4 = new ArrayList<>();
        List<Integer> ifm4 = new ArrayList<>();
        List<Integer> inter4 = new ArrayList<>();
        for (int i = 0; i < 4 - dims; i++) {
            reduce4.add(false);
            ifm4.add(1);
        }
        for (int i = 0; i < 4 - intermediate.size(); i++) {
            inter4.add(1);
        }
        for (int i = 0; i < dims; i++) {
            reduce4.add(reduce[i]);
            ifm4.add(ifm.shape[i]);
        }
        inter4.addAll(intermediate);

        boolean any = false;
        for (int i = 0; i < 4; i++) {
            any |= reduce4.get(i) && ifm4.get(i) > 1;
        }
        if (!any) {
            op.type = OpType.Memcpy;
            return op;
        }
        if (reduce4.get(3) && ifm4.get(3) > 1) {
            // Depth is reduced: drop the size-1 W (else H) axis and append a depth of 1.
            int drop = ifm4.get(2) == 1 ? 2 : 1;
            reduce4.remove(drop);
            ifm4.remove(drop);
            inter4.remove(drop);
            reduce4.add(false);
            ifm4.add(1);
            inter4.add(1);
        }
        int h = reduce4.get(1) ? ifm4.get(1) : 1;
        int w = reduce4.get(2) ? ifm4.get(2) : 1;
        int elements = h * w;
        if (h > MAX_KERNEL_HEIGHT && elements <= MAX_KERNEL_ELEMENTS && reduce4.get(1) && reduce4.get(2)) {
            ifm4 = new ArrayList<>(List.of(ifm4.get(0), 1, h * w, ifm4.get(3)));
            w = h * w;
            h = 1;
        }
        int rowsPerConv = Math.min(Math.min(MAX_KERNEL_ELEMENTS / w, h), MAX_KERNEL_HEIGHT);
        int convCount = (h + rowsPerConv - 1) / rowsPerConv;
        Shape4 ifmShape = Shape4.of(ifm4);
        int[] interShape = inter4.stream().mapToInt(Integer::intValue).toArray();
        List<GraphTensor> sums = new ArrayList<>();
        int b = ifmShape.batch();
        int c = ifmShape.depth();
        for (int i = 0; i < convCount; i++) {
            boolean last = i == convCount - 1;
            // Vela names the copies by appending the name to the name.
            GraphOp conv = op.copy(op.name + "_conv_" + i);
            conv.type = OpType.DepthwiseConv2DBias;
            conv.padding = PaddingKind.VALID;
            conv.strideW = 1;
            conv.strideH = 1;
            conv.dilationW = 1;
            conv.dilationH = 1;
            conv.depthMultiplier = 1;
            conv.activation = null;
            conv.explicitScalingShift = new int[]{0};
            conv.explicitScalingMultiplier = new int[]{1};
            GraphTensor sum = ctx.cloneTensor(ofm, "_conv_sum_" + i, true);
            sum.type = DataType.INT32;
            sum.shape = interShape.clone();
            sum.values = null;
            conv.setOutput(sum);
            int kernelH = last && h % rowsPerConv != 0 ? h % rowsPerConv : rowsPerConv;
            conv.readOffsets[0] = new Shape4(0, i * rowsPerConv, 0, 0);
            conv.readShapes[0] = ifmShape.withHeight(reduce4.get(1) ? kernelH : ifmShape.height())
                    .withWidth(reduce4.get(2) ? w : ifmShape.width());
            int[] weightShape = {kernelH, w, c, b};
            GraphTensor weights = ctx.constTensor(conv.name + "_weights", ConstArray.filled(DataType.UINT8,
                    weightShape, 1), Quant.of(1.0, 0, 0, 255));
            weights.equivalenceId = ctx.equivalenceIdFor("ones:" + (long) kernelH * w * c * b);
            DataType biasType = ifm.type == DataType.INT16 ? DataType.INT64 : DataType.INT32;
            GraphTensor bias = ctx.constTensor(conv.name + "_bias", ConstArray.filled(biasType, new int[]{c}, 0), null);
            bias.equivalenceId = ctx.equivalenceIdFor("zeros:" + c);
            conv.inputs = new ArrayList<>();
            conv.addInput(ifm);
            conv.addInput(weights);
            conv.addInput(bias);
            conv.setIfmOfmShapes();
            conv.ifmShapes.set(0, ifmShape);
            sums.add(sum);
        }
        GraphTensor total = sums.get(sums.size() - 1);
        if (sums.size() > 1) {
            GraphTensor previous = null;
            int idx = 0;
            List<GraphTensor> pending = new ArrayList<>(sums);
            while (!pending.isEmpty()) {
                GraphTensor a = pending.remove(pending.size() - 1);
                GraphTensor second = previous == null ? pending.remove(pending.size() - 1) : previous;
                GraphTensor out = ctx.cloneTensor(ofm, "_add_sum_" + idx, true);
                out.type = DataType.INT32;
                out.shape = interShape.clone();
                out.values = null;
                GraphOp add = new GraphOp(OpType.Add, op.name + "_add_" + idx);
                add.addInput(a);
                add.addInput(second);
                add.explicitScalingShift = new int[]{0};
                add.explicitScalingMultiplier = new int[]{1};
                add.setOutput(out);
                add.setIfmOfmShapes();
                previous = out;
                total = out;
                idx++;
            }
        }

        // The reference's multiplier: the ifm-to-ofm scale with 1/n folded in by shifting, the shift clamped.
        long[] q = SoftmaxTables.quantiseScale(ifm.quant.scale() / ofm.quant.scale());
        long outputShift = 31 - q[1];
        long shift = 63 - Long.numberOfLeadingZeros(elements);
        shift = Math.min(shift, 32);
        shift = Math.min(shift, 31 + outputShift);
        long multiplier = (q[0] << shift) / elements;
        outputShift -= shift;
        int velaShift = (int) (31 - outputShift);

        op.type = OpType.Mul;
        op.name = op.name + "_mul";
        GraphTensor scalar = ctx.constTensor(op.name + "_scalar", new int[]{1, 1, 1, 1}, DataType.INT32,
                Quant.of(1.0, 0, ModelImport.quantMin(DataType.INT32), ModelImport.quantMax(DataType.INT32)),
                multiplier);
        op.setInput(0, total);
        op.setInput(1, scalar);
        op.setIfmOfmShapes();
        op.ofmShapes.set(0, Shape4.of(interShape));
        op.explicitScalingShift = new int[]{velaShift};
        op.explicitScalingMultiplier = new int[]{1};
        return op;
    }
}
