package npuc.tflite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import com.google.flatbuffers.FlatBufferBuilder;

import npuc.graph.Graph;
import npuc.graph.Metadata;
import npuc.graph.Operator;
import npuc.graph.SignatureDef;
import npuc.graph.Subgraph;
import npuc.graph.Tensor;
import npuc.schema.tflite.Conv2DOptions;
import npuc.schema.tflite.Model;
import npuc.schema.tflite.OperatorCode;
import npuc.schema.tflite.SubGraph;

/** One test per kind of defect: each must fail with a ModelFormatException saying what and where. */
class MalformedModelTest {

    @Test
    void fileTooShort() {
        assertRejected(new byte[] {0x10, 0, 0, 0}, "the file is 4 bytes, too short for a TFLite model");
    }

    @Test
    void randomBytesAreNotAModel() {
        byte[] noise = new byte[1000];
        new Random(7).nextBytes(noise);
        assertRejected(noise, "not a TFLite model: the file identifier is");
    }

    @Test
    void randomBytesBehindAValidIdentifier() {
        Random random = new Random(11);
        for (int i = 0; i < 500; i++) {
            byte[] noise = new byte[8 + random.nextInt(400)];
            random.nextBytes(noise);
            System.arraycopy("TFL3".getBytes(StandardCharsets.US_ASCII), 0, noise, 4, 4);
            ModelFormatException e = assertThrows(ModelFormatException.class, () -> TfliteReader.read(noise));
            assertTrue(e.getMessage().contains(": "), "message names a location: " + e.getMessage());
        }
    }

    @Test
    void wrongSchemaVersion() {
        byte[] file = new RawModel().version(2).build();
        assertRejected(file, "model: schema version 2, but npuc reads version 3");
    }

    @Test
    void truncatedFile() {
        byte[] file = TfliteWriter.write(TestModels.convNet());
        // The builder writes constant data first, which puts it at the end of the file.
        assertRejected(Arrays.copyOf(file, file.length - 64), "past the end of the file (" + (file.length - 64) + " bytes)");
        assertRejected(Arrays.copyOf(file, 40), "past the end of the file (40 bytes)");
    }

    @Test
    void rootOffsetOutOfRange() {
        byte[] file = TfliteWriter.write(TestModels.convNet());
        ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 0x7fff0000);
        assertRejected(file, "model: the root table offset 2147418112 lies outside the file");
    }

    @Test
    void hugeVectorLength() {
        byte[] file = withMarkedShape();
        putInt(file, markedShapeLengthPosition(file), 0x7fffffff);
        assertRejected(file, "subgraph 0 tensor 0: vector shape of 2147483647 elements at offset");
    }

    @Test
    void negativeVectorLength() {
        byte[] file = withMarkedShape();
        putInt(file, markedShapeLengthPosition(file), -5);
        assertRejected(file, "subgraph 0 tensor 0: vector shape has negative length -5");
    }

    @Test
    void stringRunsPastTheEnd() {
        Graph graph = withTensor(TestModels.convNet(), 3, new Tensor("UNIQUE_NAME_FOR_TEST", List.of(1, 8, 8, 4),
                null, npuc.graph.DataType.INT8, 0, null, false, false));
        byte[] file = TfliteWriter.write(graph);
        int name = indexOf(file, "UNIQUE_NAME_FOR_TEST".getBytes(StandardCharsets.US_ASCII));
        putInt(file, name - 4, 0x00ffffff);
        assertRejected(file, "subgraph 0 tensor 3: an offset or length points past the end of the file");
    }

    @Test
    void tablesSharedManyTimesExhaustTheBudgetQuickly() {
        // One tensor with a 20 000-entry shape, referenced 100 000 times: a 480 kB file that would
        // decode into 8 GB of shapes.
        FlatBufferBuilder fbb = new FlatBufferBuilder(1 << 20);
        int shape = npuc.schema.tflite.Tensor.createShapeVector(fbb, new int[20_000]);
        npuc.schema.tflite.Tensor.startTensor(fbb);
        npuc.schema.tflite.Tensor.addShape(fbb, shape);
        int tensor = npuc.schema.tflite.Tensor.endTensor(fbb);
        int[] tensors = new int[100_000];
        Arrays.fill(tensors, tensor);
        int tensorVector = SubGraph.createTensorsVector(fbb, tensors);
        SubGraph.startSubGraph(fbb);
        SubGraph.addTensors(fbb, tensorVector);
        int subgraph = SubGraph.endSubGraph(fbb);
        byte[] file = finishModel(fbb, new int[0], new int[] {subgraph}, new int[] {emptyBuffer(fbb)}, 3);
        assertTimeoutPreemptively(Duration.ofSeconds(5), () ->
                assertRejected(file, "the model's tables refer to far more data than the file holds"));
    }

    @Test
    void operatorRefersToMissingTensor() {
        Graph graph = withOperator(TestModels.convNet(), 1, ops -> new Operator(1, List.of(3, 140, 5), List.of(6),
                List.of(), ops.options(), null, List.of()));
        assertRejected(TfliteWriter.write(graph),
                "subgraph 0 operator 1 (DEPTHWISE_CONV_2D): input 1 refers to tensor 140, but the subgraph has 14 tensors");
    }

    @Test
    void operatorOutputRefersToMissingTensor() {
        Graph graph = withOperator(TestModels.convNet(), 5, ops -> new Operator(5, List.of(12), List.of(-1),
                List.of(), ops.options(), null, List.of()));
        assertRejected(TfliteWriter.write(graph),
                "subgraph 0 operator 5 (SOFTMAX): output 0 refers to tensor -1, but the subgraph has 14 tensors");
    }

    @Test
    void operatorRefersToMissingOperatorCode() {
        Graph graph = withOperator(TestModels.convNet(), 2, ops -> new Operator(9, ops.inputs(), ops.outputs(),
                List.of(), ops.options(), null, List.of()));
        assertRejected(TfliteWriter.write(graph),
                "subgraph 0 operator 2: refers to operator code 9, but the model has 6 operator codes");
    }

    @Test
    void tensorRefersToMissingBuffer() {
        Graph conv = TestModels.convNet();
        Tensor weights = conv.subgraphs().get(0).tensors().get(1);
        Graph graph = withTensor(conv, 1, new Tensor(weights.name(), weights.shape(), null, weights.type(), 99,
                weights.quantization(), false, false));
        assertRejected(TfliteWriter.write(graph), "subgraph 0 tensor 1 (conv/weights): refers to buffer 99, but the model has "
                + conv.buffers().size() + " buffers");
    }

    @Test
    void subgraphInputsAndOutputsOutOfRange() {
        Graph conv = TestModels.convNet();
        Subgraph main = conv.subgraphs().get(0);
        Graph badInput = withSubgraph(conv, new Subgraph(main.name(), main.tensors(), List.of(50), main.outputs(),
                main.operators()));
        assertRejected(TfliteWriter.write(badInput), "subgraph 0: input 0 refers to tensor 50, but the subgraph has 14 tensors");
        Graph badOutput = withSubgraph(conv, new Subgraph(main.name(), main.tensors(), main.inputs(), List.of(13, 14),
                main.operators()));
        assertRejected(TfliteWriter.write(badOutput),
                "subgraph 0: output 1 refers to tensor 14, but the subgraph has 14 tensors");
    }

    @Test
    void operatorsFormingACycle() {
        Graph conv = TestModels.convNet();
        Subgraph main = conv.subgraphs().get(0);
        // The depthwise convolution now runs first and reads the convolution's output.
        List<Operator> swapped = new ArrayList<>(main.operators());
        swapped.set(0, main.operators().get(1));
        swapped.set(1, main.operators().get(0));
        assertRejected(TfliteWriter.write(withSubgraph(conv, new Subgraph(main.name(), main.tensors(), main.inputs(),
                main.outputs(), swapped))),
                "subgraph 0 operator 0 (DEPTHWISE_CONV_2D): input 0 is tensor 3, produced by operator 1 (CONV_2D),"
                        + " which runs later: the operators form a cycle");

        Graph selfLoop = withOperator(conv, 2, op -> new Operator(2, List.of(7), List.of(7), List.of(), op.options(),
                null, List.of()));
        assertRejected(TfliteWriter.write(selfLoop),
                "subgraph 0 operator 2 (AVERAGE_POOL_2D): input 0 is tensor 7, produced by this operator itself");
    }

    @Test
    void metadataAndSignatureReferencesOutOfRange() {
        Graph conv = TestModels.convNet();
        Graph badMetadata = new Graph(3, null, conv.operatorCodes(), conv.subgraphs(), conv.buffers(),
                List.of(new Metadata("min_runtime_version", 40)), List.of());
        assertRejected(TfliteWriter.write(badMetadata),
                "metadata 0 (min_runtime_version): refers to buffer 40, but the model has 9 buffers");
        Graph badSignature = new Graph(3, null, conv.operatorCodes(), conv.subgraphs(), conv.buffers(), List.of(),
                List.of(new SignatureDef("serving_default", 0, List.of(new SignatureDef.TensorMap("image", 77)),
                        List.of())));
        assertRejected(TfliteWriter.write(badSignature),
                "signature def 0 (serving_default): image refers to tensor 77, but subgraph 0 has 14 tensors");
    }

    @Test
    void unknownTensorType() {
        assertRejected(new RawModel().tensorType(99).build(), "subgraph 0 tensor 0: unknown tensor type 99");
    }

    @Test
    void unknownActivationInOptions() {
        assertRejected(new RawModel().activation(42).build(),
                "subgraph 0 operator 0 (CONV_2D) builtin options: unknown fused_activation_function 42");
    }

    @Test
    void unknownCustomOptionsFormat() {
        assertRejected(new RawModel().customOptionsFormat(3).build(),
                "subgraph 0 operator 0 (CONV_2D): unknown custom_options_format 3");
    }

    @Test
    void bufferStoredOutsideTheFile() {
        assertRejected(new RawModel().outOfLineBuffer(1_000_000, 10).build(),
                "buffer 1: data stored after the flatbuffer at offset 1000000, size 10 lies outside the file");
    }

    @Test
    void rawModelWithoutDefectsReads() throws Exception {
        Graph graph = TfliteReader.read(new RawModel().build());
        assertEquals(1, graph.operatorCount());
        assertEquals(npuc.graph.Activation.RELU, ((npuc.graph.BuiltinOptions.Conv2D)
                graph.subgraphs().get(0).operators().get(0).options()).activation());
    }

    // ---- Helpers -----------------------------------------------------------------------------------

    static void assertRejected(byte[] file, String expected) {
        Executable read = () -> TfliteReader.read(file);
        ModelFormatException e = assertThrows(ModelFormatException.class, read);
        assertTrue(e.getMessage().contains(expected), "expected \"" + expected + "\" in: " + e.getMessage());
    }

    private static final int MARK_A = 7_777_777;
    private static final int MARK_B = 8_888_888;

    private static byte[] withMarkedShape() {
        Graph conv = TestModels.convNet();
        Tensor input = conv.subgraphs().get(0).tensors().get(0);
        return TfliteWriter.write(withTensor(conv, 0, new Tensor(input.name(), List.of(1, MARK_A, MARK_B, 3), null,
                input.type(), 0, input.quantization(), false, false)));
    }

    /** The length prefix of the shape vector [1, MARK_A, MARK_B, 3]. */
    private static int markedShapeLengthPosition(byte[] file) {
        ByteBuffer mark = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(MARK_A).putInt(MARK_B);
        return indexOf(file, mark.array()) - 8;
    }

    private static int indexOf(byte[] file, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= file.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (file[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("pattern not in file");
    }

    private static void putInt(byte[] file, int position, int value) {
        ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putInt(position, value);
    }

    static Graph withTensor(Graph g, int index, Tensor tensor) {
        Subgraph main = g.subgraphs().get(0);
        List<Tensor> tensors = new ArrayList<>(main.tensors());
        tensors.set(index, tensor);
        return withSubgraph(g, new Subgraph(main.name(), tensors, main.inputs(), main.outputs(), main.operators()));
    }

    static Graph withOperator(Graph g, int index, java.util.function.UnaryOperator<Operator> change) {
        Subgraph main = g.subgraphs().get(0);
        List<Operator> ops = new ArrayList<>(main.operators());
        ops.set(index, change.apply(ops.get(index)));
        return withSubgraph(g, new Subgraph(main.name(), main.tensors(), main.inputs(), main.outputs(), ops));
    }

    static Graph withSubgraph(Graph g, Subgraph subgraph) {
        return new Graph(g.version(), g.description(), g.operatorCodes(), List.of(subgraph), g.buffers(), g.metadata(),
                g.signatureDefs());
    }

    /**
     * A one-operator model written field by field with the generated builder, for defects a Graph
     * cannot hold (unknown enum codes, bad out-of-line offsets).
     */
    static final class RawModel {
        private int tensorType = npuc.graph.DataType.INT8.code();
        private int activation = npuc.graph.Activation.RELU.code();
        private int customOptionsFormat;
        private long bufferOffset;
        private long bufferSize;
        private long version = 3;

        RawModel tensorType(int code) {
            tensorType = code;
            return this;
        }

        RawModel activation(int code) {
            activation = code;
            return this;
        }

        RawModel customOptionsFormat(int code) {
            customOptionsFormat = code;
            return this;
        }

        RawModel outOfLineBuffer(long offset, long size) {
            bufferOffset = offset;
            bufferSize = size;
            return this;
        }

        RawModel version(long v) {
            version = v;
            return this;
        }

        byte[] build() {
            FlatBufferBuilder fbb = new FlatBufferBuilder(1024);
            int options = Conv2DOptions.createConv2DOptions(fbb, (byte) 0, 1, 1, (byte) activation, 1, 1);
            return rawModel(fbb, options, 1, this);
        }
    }

    /** A model of one CONV_2D-coded operator whose options table, already built in fbb, has the given union code. */
    static byte[] rawModel(FlatBufferBuilder fbb, int options, int unionType) {
        return rawModel(fbb, options, unionType, new RawModel());
    }

    private static byte[] rawModel(FlatBufferBuilder fbb, int options, int unionType, RawModel raw) {
        int[] tensors = new int[2];
        for (int i = 0; i < 2; i++) {
            int shape = npuc.schema.tflite.Tensor.createShapeVector(fbb, new int[] {1, 4});
            int name = fbb.createString("t" + i);
            npuc.schema.tflite.Tensor.startTensor(fbb);
            npuc.schema.tflite.Tensor.addShape(fbb, shape);
            npuc.schema.tflite.Tensor.addType(fbb, (byte) raw.tensorType);
            npuc.schema.tflite.Tensor.addName(fbb, name);
            npuc.schema.tflite.Tensor.addBuffer(fbb, i == 0 ? 1 : 0);
            tensors[i] = npuc.schema.tflite.Tensor.endTensor(fbb);
        }
        int inputs = npuc.schema.tflite.Operator.createInputsVector(fbb, new int[] {0});
        int outputs = npuc.schema.tflite.Operator.createOutputsVector(fbb, new int[] {1});
        npuc.schema.tflite.Operator.startOperator(fbb);
        npuc.schema.tflite.Operator.addOpcodeIndex(fbb, 0);
        npuc.schema.tflite.Operator.addInputs(fbb, inputs);
        npuc.schema.tflite.Operator.addOutputs(fbb, outputs);
        npuc.schema.tflite.Operator.addBuiltinOptionsType(fbb, (byte) unionType);
        npuc.schema.tflite.Operator.addBuiltinOptions(fbb, options);
        npuc.schema.tflite.Operator.addCustomOptionsFormat(fbb, (byte) raw.customOptionsFormat);
        int operator = npuc.schema.tflite.Operator.endOperator(fbb);

        int tensorVector = SubGraph.createTensorsVector(fbb, tensors);
        int subgraphInputs = SubGraph.createInputsVector(fbb, new int[] {0});
        int subgraphOutputs = SubGraph.createOutputsVector(fbb, new int[] {1});
        int operatorVector = SubGraph.createOperatorsVector(fbb, new int[] {operator});
        SubGraph.startSubGraph(fbb);
        SubGraph.addTensors(fbb, tensorVector);
        SubGraph.addInputs(fbb, subgraphInputs);
        SubGraph.addOutputs(fbb, subgraphOutputs);
        SubGraph.addOperators(fbb, operatorVector);
        int subgraph = SubGraph.endSubGraph(fbb);

        int code = OperatorCode.createOperatorCode(fbb, (byte) 3, 0, 1, 3);
        int data = npuc.schema.tflite.Buffer.createDataVector(fbb, new byte[] {1, 2, 3, 4});
        npuc.schema.tflite.Buffer.startBuffer(fbb);
        if (raw.bufferOffset > 1) {
            npuc.schema.tflite.Buffer.addOffset(fbb, raw.bufferOffset);
            npuc.schema.tflite.Buffer.addSize(fbb, raw.bufferSize);
        } else {
            npuc.schema.tflite.Buffer.addData(fbb, data);
        }
        int constant = npuc.schema.tflite.Buffer.endBuffer(fbb);
        return finishModel(fbb, new int[] {code}, new int[] {subgraph}, new int[] {emptyBuffer(fbb), constant},
                raw.version);
    }

    private static int emptyBuffer(FlatBufferBuilder fbb) {
        npuc.schema.tflite.Buffer.startBuffer(fbb);
        return npuc.schema.tflite.Buffer.endBuffer(fbb);
    }

    private static byte[] finishModel(FlatBufferBuilder fbb, int[] codes, int[] subgraphs, int[] buffers, long version) {
        int codeVector = Model.createOperatorCodesVector(fbb, codes);
        int subgraphVector = Model.createSubgraphsVector(fbb, subgraphs);
        int bufferVector = Model.createBuffersVector(fbb, buffers);
        Model.startModel(fbb);
        Model.addVersion(fbb, version);
        Model.addOperatorCodes(fbb, codeVector);
        Model.addSubgraphs(fbb, subgraphVector);
        Model.addBuffers(fbb, bufferVector);
        Model.finishModelBuffer(fbb, Model.endModel(fbb));
        return fbb.sizedByteArray();
    }
}
