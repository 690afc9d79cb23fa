package npuc.serialise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import npuc.CompileOptions;
import npuc.CompileResult;
import npuc.Compiler;
import npuc.arch.TargetOptions;
import npuc.arch.Targets;
import npuc.frontend.FrontEndResult;
import npuc.graph.DataType;
import npuc.graph.Graph;
import npuc.graph.Metadata;
import npuc.graph.Operator;
import npuc.graph.Subgraph;
import npuc.graph.Tensor;
import npuc.tflite.ArenaLayout;
import npuc.tflite.ModelBuilder;
import npuc.tflite.NpuSubgraphStream;
import npuc.tflite.OptimisedModelException;
import npuc.tflite.OptimisedModelWriter;
import npuc.tflite.TfliteReader;
import npuc.tflite.TfliteWriter;

/** The optimised model of models the project builds: its ethos-u calls, CPU operators, buffers and metadata. */
class OptimisedModelWriterTest {
    /** Any bytes stand for a command stream here: the writer stores them as given. */
    private static final byte[] STREAM = {'C', 'O', 'P', '1', 1, 2, 3, 4};

    private static CompileResult compile(Graph model) throws Exception {
        return Compiler.compile("m", model, Targets.resolve(TargetOptions.of("ethos-u55-128",
                "Ethos_U55_High_End_Embedded", "Shared_Sram")), CompileOptions.defaults());
    }

    private static ArenaLayout arena(Graph input, FrontEndResult frontEnd) {
        Map<Integer, Long> addresses = new HashMap<>();
        for (int i = 0; i < input.subgraphs().get(0).tensors().size(); i++) {
            addresses.put(i, 64L * i);
        }
        frontEnd.subgraphs().forEach(sg -> sg.passes().forEach(p -> {
            p.inputs().forEach(t -> addresses.putIfAbsent(t.equivalenceId(), 0L));
            p.outputs().forEach(t -> addresses.putIfAbsent(t.equivalenceId(), 0L));
        }));
        return new ArenaLayout(1024, 256, addresses);
    }

    private static List<NpuSubgraphStream> streams(FrontEndResult frontEnd) {
        return frontEnd.npuSubgraphs().stream().map(sg -> new NpuSubgraphStream(sg.name(), STREAM)).toList();
    }

    @Test
    void npuSubgraphBecomesOneEthosUCallAndCpuOperatorsStay() throws Exception {
        Graph input = ModelBuilder.int8("m").input(1, 8, 8, 8).conv2d(16, 3, 3).dequantize().build();
        CompileResult r = compile(input);
        assertEquals(1, r.frontEnd().npuSubgraphs().size());
        NpuConstantLayout layout = NpuConstantLayout.of(r.frontEnd(), r.schedule());
        byte[] file = OptimisedModelWriter.write(input, r.frontEnd(), layout, streams(r.frontEnd()),
                arena(input, r.frontEnd()));
        Graph out = TfliteReader.read(file);
        assertEquals("Vela 3.10.0 Optimised", out.description());
        Subgraph sg = out.subgraphs().get(0);
        assertEquals(2, sg.operators().size());
        Operator call = sg.operators().get(0);
        assertEquals("ethos-u", out.operatorCode(call).customCode());
        assertArrayEquals(new byte[] {1, 4, 1}, call.customOptions().toArray());
        String name = r.frontEnd().npuSubgraphs().get(0).name();
        List<String> first = call.inputs().subList(0, 4).stream().map(i -> sg.tensors().get(i).name()).toList();
        assertEquals(List.of(name + "_command_stream", name + "_flash", name + "_scratch", name + "_scratch_fast"),
                first);
        assertArrayEquals(STREAM, bytes(out, sg.tensors().get(call.inputs().get(0))));
        assertArrayEquals(layout.image(), bytes(out, sg.tensors().get(call.inputs().get(1))));
        assertEquals(0, sg.tensors().get(call.inputs().get(2)).buffer(), "the scratch arena has no data");
        assertEquals(List.of(1024), sg.tensors().get(call.inputs().get(2)).shape());
        // The feature map the NPU reads is the model's input; the one it writes is what the CPU reads.
        assertEquals(sg.inputs().get(0), call.inputs().get(4));
        Operator cpu = sg.operators().get(1);
        assertEquals("DEQUANTIZE", out.operatorCode(cpu).displayName());
        assertEquals(call.outputs(), cpu.inputs());
        assertEquals(cpu.outputs(), sg.outputs());
        // Tensors are in name order.
        List<String> names = sg.tensors().stream().map(Tensor::name).toList();
        assertEquals(names.stream().sorted().toList(), names);
    }

    @Test
    void metadataRecordsVersionAndArenaOffsets() throws Exception {
        Graph input = ModelBuilder.int8("m").input(1, 8, 8, 8).conv2d(16, 1, 1).build();
        CompileResult r = compile(input);
        Graph out = OptimisedModelWriter.build(input, r.frontEnd(), NpuConstantLayout.of(r.frontEnd(), r.schedule()),
                streams(r.frontEnd()), arena(input, r.frontEnd()));
        assertEquals(out, TfliteReader.read(TfliteWriter.write(out)), "npuc reads the model back unchanged");
        Map<String, byte[]> metadata = new HashMap<>();
        for (Metadata m : out.metadata()) {
            metadata.put(m.name(), out.buffers().get(m.buffer()).data().toArray());
        }
        assertArrayEquals("3.10.0".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                metadata.get("vela_version"));
        ByteBuffer plan = ByteBuffer.wrap(metadata.get("OfflineMemoryAllocation")).order(ByteOrder.LITTLE_ENDIAN);
        Subgraph sg = out.subgraphs().get(0);
        assertEquals(0, plan.getInt());
        assertEquals(1, plan.getInt());
        assertEquals(sg.tensors().size(), plan.getInt());
        for (Tensor t : sg.tensors()) {
            int offset = plan.getInt();
            boolean constant = t.buffer() != 0;
            assertEquals(constant, offset == -1, t.name() + ": only arena tensors have an offset");
            if (t.name().equals(input.subgraphs().get(0).tensors().get(input.subgraphs().get(0).inputs().get(0))
                    .name())) {
                assertEquals(64 * input.subgraphs().get(0).inputs().get(0), offset, "the input's arena address");
            }
        }
        assertTrue(sg.tensors().stream().filter(t -> t.buffer() != 0).allMatch(t -> t.type() == DataType.UINT8),
                "only the command stream and flash tensors hold data");
    }

    @Test
    void commandStreamsMustMatchTheNpuSubgraphs() throws Exception {
        Graph input = ModelBuilder.int8("m").input(1, 8, 8, 8).conv2d(16, 1, 1).build();
        CompileResult r = compile(input);
        NpuConstantLayout layout = NpuConstantLayout.of(r.frontEnd(), r.schedule());
        ArenaLayout arena = arena(input, r.frontEnd());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> OptimisedModelWriter.build(input, r.frontEnd(), layout, List.of(), arena));
        assertTrue(none.getMessage().contains("1 NPU subgraphs but 0 command streams"), none.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OptimisedModelWriter.build(input, r.frontEnd(), layout,
                List.of(new NpuSubgraphStream("other", STREAM)), arena));
        IllegalArgumentException unplaced = assertThrows(IllegalArgumentException.class,
                () -> OptimisedModelWriter.build(input, r.frontEnd(), layout, streams(r.frontEnd()),
                        new ArenaLayout(0, 0, Map.of())));
        assertTrue(unplaced.getMessage().startsWith("no arena address for tensor"), unplaced.getMessage());
    }

    @Test
    void modelsOfSeveralSubgraphsAreRefusedWithAReason() throws Exception {
        Graph input = ModelBuilder.int8("m").input(1, 8, 8, 8).conv2d(16, 1, 1).build();
        CompileResult r = compile(input);
        Graph two = new Graph(input.version(), input.description(), input.operatorCodes(),
                List.of(input.subgraphs().get(0), input.subgraphs().get(0)), input.buffers(), input.metadata(),
                input.signatureDefs());
        OptimisedModelException e = assertThrows(OptimisedModelException.class, () -> OptimisedModelWriter.build(two,
                r.frontEnd(), NpuConstantLayout.of(r.frontEnd(), r.schedule()), streams(r.frontEnd()),
                arena(input, r.frontEnd())));
        assertEquals("the model has 2 subgraphs; optimised models are written for models of one subgraph only",
                e.getMessage());
    }

    private static byte[] bytes(Graph g, Tensor t) {
        return g.buffers().get(t.buffer()).data().toArray();
    }
}
