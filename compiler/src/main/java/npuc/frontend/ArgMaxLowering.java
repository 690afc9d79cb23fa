package npuc.frontend;

import java.util.ArrayList;
import java.util.List;

import npuc.graph.DataType;

/**
 * ARG_MAX over depth as three NPU steps: a 1x1 depthwise convolution widens the values to 16 bits shifted left
 * by 7 with the reversed channel index added below (so ties go to the lowest index); a max over the channels
 * (a max pool over the ifm seen as (H*W) x C, in chunks of at most 2^16 rows); and a cast to the int32 ofm. The
 * max pool's 16-bit table keeps the 7 low bits and turns the reversed index back. An int64 ofm is written as
 * two int32 halves through memory copies.
 */
final class ArgMaxLowering {
    private final FrontEndContext ctx;

    ArgMaxLowering(FrontEndContext ctx) {
        this.ctx = ctx;
    }

    GraphOp convert(GraphOp op) {
        if (op.type != OpType.ArgMax) {
            return op;
        }
        GraphTensor ifm = op.inputs.get(0);
        GraphTensor ofm = op.outputs.get(0);
        Quant identity = Quant.of(1.0, 0, Short.MIN_VALUE, Short.MAX_VALUE);
        int[] withDepth = java.util.Arrays.copyOf(ofm.shape, ofm.shape.length + 1);
        withDepth[withDepth.length - 1] = 1;
        ofm.shape = withDepth;
        ofm.producers = new ArrayList<>();
        Shape4 in = ifm.shape4();
        int h = in.height();
        int w = in.width();
        int c = in.depth();
        String origName = op.name;

        op.name = origName + "_depthwise_conv_SHL_7";
        op.type = OpType.DepthwiseConv2DBias;
        op.padding = PaddingKind.VALID;
        op.strideW = 1;
        op.strideH = 1;
        op.dilationW = 1;
        op.dilationH = 1;
        op.depthMultiplier = 1;
        op.weightsReordered = true;
        op.clearInputs();
        op.addInput(ifm);
        op.addInput(ctx.constTensor("weights", ConstArray.filled(DataType.UINT8, new int[]{1, 1, 1, c}, 1 << 7),
                identity));
        long[] reversed = new long[c];
        for (int i = 0; i < c; i++) {
            reversed[i] = c - 1 - i;
        }
        op.addInput(ctx.constTensor(op.name + "_bias", new int[]{c}, DataType.INT64, null, reversed));
        GraphTensor shifted = ctx.newTensor("int16_and_shifted_7_bits_left", new int[]{in.batch(), h, w, c},
                DataType.INT16);
        shifted.quant = ifm.quant;
        op.setOutput(shifted);
        op.setIfmOfmShapes();

        // Slope -128 in the top 16 bits, base c - 1 in the bottom 16.
        long entry = ((long) (-128 & 0xFFFF) << 16) + (c - 1);
        long[] table = new long[512];
        java.util.Arrays.fill(table, entry);
        ConstArray lutValues = ConstArray.of(DataType.UINT32, new int[]{1, 1, 1, 512}, table);
        GraphTensor lut = ctx.constTensor("maxpool_LUT_extract_7_LSB", lutValues, null);
        lut.purpose = TensorPurpose.LUT;

        int maxHeight = (1 << 16) / w;
        List<Integer> heights = new ArrayList<>();
        for (int i = 0; i < h / maxHeight; i++) {
            heights.add(maxHeight);
        }
        if (h % maxHeight > 0) {
            heights.add(h % maxHeight);
        }
        GraphTensor pooled = ctx.newTensor("argmax_maxpool", new int[]{1, h * w, 1, 1}, DataType.INT16);
        pooled.quant = identity;
        int rowsBefore = 0;
        for (int i = 0; i < heights.size(); i++) {
            int rows = heights.get(i);
            GraphOp pool = new GraphOp(OpType.MaxPool, "dw_maxpool_" + i);
            pool.padding = PaddingKind.VALID;
            pool.filterW = c;
            pool.filterH = 1;
            pool.hasFilter = true;
            pool.addInput(shifted);
            pool.outputs = new ArrayList<>(List.of(pooled));
            pooled.producers.add(pool);
            pool.ifmShapes.add(new Shape4(1, h * w, c, 1));
            pool.ofmShapes.add(new Shape4(1, h * w, 1, 1));
            pool.activation = ActivationFunction.lut(lutValues);
            pool.addInput(lut);
            pool.readShapes[0] = new Shape4(1, rows * w, c, 1);
            pool.readOffsets[0] = new Shape4(0, rowsBefore * w, 0, 0);
            pool.writeShape = new Shape4(1, rows * w, 1, 1);
            pool.writeOffset = new Shape4(0, rowsBefore * w, 0, 0);
            rowsBefore += rows;
        }
        pooled.shape = new int[]{1, h, w, 1};

        SquaredDifferenceLowering casts = new SquaredDifferenceLowering(ctx);
        if (ofm.type == DataType.INT64) {
            GraphTensor wide = ctx.newTensor(origName + "_32bit", new int[]{1, h, w, 1}, DataType.INT32);
            casts.castOp(origName + "_cast_to_32bit_1", pooled, wide);
            GraphTensor halves16 = ctx.newTensor(origName + "_16bit_2x_size", new int[]{1, h, w, 2}, DataType.INT16);
            memcpy(origName + "_memcpy_1", wide, halves16);
            GraphTensor halves32 = ctx.newTensor(origName + "_32bit_2x_size", new int[]{1, h, w, 2}, DataType.INT32);
            casts.castOp(origName + "_cast_to_32bit_2", halves16, halves32);
            // Vela's name for this copy is literally "f{orig_name}_memcpy_2" (a format string it never formats).
            memcpy("f{orig_name}_memcpy_2", halves32, ofm);
        } else {
            casts.castOp(origName + "_cast_to_32bit_1", pooled, ofm);
        }
        return op;
    }

    private static void memcpy(String name, GraphTensor in, GraphTensor out) {
        GraphOp copy = new GraphOp(OpType.Memcpy, name);
        copy.addInput(in);
        copy.setOutput(out);
        copy.setIfmOfmShapes();
    }
}
