package npuc.tflite;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import com.google.flatbuffers.FlatBufferBuilder;

import npuc.graph.Buffer;
import npuc.graph.ConstantData;
import npuc.graph.Graph;
import npuc.graph.Metadata;
import npuc.graph.Operator;
import npuc.graph.OperatorCode;
import npuc.graph.Quantization;
import npuc.graph.SignatureDef;
import npuc.graph.Subgraph;
import npuc.graph.Tensor;
import npuc.schema.tflite.Model;
import npuc.schema.tflite.QuantizationParameters;
import npuc.schema.tflite.SubGraph;
import npuc.schema.tflite.TensorMap;

/**
 * Writes {@link Graph} values as TFLite flatbuffers (identifier "TFL3"). Constant data goes inside the
 * flatbuffer, 16-byte aligned, unless the file would pass the 2 GiB a flatbuffer can address; then,
 * as TFLite does, every non-empty buffer goes after the flatbuffer and its table records offset and
 * size instead.
 */
public final class TfliteWriter {
    /** The largest flatbuffer: offsets are signed 32-bit. */
    static final long FLATBUFFER_LIMIT = Integer.MAX_VALUE;
    /** The largest Java array, and so the largest model {@link #write(Graph)} can return. */
    private static final long ARRAY_LIMIT = Integer.MAX_VALUE - 8;
    private static final int ALIGNMENT = 16;

    private TfliteWriter() {
    }

    /**
     * The model as one byte array.
     *
     * @throws IllegalArgumentException when the model holds options npuc read but does not model
     *                                  ({@link npuc.graph.BuiltinOptions.Unmodelled}), or is too large
     *                                  for an array (use {@link #write(Graph, OutputStream)})
     */
    public static byte[] write(Graph graph) {
        return write(graph, FLATBUFFER_LIMIT);
    }

    /** Streams the model; unlike {@link #write(Graph)}, this handles models over 2 GiB. */
    public static void write(Graph graph, OutputStream out) throws IOException {
        Layout layout = layout(graph, FLATBUFFER_LIMIT);
        out.write(layout.flatbuffer);
        long position = layout.flatbuffer.length;
        byte[] chunk = new byte[64 * 1024];
        for (int i = 0; i < layout.outOfLine.size(); i++) {
            long offset = layout.outOfLineOffsets.get(i);
            out.write(new byte[(int) (offset - position)]);
            ByteBuffer data = layout.outOfLine.get(i).view();
            while (data.hasRemaining()) {
                int n = Math.min(chunk.length, data.remaining());
                data.get(chunk, 0, n);
                out.write(chunk, 0, n);
            }
            position = offset + layout.outOfLine.get(i).size();
        }
    }

    /**
     * As {@link #write(Graph)}, storing buffers after the flatbuffer when the flatbuffer would pass
     * {@code flatbufferLimit} bytes; tests pass a small limit to exercise that layout.
     */
    static byte[] write(Graph graph, long flatbufferLimit) {
        Layout layout = layout(graph, flatbufferLimit);
        if (layout.outOfLine.isEmpty()) {
            return layout.flatbuffer;
        }
        if (layout.totalSize > ARRAY_LIMIT) {
            throw new IllegalArgumentException("the model is " + layout.totalSize
                    + " bytes, more than a Java array holds; write it to a stream");
        }
        byte[] file = new byte[(int) layout.totalSize];
        System.arraycopy(layout.flatbuffer, 0, file, 0, layout.flatbuffer.length);
        for (int i = 0; i < layout.outOfLine.size(); i++) {
            layout.outOfLine.get(i).view().get(file, (int) (long) layout.outOfLineOffsets.get(i),
                    layout.outOfLine.get(i).size());
        }
        return file;
    }

    /** The flatbuffer, and the buffers stored after it with their file offsets. */
    private record Layout(byte[] flatbuffer, List<ConstantData> outOfLine, List<Long> outOfLineOffsets,
                          long totalSize) {
    }

    private static Layout layout(Graph graph, long flatbufferLimit) {
        long structure = structureEstimate(graph);
        long constants = 0;
        for (Buffer b : graph.buffers()) {
            constants += b.data().size() + ALIGNMENT;
        }
        if (structure + constants <= flatbufferLimit) {
            byte[] flatbuffer = new Encoder(graph, null, capacity(structure + constants)).encode();
            return new Layout(flatbuffer, List.of(), List.of(), flatbuffer.length);
        }
        // Two passes: the first, with placeholder offsets, fixes the flatbuffer's length; the second
        // writes the real offsets. Offsets are fixed-size fields, so both passes lay out the same.
        List<Long> placeholders = new ArrayList<>();
        for (Buffer b : graph.buffers()) {
            placeholders.add(b.data().isEmpty() ? 0L : 2L);
        }
        int firstLength = new Encoder(graph, placeholders, capacity(structure)).encode().length;
        List<Long> offsets = new ArrayList<>();
        List<ConstantData> outOfLine = new ArrayList<>();
        List<Long> outOfLineOffsets = new ArrayList<>();
        long position = firstLength;
        for (Buffer b : graph.buffers()) {
            if (b.data().isEmpty()) {
                offsets.add(0L);
                continue;
            }
            position = align(position);
            offsets.add(position);
            outOfLine.add(b.data());
            outOfLineOffsets.add(position);
            position += b.data().size();
        }
        byte[] flatbuffer = new Encoder(graph, offsets, capacity(structure)).encode();
        if (flatbuffer.length != firstLength) {
            throw new IllegalStateException("flatbuffer length changed between passes: " + firstLength + " then "
                    + flatbuffer.length);
        }
        return new Layout(flatbuffer, outOfLine, outOfLineOffsets, position);
    }

    private static long align(long position) {
        return (position + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    /**
     * An upper bound on the flatbuffer bytes of everything but constant data. The builder is sized
     * with it up front: a builder past 1 GiB cannot grow.
     */
    private static long structureEstimate(Graph graph) {
        long bytes = 64 * 1024;
        for (OperatorCode code : graph.operatorCodes()) {
            bytes += 64 + utf8Bound(code.customCode());
        }
        for (Subgraph subgraph : graph.subgraphs()) {
            bytes += 128 + utf8Bound(subgraph.name()) + 8L * (subgraph.inputs().size() + subgraph.outputs().size());
            for (Tensor t : subgraph.tensors()) {
                bytes += 96 + utf8Bound(t.name()) + 4L * t.shape().size()
                        + (t.shapeSignature() == null ? 0 : 8 + 4L * t.shapeSignature().size());
                Quantization q = t.quantization();
                if (q != null) {
                    bytes += 96 + 4L * (q.min().size() + q.max().size() + q.scale().size()) + 8L * q.zeroPoint().size();
                }
            }
            for (Operator op : subgraph.operators()) {
                bytes += 256 + 4L * (op.inputs().size() + op.outputs().size() + op.intermediates().size())
                        + op.mutatingVariableInputs().size()
                        + (op.customOptions() == null ? 0 : 8 + op.customOptions().size());
                if (op.options() != null) {
                    bytes += optionVectorBound(op);
                }
            }
        }
        bytes += 32L * graph.buffers().size() + utf8Bound(graph.description());
        for (Metadata m : graph.metadata()) {
            bytes += 32 + utf8Bound(m.name());
        }
        for (SignatureDef s : graph.signatureDefs()) {
            bytes += 64 + utf8Bound(s.key());
            for (SignatureDef.TensorMap map : s.inputs()) {
                bytes += 32 + utf8Bound(map.name());
            }
            for (SignatureDef.TensorMap map : s.outputs()) {
                bytes += 32 + utf8Bound(map.name());
            }
        }
        return bytes;
    }

    /** Options tables are small, but two carry a vector. */
    private static long optionVectorBound(Operator op) {
        if (op.options() instanceof npuc.graph.BuiltinOptions.Reshape r && r.newShape() != null) {
            return 8 + 4L * r.newShape().size();
        }
        if (op.options() instanceof npuc.graph.BuiltinOptions.Squeeze s && s.squeezeDims() != null) {
            return 8 + 4L * s.squeezeDims().size();
        }
        return 0;
    }

    private static long utf8Bound(String s) {
        return s == null ? 0 : 8 + 3L * s.length();
    }

    private static int capacity(long estimate) {
        return (int) Math.min(estimate, FLATBUFFER_LIMIT);
    }

    /** One pass of the builder. {@code bufferOffsets} is null for inline data, else per-buffer file offsets. */
    private static final class Encoder {
        private final Graph graph;
        private final List<Long> bufferOffsets;
        private final FlatBufferBuilder fbb;

        Encoder(Graph graph, List<Long> bufferOffsets, int capacity) {
            this.graph = graph;
            this.bufferOffsets = bufferOffsets;
            this.fbb = new FlatBufferBuilder(capacity);
        }

        byte[] encode() {
            int[] buffers = new int[graph.buffers().size()];
            for (int i = 0; i < buffers.length; i++) {
                buffers[i] = buffer(graph.buffers().get(i), i);
            }
            int[] codes = new int[graph.operatorCodes().size()];
            for (int i = 0; i < codes.length; i++) {
                codes[i] = operatorCode(graph.operatorCodes().get(i));
            }
            int[] subgraphs = new int[graph.subgraphs().size()];
            for (int i = 0; i < subgraphs.length; i++) {
                subgraphs[i] = subgraph(graph.subgraphs().get(i));
            }
            int description = graph.description() == null ? 0 : fbb.createString(graph.description());
            int metadata = 0;
            if (!graph.metadata().isEmpty()) {
                int[] entries = new int[graph.metadata().size()];
                for (int i = 0; i < entries.length; i++) {
                    entries[i] = metadata(graph.metadata().get(i));
                }
                metadata = Model.createMetadataVector(fbb, entries);
            }
            int signatures = 0;
            if (!graph.signatureDefs().isEmpty()) {
                int[] entries = new int[graph.signatureDefs().size()];
                for (int i = 0; i < entries.length; i++) {
                    entries[i] = signature(graph.signatureDefs().get(i));
                }
                signatures = Model.createSignatureDefsVector(fbb, entries);
            }
            int codeVector = Model.createOperatorCodesVector(fbb, codes);
            int subgraphVector = Model.createSubgraphsVector(fbb, subgraphs);
            int bufferVector = Model.createBuffersVector(fbb, buffers);

            Model.startModel(fbb);
            Model.addVersion(fbb, Integer.toUnsignedLong(graph.version()));
            Model.addOperatorCodes(fbb, codeVector);
            Model.addSubgraphs(fbb, subgraphVector);
            if (description != 0) {
                Model.addDescription(fbb, description);
            }
            Model.addBuffers(fbb, bufferVector);
            if (metadata != 0) {
                Model.addMetadata(fbb, metadata);
            }
            if (signatures != 0) {
                Model.addSignatureDefs(fbb, signatures);
            }
            Model.finishModelBuffer(fbb, Model.endModel(fbb));
            return fbb.sizedByteArray();
        }

        private int buffer(Buffer buffer, int index) {
            ConstantData data = buffer.data();
            if (bufferOffsets != null) {
                npuc.schema.tflite.Buffer.startBuffer(fbb);
                if (!data.isEmpty()) {
                    npuc.schema.tflite.Buffer.addOffset(fbb, bufferOffsets.get(index));
                    npuc.schema.tflite.Buffer.addSize(fbb, data.size());
                }
                return npuc.schema.tflite.Buffer.endBuffer(fbb);
            }
            int vector = 0;
            if (!data.isEmpty()) {
                // The schema asks for 16-byte aligned data, so runtimes can use it in place.
                ByteBuffer into = fbb.createUnintializedVector(1, data.size(), ALIGNMENT);
                into.put(data.view());
                vector = fbb.endVector();
            }
            npuc.schema.tflite.Buffer.startBuffer(fbb);
            if (vector != 0) {
                npuc.schema.tflite.Buffer.addData(fbb, vector);
            }
            return npuc.schema.tflite.Buffer.endBuffer(fbb);
        }

        private int operatorCode(OperatorCode code) {
            int custom = code.customCode() == null ? 0 : fbb.createString(code.customCode());
            npuc.schema.tflite.OperatorCode.startOperatorCode(fbb);
            // Readers that only know the byte field see codes past 127 as the placeholder 127.
            npuc.schema.tflite.OperatorCode.addDeprecatedBuiltinCode(fbb, (byte) Math.min(code.builtinCode(), 127));
            if (custom != 0) {
                npuc.schema.tflite.OperatorCode.addCustomCode(fbb, custom);
            }
            npuc.schema.tflite.OperatorCode.addVersion(fbb, code.version());
            npuc.schema.tflite.OperatorCode.addBuiltinCode(fbb, code.builtinCode());
            return npuc.schema.tflite.OperatorCode.endOperatorCode(fbb);
        }

        private int subgraph(Subgraph subgraph) {
            int[] tensors = new int[subgraph.tensors().size()];
            for (int i = 0; i < tensors.length; i++) {
                tensors[i] = tensor(subgraph.tensors().get(i));
            }
            int[] operators = new int[subgraph.operators().size()];
            for (int i = 0; i < operators.length; i++) {
                operators[i] = operator(subgraph.operators().get(i));
            }
            int tensorVector = SubGraph.createTensorsVector(fbb, tensors);
            int inputs = SubGraph.createInputsVector(fbb, ints(subgraph.inputs()));
            int outputs = SubGraph.createOutputsVector(fbb, ints(subgraph.outputs()));
            int operatorVector = SubGraph.createOperatorsVector(fbb, operators);
            int name = subgraph.name() == null ? 0 : fbb.createString(subgraph.name());
            SubGraph.startSubGraph(fbb);
            SubGraph.addTensors(fbb, tensorVector);
            SubGraph.addInputs(fbb, inputs);
            SubGraph.addOutputs(fbb, outputs);
            SubGraph.addOperators(fbb, operatorVector);
            if (name != 0) {
                SubGraph.addName(fbb, name);
            }
            return SubGraph.endSubGraph(fbb);
        }

        private int tensor(Tensor tensor) {
            int shape = npuc.schema.tflite.Tensor.createShapeVector(fbb, ints(tensor.shape()));
            int name = fbb.createString(tensor.name());
            int quantization = tensor.quantization() == null ? 0 : quantization(tensor.quantization());
            int signature = tensor.shapeSignature() == null ? 0
                    : npuc.schema.tflite.Tensor.createShapeSignatureVector(fbb, ints(tensor.shapeSignature()));
            npuc.schema.tflite.Tensor.startTensor(fbb);
            npuc.schema.tflite.Tensor.addShape(fbb, shape);
            npuc.schema.tflite.Tensor.addType(fbb, (byte) tensor.type().code());
            npuc.schema.tflite.Tensor.addBuffer(fbb, Integer.toUnsignedLong(tensor.buffer()));
            npuc.schema.tflite.Tensor.addName(fbb, name);
            if (quantization != 0) {
                npuc.schema.tflite.Tensor.addQuantization(fbb, quantization);
            }
            npuc.schema.tflite.Tensor.addIsVariable(fbb, tensor.variable());
            if (signature != 0) {
                npuc.schema.tflite.Tensor.addShapeSignature(fbb, signature);
            }
            npuc.schema.tflite.Tensor.addHasRank(fbb, tensor.hasRank());
            return npuc.schema.tflite.Tensor.endTensor(fbb);
        }

        private int quantization(Quantization q) {
            int min = q.min().isEmpty() ? 0 : QuantizationParameters.createMinVector(fbb, floats(q.min()));
            int max = q.max().isEmpty() ? 0 : QuantizationParameters.createMaxVector(fbb, floats(q.max()));
            int scale = q.scale().isEmpty() ? 0 : QuantizationParameters.createScaleVector(fbb, floats(q.scale()));
            int zeroPoint = q.zeroPoint().isEmpty() ? 0
                    : QuantizationParameters.createZeroPointVector(fbb, longs(q.zeroPoint()));
            QuantizationParameters.startQuantizationParameters(fbb);
            if (min != 0) {
                QuantizationParameters.addMin(fbb, min);
            }
            if (max != 0) {
                QuantizationParameters.addMax(fbb, max);
            }
            if (scale != 0) {
                QuantizationParameters.addScale(fbb, scale);
            }
            if (zeroPoint != 0) {
                QuantizationParameters.addZeroPoint(fbb, zeroPoint);
            }
            QuantizationParameters.addQuantizedDimension(fbb, q.quantizedDimension());
            return QuantizationParameters.endQuantizationParameters(fbb);
        }

        private int operator(Operator op) {
            int inputs = npuc.schema.tflite.Operator.createInputsVector(fbb, ints(op.inputs()));
            int outputs = npuc.schema.tflite.Operator.createOutputsVector(fbb, ints(op.outputs()));
            int options = op.options() == null ? 0 : BuiltinOptionsWriter.write(fbb, op.options());
            int custom = op.customOptions() == null ? 0 : fbb.createByteVector(op.customOptions().view());
            int mutating = op.mutatingVariableInputs().isEmpty() ? 0
                    : npuc.schema.tflite.Operator.createMutatingVariableInputsVector(fbb,
                    bools(op.mutatingVariableInputs()));
            int intermediates = op.intermediates().isEmpty() ? 0
                    : npuc.schema.tflite.Operator.createIntermediatesVector(fbb, ints(op.intermediates()));
            npuc.schema.tflite.Operator.startOperator(fbb);
            npuc.schema.tflite.Operator.addOpcodeIndex(fbb, Integer.toUnsignedLong(op.opcodeIndex()));
            npuc.schema.tflite.Operator.addInputs(fbb, inputs);
            npuc.schema.tflite.Operator.addOutputs(fbb, outputs);
            if (options != 0) {
                npuc.schema.tflite.Operator.addBuiltinOptionsType(fbb, (byte) op.options().unionType());
                npuc.schema.tflite.Operator.addBuiltinOptions(fbb, options);
            }
            if (custom != 0) {
                npuc.schema.tflite.Operator.addCustomOptions(fbb, custom);
            }
            if (mutating != 0) {
                npuc.schema.tflite.Operator.addMutatingVariableInputs(fbb, mutating);
            }
            if (intermediates != 0) {
                npuc.schema.tflite.Operator.addIntermediates(fbb, intermediates);
            }
            return npuc.schema.tflite.Operator.endOperator(fbb);
        }

        private int metadata(Metadata metadata) {
            int name = metadata.name() == null ? 0 : fbb.createString(metadata.name());
            npuc.schema.tflite.Metadata.startMetadata(fbb);
            if (name != 0) {
                npuc.schema.tflite.Metadata.addName(fbb, name);
            }
            npuc.schema.tflite.Metadata.addBuffer(fbb, Integer.toUnsignedLong(metadata.buffer()));
            return npuc.schema.tflite.Metadata.endMetadata(fbb);
        }

        private int signature(SignatureDef signature) {
            int inputs = npuc.schema.tflite.SignatureDef.createInputsVector(fbb, tensorMaps(signature.inputs()));
            int outputs = npuc.schema.tflite.SignatureDef.createOutputsVector(fbb, tensorMaps(signature.outputs()));
            int key = signature.key() == null ? 0 : fbb.createString(signature.key());
            npuc.schema.tflite.SignatureDef.startSignatureDef(fbb);
            npuc.schema.tflite.SignatureDef.addInputs(fbb, inputs);
            npuc.schema.tflite.SignatureDef.addOutputs(fbb, outputs);
            if (key != 0) {
                npuc.schema.tflite.SignatureDef.addSignatureKey(fbb, key);
            }
            npuc.schema.tflite.SignatureDef.addSubgraphIndex(fbb, Integer.toUnsignedLong(signature.subgraphIndex()));
            return npuc.schema.tflite.SignatureDef.endSignatureDef(fbb);
        }

        private int[] tensorMaps(List<SignatureDef.TensorMap> maps) {
            int[] out = new int[maps.size()];
            for (int i = 0; i < out.length; i++) {
                SignatureDef.TensorMap map = maps.get(i);
                int name = map.name() == null ? 0 : fbb.createString(map.name());
                TensorMap.startTensorMap(fbb);
                if (name != 0) {
                    TensorMap.addName(fbb, name);
                }
                TensorMap.addTensorIndex(fbb, Integer.toUnsignedLong(map.tensorIndex()));
                out[i] = TensorMap.endTensorMap(fbb);
            }
            return out;
        }
    }

    private static int[] ints(List<Integer> values) {
        int[] out = new int[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    private static float[] floats(List<Float> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    private static long[] longs(List<Long> values) {
        long[] out = new long[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    private static boolean[] bools(List<Boolean> values) {
        boolean[] out = new boolean[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}
