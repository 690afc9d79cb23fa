package npuc.frontend;

import static npuc.frontend.OneOperatorGraph.Q;
import static npuc.frontend.OneOperatorGraph.filled;
import static npuc.frontend.OneOperatorGraph.values;

import npuc.graph.Activation;
import npuc.graph.BuiltinOperator;
import npuc.graph.BuiltinOptions;
import npuc.graph.DataType;
import npuc.graph.Padding;

/** TRANSPOSE_CONV graphs as TFLite lays them out: output shape, weights [O, H, W, I], input, bias. */
final class TransposeConvGraphs {
    private TransposeConvGraphs() {
    }

    static OneOperatorGraph transposeConv(Padding padding, int strideW, int strideH, Activation activation,
                                          int[] in, int kernelW, int kernelH, int[] out) {
        long[] outputShape = new long[out.length];
        for (int i = 0; i < out.length; i++) {
            outputShape[i] = out[i];
        }
        int channels = out[3];
        return OneOperatorGraph.of(BuiltinOperator.TRANSPOSE_CONV,
                        new BuiltinOptions.TransposeConv(padding, strideW, strideH, activation, DataType.FLOAT32))
                .constant("shape", DataType.INT32, null, outputShape, 4)
                .constant("w", DataType.INT8, Q, filled(channels * kernelH * kernelW * in[3], 1), channels, kernelH,
                        kernelW, in[3])
                .in("x", DataType.INT8, Q, in)
                .constant("b", DataType.INT32, Q, values(new long[channels]), channels)
                .out("y", DataType.INT8, Q, out);
    }
}
