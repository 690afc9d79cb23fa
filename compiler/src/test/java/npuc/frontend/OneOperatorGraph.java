package npuc.frontend;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import npuc.graph.Buffer;
import npuc.graph.BuiltinOperator;
import npuc.graph.BuiltinOptions;
import npuc.graph.ConstantData;
import npuc.graph.DataType;
import npuc.graph.Graph;
import npuc.graph.Operator;
import npuc.graph.OperatorCode;
import npuc.graph.Quantization;
import npuc.graph.Subgraph;
import npuc.graph.Tensor;

/**
 * A graph of one operator, for testing the checks on exactly the tensors a case needs. Feature maps nothing
 * writes become subgraph inputs; {@link #orphan} tensors are neither written nor inputs.
 */
final class OneOperatorGraph {
    static final Quantization Q = Quantization.perTensor(0.05f, 0);

    private final BuiltinOperator type;
    private final BuiltinOptions options;
    private final List<Tensor> tensors = new ArrayList<>();
    private final List<Buffer> buffers = new ArrayList<>(List.of(Buffer.EMPTY));
    private final List<Integer> inputs = new ArrayList<>();
    private final List<Integer> outputs = new ArrayList<>();
    private final List<Integer> intermediates = new ArrayList<>();
    private final Set<Integer> orphans = new HashSet<>();

    private OneOperatorGraph(BuiltinOperator type, BuiltinOptions options) {
        this.type = type;
        this.options = options;
    }

    static OneOperatorGraph of(BuiltinOperator type, BuiltinOptions options) {
        return new OneOperatorGraph(type, options);
    }

    /** A feature-map input without data. */
    OneOperatorGraph in(String name, DataType type, Quantization q, int... shape) {
        inputs.add(add(name, type, q, null, false, shape));
        return this;
    }

    /** An omitted optional input (-1). */
    OneOperatorGraph none() {
        inputs.add(-1);
        return this;
    }

    /** A constant input of int values, stored in the type's width. */
    OneOperatorGraph constant(String name, DataType type, Quantization q, long[] values, int... shape) {
        inputs.add(add(name, type, q, encode(type, values), false, shape));
        return this;
    }

    /** An input nothing writes and that is not a subgraph input: a constant for Vela, data or not. */
    OneOperatorGraph orphan(String name, DataType type, Quantization q, int... shape) {
        int index = add(name, type, q, null, false, shape);
        orphans.add(index);
        inputs.add(index);
        return this;
    }

    /** A variable input (LSTM state). */
    OneOperatorGraph variable(String name, DataType type, Quantization q, int... shape) {
        int index = add(name, type, q, null, true, shape);
        orphans.add(index);
        inputs.add(index);
        return this;
    }

    OneOperatorGraph out(String name, DataType type, Quantization q, int... shape) {
        outputs.add(add(name, type, q, null, false, shape));
        return this;
    }

    /** An output with data (only to reach checks behind the dynamic-tensor check). */
    OneOperatorGraph constantOut(String name, DataType type, Quantization q, long[] values, int... shape) {
        outputs.add(add(name, type, q, encode(type, values), false, shape));
        return this;
    }

    OneOperatorGraph intermediate(String name, DataType type, Quantization q, int... shape) {
        int index = add(name, type, q, null, false, shape);
        orphans.add(index);
        intermediates.add(index);
        return this;
    }

    Graph build() {
        List<Integer> subgraphInputs = new ArrayList<>();
        for (int i : inputs) {
            if (i >= 0 && !orphans.contains(i) && buffers.get(tensors.get(i).buffer()).data().isEmpty()) {
                subgraphInputs.add(i);
            }
        }
        Operator op = new Operator(0, inputs, outputs, intermediates, options, null, List.of());
        Subgraph sg = new Subgraph("main", tensors, subgraphInputs, outputs, List.of(op));
        return new Graph(3, "test", List.of(new OperatorCode(type.code(), null, 1)), List.of(sg), buffers,
                List.of(), List.of());
    }

    OperatorPlacement semantic() {
        return OperatorSupport.semantic(build(), 0, 0);
    }

    OperatorPlacement supported() {
        return OperatorSupport.supported(build(), 0, 0);
    }

    private int add(String name, DataType type, Quantization q, byte[] data, boolean variable, int... shape) {
        int buffer = 0;
        if (data != null) {
            buffers.add(new Buffer(ConstantData.copyOf(data)));
            buffer = buffers.size() - 1;
        }
        List<Integer> dims = new ArrayList<>();
        for (int d : shape) {
            dims.add(d);
        }
        tensors.add(new Tensor(name, dims, null, type, buffer, q, variable, true));
        return tensors.size() - 1;
    }

    static byte[] encode(DataType type, long[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Math.max(1, type.bytes())).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            switch (type.bytes()) {
                case 1 -> b.put((byte) v);
                case 2 -> b.putShort((short) v);
                case 4 -> {
                    if (type == DataType.FLOAT32) {
                        b.putFloat(v);
                    } else {
                        b.putInt((int) v);
                    }
                }
                default -> b.putLong(v);
            }
        }
        return b.array();
    }

    /** {@code count} copies of {@code value}. */
    static long[] filled(int count, long value) {
        long[] v = new long[count];
        java.util.Arrays.fill(v, value);
        return v;
    }

    static long[] values(long... v) {
        return v;
    }

    static Quantization perAxis(int channels) {
        List<Float> scales = new ArrayList<>();
        List<Long> zeroPoints = new ArrayList<>();
        for (int c = 0; c < channels; c++) {
            scales.add(0.01f * (c + 1));
            zeroPoints.add(0L);
        }
        return new Quantization(List.of(), List.of(), scales, zeroPoints, 0);
    }
}
