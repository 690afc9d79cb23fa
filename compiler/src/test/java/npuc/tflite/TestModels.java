package npuc.tflite;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import npuc.graph.Activation;
import npuc.graph.Buffer;
import npuc.graph.BuiltinOperator;
import npuc.graph.BuiltinOptions;
import npuc.graph.ConstantData;
import npuc.graph.DataType;
import npuc.graph.Graph;
import npuc.graph.Metadata;
import npuc.graph.Operator;
import npuc.graph.OperatorCode;
import npuc.graph.Padding;
import npuc.graph.Quantization;
import npuc.graph.SignatureDef;
import npuc.graph.Subgraph;
import npuc.graph.Tensor;

/** Small models built as Graph values, so the reader and writer are tested without outside files. */
final class TestModels {
    private TestModels() {
    }

    /**
     * An int8 image classifier: CONV_2D, DEPTHWISE_CONV_2D, AVERAGE_POOL_2D, RESHAPE, FULLY_CONNECTED,
     * SOFTMAX, with per-channel weights, a metadata entry and a signature.
     */
    static Graph convNet() {
        List<OperatorCode> codes = List.of(
                code(BuiltinOperator.CONV_2D), code(BuiltinOperator.DEPTHWISE_CONV_2D),
                code(BuiltinOperator.AVERAGE_POOL_2D), code(BuiltinOperator.RESHAPE),
                code(BuiltinOperator.FULLY_CONNECTED), code(BuiltinOperator.SOFTMAX));
        List<Buffer> buffers = new ArrayList<>();
        buffers.add(Buffer.EMPTY);
        List<Tensor> t = new ArrayList<>();
        t.add(activation("input", List.of(1, 8, 8, 3)));                                      // 0
        t.add(constant("conv/weights", List.of(4, 3, 3, 3), DataType.INT8, bytes(108, 1), buffers,
                perChannel(4, 3)));                                                               // 1
        t.add(constant("conv/bias", List.of(4), DataType.INT32, bytes(16, 7), buffers, perChannel(4, 3))); // 2
        t.add(activation("conv/out", List.of(1, 8, 8, 4)));                                   // 3
        t.add(constant("dw/weights", List.of(1, 3, 3, 4), DataType.INT8, bytes(36, 3), buffers,
                perChannel(4, 3)));                                                               // 4
        t.add(constant("dw/bias", List.of(4), DataType.INT32, bytes(16, 5), buffers, perChannel(4, 3))); // 5
        t.add(activation("dw/out", List.of(1, 4, 4, 4)));                                     // 6
        t.add(activation("pool/out", List.of(1, 1, 1, 4)));                                   // 7
        t.add(constant("reshape/shape", List.of(2), DataType.INT32, ints(1, 4), buffers, null)); // 8
        t.add(activation("reshape/out", List.of(1, 4)));                                      // 9
        t.add(constant("fc/weights", List.of(10, 4), DataType.INT8, bytes(40, 11), buffers,
                Quantization.perTensor(0.02f, 0)));                                               // 10
        t.add(constant("fc/bias", List.of(10), DataType.INT32, bytes(40, 13), buffers,
                Quantization.perTensor(0.0004f, 0)));                                             // 11
        t.add(activation("fc/out", List.of(1, 10)));                                          // 12
        t.add(activation("output", List.of(1, 10)));                                          // 13

        List<Operator> ops = List.of(
                op(0, List.of(0, 1, 2), 3, new BuiltinOptions.Conv2D(Padding.SAME, 1, 1, Activation.RELU6, 1, 1)),
                op(1, List.of(3, 4, 5), 6,
                        new BuiltinOptions.DepthwiseConv2D(Padding.VALID, 2, 2, 1, Activation.NONE, 1, 1)),
                op(2, List.of(6), 7, new BuiltinOptions.Pool2D(Padding.VALID, 4, 4, 4, 4, Activation.NONE)),
                op(3, List.of(7, 8), 9, new BuiltinOptions.Reshape(List.of(1, 4))),
                op(4, List.of(9, 10, 11), 12, new BuiltinOptions.FullyConnected(Activation.NONE, 0, false, false)),
                op(5, List.of(12), 13, new BuiltinOptions.Softmax(1.0f)));
        Subgraph main = new Subgraph("main", t, List.of(0), List.of(13), ops);

        buffers.add(new Buffer(ConstantData.copyOf("{\"labels\":10}".getBytes())));
        int metadataBuffer = buffers.size() - 1;
        return new Graph(3, "conv net built by the tests", codes, List.of(main), buffers,
                List.of(new Metadata("min_runtime_version", metadataBuffer)),
                List.of(new SignatureDef("serving_default", 0,
                        List.of(new SignatureDef.TensorMap("image", 0)),
                        List.of(new SignatureDef.TensorMap("scores", 13)))));
    }

    /** A float network of two fully connected layers with a tanh between, an ADD and a custom operator. */
    static Graph denseNet() {
        List<OperatorCode> codes = List.of(
                code(BuiltinOperator.FULLY_CONNECTED), code(BuiltinOperator.TANH), code(BuiltinOperator.ADD),
                new OperatorCode(BuiltinOperator.CUSTOM.code(), "MyCustomOp", 1),
                new OperatorCode(BuiltinOperator.GELU.code(), null, 1));
        List<Buffer> buffers = new ArrayList<>();
        buffers.add(Buffer.EMPTY);
        List<Tensor> t = new ArrayList<>();
        t.add(new Tensor("x", List.of(1, 16), List.of(-1, 16), DataType.FLOAT32, 0, null, false, true)); // 0
        t.add(constant("w1", List.of(8, 16), DataType.FLOAT32, floats(128), buffers, null));            // 1
        t.add(new Tensor("h", List.of(1, 8), null, DataType.FLOAT32, 0, null, false, false));           // 2
        t.add(new Tensor("a", List.of(1, 8), null, DataType.FLOAT32, 0, null, false, false));           // 3
        t.add(constant("w2", List.of(8, 8), DataType.FLOAT32, floats(64), buffers, null));              // 4
        t.add(constant("b2", List.of(8), DataType.FLOAT32, floats(8), buffers, null));                  // 5
        t.add(new Tensor("y", List.of(1, 8), null, DataType.FLOAT32, 0, null, false, false));           // 6
        t.add(new Tensor("z", List.of(1, 8), null, DataType.FLOAT32, 0, null, false, false));           // 7
        t.add(new Tensor("c", List.of(1, 8), null, DataType.FLOAT32, 0, null, false, false));           // 8
        t.add(new Tensor("g", List.of(1, 8), null, DataType.FLOAT32, 0, null, false, false));           // 9
        List<Operator> ops = List.of(
                op(0, List.of(0, 1, -1), 2, new BuiltinOptions.FullyConnected(Activation.NONE, 0, true, false)),
                op(1, List.of(2), 3, null),
                op(0, List.of(3, 4, 5), 6, new BuiltinOptions.FullyConnected(Activation.RELU, 0, false, true)),
                op(2, List.of(6, 3), 7, new BuiltinOptions.Add(Activation.NONE, true)),
                new Operator(3, List.of(7), List.of(8), List.of(), null,
                        ConstantData.copyOf(new byte[] {1, 2, 3, 4, 5}), List.of(false)),
                op(4, List.of(8), 9, new BuiltinOptions.Gelu(true)));
        Subgraph main = new Subgraph(null, t, List.of(0), List.of(9), ops);
        return new Graph(3, null, codes, List.of(main), buffers, List.of(), List.of());
    }

    static OperatorCode code(BuiltinOperator op) {
        return new OperatorCode(op.code(), null, 1);
    }

    static Operator op(int code, List<Integer> inputs, int output, BuiltinOptions options) {
        return new Operator(code, inputs, List.of(output), List.of(), options, null, List.of());
    }

    private static Tensor activation(String name, List<Integer> shape) {
        return new Tensor(name, shape, null, DataType.INT8, 0, Quantization.perTensor(0.05f, -3), false, false);
    }

    private static Tensor constant(String name, List<Integer> shape, DataType type, byte[] data, List<Buffer> buffers,
                                   Quantization q) {
        buffers.add(new Buffer(ConstantData.copyOf(data)));
        return new Tensor(name, shape, null, type, buffers.size() - 1, q, false, false);
    }

    private static Quantization perChannel(int channels, int dimension) {
        List<Float> scales = new ArrayList<>();
        List<Long> zeros = new ArrayList<>();
        for (int c = 0; c < channels; c++) {
            scales.add(0.01f * (c + 1));
            zeros.add(0L);
        }
        return new Quantization(List.of(-1.5f), List.of(1.5f), scales, zeros, dimension);
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed * 31 + i * 7);
        }
        return b;
    }

    private static byte[] ints(int... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            b.putInt(v);
        }
        return b.array();
    }

    private static byte[] floats(int n) {
        ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putFloat((i % 17 - 8) / 16f);
        }
        return b.array();
    }
}
