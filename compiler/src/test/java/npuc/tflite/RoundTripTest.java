package npuc.tflite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.google.flatbuffers.FlatBufferBuilder;

import npuc.SharedData;
import npuc.graph.Activation;
import npuc.graph.Buffer;
import npuc.graph.BuiltinOperator;
import npuc.graph.BuiltinOptions;
import npuc.graph.DataType;
import npuc.graph.Graph;
import npuc.graph.Operator;
import npuc.graph.Padding;
import npuc.graph.Subgraph;
import npuc.graph.Tensor;
import npuc.schema.tflite.Model;

class RoundTripTest {

    @Test
    void everyRealModelRoundTripsToAnEqualGraph() throws Exception {
        List<Path> models = SharedData.models();
        int operators = 0;
        int withMetadata = 0;
        int withSignatures = 0;
        for (Path path : models) {
            byte[] original = Files.readAllBytes(path);
            Graph graph = TfliteReader.read(original);
            byte[] written = TfliteWriter.write(graph);
            Graph reread = TfliteReader.read(written);
            String name = path.getFileName().toString();
            assertEquals(graph, reread, name);
            assertTrue(graph.operatorCount() > 0, name + " has operators");
            assertEquals(graph.operatorCount(), reread.operatorCount(), name);
            assertEquals(graph.metadata(), reread.metadata(), name);
            assertEquals(graph.signatureDefs(), reread.signatureDefs(), name);
            // Writing is deterministic: the written bytes are a fixed point.
            assertArrayEquals(written, TfliteWriter.write(reread), name);
            operators += graph.operatorCount();
            withMetadata += graph.metadata().isEmpty() ? 0 : 1;
            withSignatures += graph.signatureDefs().isEmpty() ? 0 : 1;
        }
        System.out.printf("round trip: %d real models, %d operators, %d with metadata, %d with signatures%n",
                models.size(), operators, withMetadata, withSignatures);
        assertEquals(13, models.size(), "the real models in ../shared/models");
        assertTrue(withMetadata > 0, "some real model carries metadata");
    }

    @Test
    void builtModelsRoundTrip() throws Exception {
        for (Graph graph : List.of(TestModels.convNet(), TestModels.denseNet())) {
            Graph reread = TfliteReader.read(TfliteWriter.write(graph));
            assertEquals(graph, reread);
        }
        Graph conv = TfliteReader.read(TfliteWriter.write(TestModels.convNet()));
        assertEquals(6, conv.operatorCount());
        assertEquals("min_runtime_version", conv.metadata().get(0).name());
        assertEquals("serving_default", conv.signatureDefs().get(0).key());
    }

    @Test
    void fileHasTfliteIdentifierAndAlignedBuffers() {
        byte[] file = TfliteWriter.write(TestModels.convNet());
        assertEquals("TFL3", new String(file, 4, 4));
        Model model = Model.getRootAsModel(ByteBuffer.wrap(file));
        for (int i = 0; i < model.buffersLength(); i++) {
            ByteBuffer data = model.buffers(i).dataAsByteBuffer();
            if (data != null) {
                assertEquals(0, data.position() % 16, "buffer " + i + " is 16-byte aligned");
            }
        }
    }

    @Test
    void operatorCodesPastTheByteRangeUseBothFields() throws Exception {
        byte[] file = TfliteWriter.write(TestModels.denseNet());
        Model model = Model.getRootAsModel(ByteBuffer.wrap(file));
        npuc.schema.tflite.OperatorCode gelu = model.operatorCodes(4);
        assertEquals(127, gelu.deprecatedBuiltinCode());
        assertEquals(BuiltinOperator.GELU.code(), gelu.builtinCode());
        assertEquals(BuiltinOperator.GELU, TfliteReader.read(file).operatorCodes().get(4).builtin());
        assertEquals("MyCustomOp", TfliteReader.read(file).operatorCodes().get(3).displayName());
    }

    @Test
    void constantDataIsAViewOfTheInputNotACopy() throws Exception {
        byte[] file = TfliteWriter.write(TestModels.convNet());
        Graph graph = TfliteReader.read(file);
        ByteBuffer weights = graph.buffers().get(1).data().view();
        int before = weights.get(0);
        Model model = Model.getRootAsModel(ByteBuffer.wrap(file));
        int position = model.buffers(1).dataAsByteBuffer().position();
        file[position] ^= 0x5a;
        assertEquals((before ^ 0x5a), weights.get(0), "the buffer sees the change made to the file's bytes");
    }

    @Test
    void buffersStoredAfterTheFlatbufferRoundTrip() throws Exception {
        Graph graph = TestModels.convNet();
        // A limit of 0 forces the layout TFLite uses for models over 2 GiB.
        byte[] file = TfliteWriter.write(graph, 0);
        Model model = Model.getRootAsModel(ByteBuffer.wrap(file));
        int outOfLine = 0;
        for (int i = 0; i < model.buffersLength(); i++) {
            npuc.schema.tflite.Buffer b = model.buffers(i);
            assertEquals(0, b.dataLength(), "buffer " + i + " has no inline data");
            if (b.offset() > 1) {
                assertEquals(0, b.offset() % 16, "buffer " + i + " offset is aligned");
                outOfLine++;
            }
        }
        assertEquals(graph.buffers().size() - 1, outOfLine, "every non-empty buffer is stored after the flatbuffer");
        assertEquals(graph, TfliteReader.read(file));

        ByteArrayOutputStream streamed = new ByteArrayOutputStream();
        TfliteWriter.write(graph, streamed);
        assertArrayEquals(TfliteWriter.write(graph), streamed.toByteArray());
    }

    @Test
    void everyModelledOptionsRecordRoundTripsWithItsTfliteUnionCode() throws Exception {
        List<Operator> ops = new ArrayList<>();
        List<BuiltinOptions> written = new ArrayList<>();
        for (Class<?> type : BuiltinOptions.class.getPermittedSubclasses()) {
            if (type == BuiltinOptions.Unmodelled.class) {
                continue;
            }
            BuiltinOptions options = sample(type);
            assertEquals(type.getSimpleName() + "Options", BuiltinOptions.TABLE_NAMES.get(options.unionType() - 1),
                    "union code of " + type.getSimpleName());
            written.add(options);
            ops.add(new Operator(0, List.of(0), List.of(1), List.of(), options, null, List.of()));
        }
        // Chain the operators so the graph is acyclic: each reads the previous one's output.
        List<Tensor> tensors = new ArrayList<>();
        List<Operator> chained = new ArrayList<>();
        tensors.add(new Tensor("t0", List.of(1), null, DataType.INT8, 0, null, false, false));
        for (int i = 0; i < ops.size(); i++) {
            tensors.add(new Tensor("t" + (i + 1), List.of(1), null, DataType.INT8, 0, null, false, false));
            chained.add(new Operator(0, List.of(i), List.of(i + 1), List.of(), ops.get(i).options(), null, List.of()));
        }
        Graph graph = new Graph(3, null, List.of(TestModels.code(BuiltinOperator.ADD)),
                List.of(new Subgraph("all options", tensors, List.of(0), List.of(ops.size()), chained)),
                List.of(Buffer.EMPTY), List.of(), List.of());
        Graph reread = TfliteReader.read(TfliteWriter.write(graph));
        assertEquals(graph, reread);
        assertEquals(98, written.size(), "options tables npuc models");
    }

    @Test
    void unmodelledOptionsReadButRefuseToBeWritten() throws Exception {
        // An operator whose options table has union code 3 (ConcatEmbeddingsOptions), which npuc does not model.
        FlatBufferBuilder fbb = new FlatBufferBuilder(256);
        fbb.startTable(3);
        fbb.addInt(0, 7, 0);
        int options = fbb.endTable();
        byte[] file = MalformedModelTest.rawModel(fbb, options, 3);
        Graph graph = TfliteReader.read(file);
        BuiltinOptions read = graph.subgraphs().get(0).operators().get(0).options();
        assertEquals(new BuiltinOptions.Unmodelled(3), read);
        assertEquals("ConcatEmbeddingsOptions", ((BuiltinOptions.Unmodelled) read).tableName());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TfliteWriter.write(graph));
        assertTrue(e.getMessage().contains("ConcatEmbeddingsOptions"), e.getMessage());
    }

    @Test
    void absentAndEmptyOptionalFieldsStayDistinct() throws Exception {
        Graph graph = TfliteReader.read(TfliteWriter.write(TestModels.denseNet()));
        Tensor x = graph.subgraphs().get(0).tensors().get(0);
        Tensor h = graph.subgraphs().get(0).tensors().get(2);
        assertEquals(List.of(-1, 16), x.shapeSignature());
        assertTrue(x.hasRank());
        assertEquals(null, h.shapeSignature());
        assertEquals(null, h.quantization());
        Operator custom = graph.subgraphs().get(0).operators().get(4);
        assertEquals(5, custom.customOptions().size());
        assertEquals(List.of(false), custom.mutatingVariableInputs());
        assertEquals(null, graph.subgraphs().get(0).operators().get(1).customOptions());
        assertEquals(-1, graph.subgraphs().get(0).operators().get(0).inputs().get(2));
        assertSame(null, graph.description());
    }

    /** An options record with values other than the schema defaults, so every field is really written. */
    private static BuiltinOptions sample(Class<?> type) throws ReflectiveOperationException {
        RecordComponent[] components = type.getRecordComponents();
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            Class<?> c = components[i].getType();
            types[i] = c;
            if (c == int.class) {
                values[i] = 1; // 1 is valid for the small schema enums kept as int, and not every int's default
            } else if (c == float.class) {
                values[i] = 0.375f;
            } else if (c == boolean.class) {
                values[i] = !components[i].getName().equals("potScaleInt16")
                        && !components[i].getName().equals("timeMajor");
            } else if (c == Activation.class) {
                values[i] = Activation.RELU6;
            } else if (c == Padding.class) {
                values[i] = Padding.VALID;
            } else if (c == DataType.class) {
                values[i] = DataType.INT16;
            } else if (c == List.class) {
                values[i] = List.of(3, -1, 5);
            } else {
                throw new AssertionError("no sample value for " + c + " in " + type);
            }
        }
        Constructor<?> constructor = type.getDeclaredConstructor(types);
        BuiltinOptions options = (BuiltinOptions) constructor.newInstance(values);
        assertNotEquals(null, options);
        assertFalse(options instanceof BuiltinOptions.Unmodelled);
        return options;
    }
}
