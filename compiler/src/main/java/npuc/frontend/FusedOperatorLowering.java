package npuc.frontend;

import java.util.ArrayList;
import java.util.List;

import npuc.graph.BuiltinOperator;
import npuc.graph.BuiltinOptions;
import npuc.graph.Operator;
import npuc.graph.Padding;

/**
 * Patterns TFLite's converter leaves for what the NPU does in one operation, collapsed into that operation and
 * checked again for NPU support: SPACE_TO_BATCH_ND, convolution, BATCH_TO_SPACE_ND is a dilated convolution;
 * DEQUANTIZE, EXP or LOG, QUANTIZE is a quantized EXP or LOG (a lookup table).
 */
final class FusedOperatorLowering {
    private final FrontEndContext ctx;
    private final int subgraph;

    FusedOperatorLowering(FrontEndContext ctx, int subgraph) {
        this.ctx = ctx;
        this.subgraph = subgraph;
    }

    private Operator original(GraphOp op) {
        return ctx.model.subgraphs().get(subgraph).operators().get(op.opIndex);
    }

    private static boolean isBuiltin(GraphOp op, BuiltinOperator b) {
        return op != null && op.builtin == b && op.opIndex != null;
    }

    private static GraphOp producer(GraphTensor t) {
        return t == null || t.producers.isEmpty() ? null : t.producers.get(0);
    }

    /** BATCH_TO_SPACE_ND of a convolution of a SPACE_TO_BATCH_ND: the convolution, dilated by the block shape. */
    GraphOp replaceDilatedConvolution(GraphOp post) {
        if (!isBuiltin(post, BuiltinOperator.BATCH_TO_SPACE_ND)) {
            return post;
        }
        GraphOp conv = producer(post.inputs.get(0));
        if (conv == null || conv.opIndex == null
                || (conv.type != OpType.Conv2DBias && conv.type != OpType.DepthwiseConv2DBias)) {
            return post;
        }
        GraphOp pre = producer(conv.inputs.get(0));
        if (!isBuiltin(pre, BuiltinOperator.SPACE_TO_BATCH_ND) || pre.inputs.get(1) == null
                || !pre.inputs.get(1).isConst()) {
            return post;
        }
        ConstArray block = pre.inputs.get(1).values;
        int blockH = (int) block.get(0);
        int blockW = (int) block.get(1);
        conv.padding = PaddingKind.SAME;
        conv.dilationH = blockH;
        conv.dilationW = blockW;
        conv.setOutput(post.outputs.get(0));
        conv.setInput(0, producer(pre.inputs.get(0)) == null ? pre.inputs.get(0)
                : producer(pre.inputs.get(0)).outputs.get(0));
        conv.setIfmOfmShapes();

        Operator convOp = original(conv);
        List<Integer> inputs = new ArrayList<>(convOp.inputs());
        inputs.set(0, original(pre).inputs().get(0));
        BuiltinOptions options = convOp.options();
        if (options instanceof BuiltinOptions.Conv2D c) {
            options = new BuiltinOptions.Conv2D(Padding.SAME, c.strideW(), c.strideH(), c.activation(), blockW, blockH);
        } else if (options instanceof BuiltinOptions.DepthwiseConv2D d) {
            options = new BuiltinOptions.DepthwiseConv2D(Padding.SAME, d.strideW(), d.strideH(), d.depthMultiplier(),
                    d.activation(), blockW, blockH);
        }
        OperatorPlacement p = OperatorSupport.supportedAsRewritten(ctx.model, subgraph, conv.opIndex, inputs,
                original(post).outputs(), options);
        conv.runOnNpu = p.onNpu();
        ctx.warn(p.lines());
        return conv;
    }

    /** QUANTIZE of EXP or LOG of DEQUANTIZE: the EXP or LOG, reading and writing the quantized tensors. */
    GraphOp mergeDequantizeLutQuantize(GraphOp quantize) {
        if (quantize.type != OpType.Quantize || quantize.opIndex == null) {
            return quantize;
        }
        GraphOp lut = producer(quantize.inputs.get(0));
        if (lut == null || (lut.type != OpType.Exp && lut.type != OpType.Log) || lut.opIndex == null) {
            return quantize;
        }
        GraphOp dequantize = producer(lut.inputs.get(0));
        if (dequantize == null || dequantize.type != OpType.Dequantize || dequantize.opIndex == null) {
            return quantize;
        }
        lut.setInput(0, dequantize.inputs.get(0));
        lut.setOutput(quantize.outputs.get(0));
        lut.setIfmOfmShapes();
        Operator lutOp = original(lut);
        List<Integer> inputs = new ArrayList<>(lutOp.inputs());
        inputs.set(0, original(dequantize).inputs().get(0));
        OperatorPlacement p = OperatorSupport.supportedAsRewritten(ctx.model, subgraph, lut.opIndex, inputs,
                original(quantize).outputs(), lutOp.options());
        lut.runOnNpu = p.onNpu();
        ctx.warn(p.lines());
        return lut;
    }

    /**
     * Dilation above 2 (the hardware's most) is built into the kernel: taps spread apart with zeros between,
     * leaving a hardware dilation of 2 for even factors (halving the spread) or 1 for odd ones.
     */
    static GraphOp fixupDilationAbove2(GraphOp op) {
        if ((op.type != OpType.Conv2DBias && op.type != OpType.DepthwiseConv2DBias)
                || (op.dilationW <= 2 && op.dilationH <= 2)) {
            return op;
        }
        GraphTensor w = op.weights();
        int[] s = w.values.shape();
        int kh = s[0];
        int kw = s[1];
        int ic = s[2];
        int oc = s[3];
        int hwH = (op.dilationH & 1) == 1 ? 1 : 2;
        int hwW = (op.dilationW & 1) == 1 ? 1 : 2;
        int scaleH = op.dilationH / hwH;
        int scaleW = op.dilationW / hwW;
        int nh = (kh - 1) * scaleH + 1;
        int nw = (kw - 1) * scaleW + 1;
        long[] values = new long[nh * nw * ic * oc];
        int inner = ic * oc;
        for (int h = 0; h < kh; h++) {
            for (int x = 0; x < kw; x++) {
                for (int i = 0; i < inner; i++) {
                    values[((h * scaleH) * nw + x * scaleW) * inner + i] = w.values.get((long) (h * kw + x) * inner + i);
                }
            }
        }
        w.values = ConstArray.of(w.values.type(), new int[]{nh, nw, ic, oc}, values);
        w.shape = w.values.shape();
        op.dilationH = hwH;
        op.dilationW = hwW;
        return op;
    }
}
