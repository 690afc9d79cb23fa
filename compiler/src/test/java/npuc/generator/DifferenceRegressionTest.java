package npuc.generator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import npuc.BadInputException;
import npuc.CompileResult;
import npuc.Compiler;
import npuc.graph.Activation;
import npuc.graph.DataType;
import npuc.graph.Graph;
import npuc.graph.Metadata;
import npuc.graph.Operator;
import npuc.graph.Padding;
import npuc.graph.Subgraph;
import npuc.schedule.ScheduledOp;
import npuc.tflite.ModelBuilder;
import npuc.tflite.ModelBuilder.Node;
import npuc.tflite.TfliteReader;

/**
 * The models the differential campaign reduced its differences from Vela 3.10 to, built with the ModelBuilder,
 * each with what npuc must do on it. Where Vela is installed (see {@link VelaDriver}) each is also compiled by
 * Vela and must show no difference; without Vela the npuc-side assertions still run.
 */
class DifferenceRegressionTest {
    private static final StandardTarget U55_128 = StandardTarget.ALL.get(0);
    private static final StandardTarget U55_64 = StandardTarget.ALL.get(2);
    private static final StandardTarget U55_256_SIZE = StandardTarget.ALL.get(4);

    private static VelaDriver vela;

    @TempDir
    static Path dir;

    @AfterAll
    static void stopVela() {
        if (vela != null) {
            vela.close();
        }
    }

    /** Compiles {@code model}, checks its streams, and where Vela is installed that Vela's compile is the same. */
    private static CompileResult compile(Graph model, StandardTarget target) throws Exception {
        String name = model.subgraphs().get(0).name() + "_" + Math.abs(model.hashCode());
        CompileResult r = Compiler.compile(name, model, target.target(), target.options());
        for (NpuCall call : NpuCall.of(r.optimisedModel(model))) {
            assertEquals(List.of(), StreamChecks.problems(call));
        }
        sameAsVela(name, model, target);
        return r;
    }

    private static void sameAsVela(String name, Graph model, StandardTarget target) throws IOException {
        if (VelaDriver.unavailable().isPresent()) {
            return;
        }
        if (vela == null) {
            vela = VelaDriver.start(dir);
        }
        Path ini = dir.resolve("vela.ini");
        if (!Files.exists(ini)) {
            try (var in = DifferenceRegressionTest.class.getResourceAsStream("/npuc/arch/vela.ini")) {
                Files.copy(in, ini);
            }
        }
        Optional<Differences> d = Differences.of(CompileRun.npuc(name, model, target),
                CompileRun.vela(vela, ini, name, model, target, dir.resolve(name)));
        assertEquals(Optional.empty(), d, () -> "differs from Vela: " + d.get().detail());
    }

    /** An activation that could not fuse into its producer (which has one) is packed after it in one pass. */
    @Test
    void aPassWritesWhatItsLastOperationWrites() throws Exception {
        ModelBuilder b = ModelBuilder.of(DataType.INT8, "relu_after_relu6");
        Node n0 = b.input(1, 6, 6, 16).quantization(0.05867028f, -124L).node();
        Node n1 = b.seed(477675335942L).from(n0).depthwiseConv2d(3, 3).activation(Activation.RELU6).node();
        Node n2 = b.from(n1).relu().node();
        CompileResult r = compile(b.output(n2).build(), U55_128);

        List<ScheduledOp> ops = r.schedule().subgraphs().get(0).ops();
        assertEquals(1, ops.size(), "the relu runs in the depthwise convolution's pass");
        assertEquals("relu", ops.get(0).op().ofm().tensor().name(), "the pass writes the relu's output");
    }

    /** A lone activation gets a 1x1 AvgPool in front; the pass's output is the activation's. */
    @Test
    void aLoneActivationAfterAMeanWritesItsOwnOutput() throws Exception {
        ModelBuilder b = ModelBuilder.of(DataType.INT8, "mean_logistic");
        Node n0 = b.input(1, 256).quantization(0.009216326f, -94L).node();
        Node n1 = b.from(n0).mean(1).node();
        Node n2 = b.from(n1).logistic().node();
        CompileResult r = compile(b.output(n2).build(), StandardTarget.ALL.get(1));
        assertTrue(r.schedule().subgraphs().get(0).ops().stream()
                .anyMatch(op -> op.op().ofm().tensor().name().equals("logistic")));
    }

    /** An identity resize is bypassed; the CPU operator after it reads the model's input, as Vela writes it. */
    @Test
    void aCpuOperatorReadsWhatTheRewritesLeftItReading() throws Exception {
        ModelBuilder b = ModelBuilder.of(DataType.INT8, "identity_resize");
        Node n0 = b.input(1, 1, 3, 21).quantization(0.08342251f, -128L).node();
        Node n1 = b.from(n0).resizeBilinear(1, 3).resizeOptions(true, false).node();
        Node n2 = b.from(n1).dequantize().node();
        Graph model = b.output(n2).build();
        CompileResult r = compile(model, U55_256_SIZE);

        Graph out = TfliteReader.read(r.optimisedModel(model));
        Subgraph sg = out.subgraphs().get(0);
        Operator dequantize = sg.operators().get(0);
        assertEquals("input", sg.tensors().get(dequantize.inputs().get(0)).name());
    }

    /** A CPU LSTM's intermediates are its kernel's scratch: own buffers, no arena offset. */
    @Test
    void aCpuLstmKeepsItsIntermediatesOutOfTheArena() throws Exception {
        ModelBuilder b = ModelBuilder.of(DataType.UINT8, "cpu_lstm");
        Node n0 = b.input(1, 2, 20).quantization(0.024202231f, 58L).node();
        Node n1 = b.seed(269597545584L).from(n0).lstm(1).node();
        Graph model = b.output(n1).build();
        CompileResult r = compile(model, U55_256_SIZE);

        Graph out = TfliteReader.read(r.optimisedModel(model));
        Subgraph sg = out.subgraphs().get(0);
        int[] offsets = offlineOffsets(out);
        for (int t : sg.operators().get(0).intermediates()) {
            assertEquals(-1, offsets[t], sg.tensors().get(t).name());
            assertTrue(sg.tensors().get(t).buffer() > 0, "an intermediate has a buffer of its own");
        }
    }

    private static int[] offlineOffsets(Graph g) {
        Metadata m = g.metadata().stream().filter(x -> x.name().equals("OfflineMemoryAllocation")).findFirst()
                .orElseThrow();
        ByteBuffer b = g.buffers().get(m.buffer()).data().view().order(ByteOrder.LITTLE_ENDIAN);
        int[] offsets = new int[b.getInt(8)];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = b.getInt(12 + 4 * i);
        }
        return offsets;
    }

    /** A transpose convolution reading 7 rows of a 24-row IFM: Vela's upscaling is 0 and its NumPy gives 0s. */
    @Test
    void aTransposeConvolutionReadingPartOfATallerIfm() throws Exception {
        ModelBuilder b = ModelBuilder.of(DataType.INT8, "split_transpose_conv");
        Node n0 = b.input(1, 24, 24, 2).quantization(0.06724333f, 0L).node();
        List<Node> n1 = b.from(n0).splitV(1, 17, 7).nodes();
        Node n2 = b.seed(451022079618L).from(n1.get(1)).transposeConv(16, 3, 3).node();
        CompileResult r = compile(b.output(n2).build(), U55_64);
        assertEquals(1, r.streams().size());
    }

    /** Nearest-neighbour upscaling needs even stripes: the Size strategy's stripes of the resize are even. */
    @Test
    void theSizeStrategyStripesANearestUpscaleEvenly() throws Exception {
        ModelBuilder b = ModelBuilder.of(DataType.INT8, "nearest_then_conv");
        Node n0 = b.input(1, 32, 32, 64).quantization(0.14800316f, -1L).node();
        Node n1 = b.from(n0).resizeNearestNeighbor(64, 64).node();
        Node n2 = b.seed(126394944797L).from(n1).conv2d(32, 3, 3).padding(Padding.VALID)
                .activation(Activation.RELU_N1_TO_1).perChannelWeights(false).node();
        CompileResult r = compile(b.output(n2).build(), U55_256_SIZE);
        ScheduledOp resize = r.schedule().subgraphs().get(0).ops().get(0);
        assertEquals(0, resize.schedule().stripe().height() % 2, "stripe " + resize.schedule().stripe());
    }

    /** int16 PAD: equal borders (top and bottom, left and right) share one region of the flash tensor. */
    @Test
    void equalPadBordersShareTheirFlashRegion() throws Exception {
        for (DataType type : List.of(DataType.INT16, DataType.INT8)) {
            ModelBuilder b = ModelBuilder.of(type, "pad_" + type);
            Node n0 = b.input(1, 14, 10, 32).quantization(0.085697986f, 0L).node();
            Node n1 = b.from(n0).pad(0, 0, 1, 1, 1, 1, 0, 0).node();
            CompileResult r = compile(b.output(n1).build(), U55_128);
            int bytes = type == DataType.INT16 ? 2 : 1;
            long top = 12 * 32 * bytes;
            long left = 14 * 32 * bytes;
            assertEquals(roundUp16(top) + roundUp16(left), r.constants().size(), type.name());
        }
    }

    private static long roundUp16(long n) {
        return (n + 15) / 16 * 16;
    }

    /** A strided operation reading a slice at an offset along its stride: Vela asserts, npuc says so. */
    @Test
    void aStridedReadPastTheEndOfASliceStopsWithVelasReason() {
        ModelBuilder b = ModelBuilder.of(DataType.INT8, "split_strided_conv");
        Node n0 = b.input(1, 26, 26, 64).quantization(0.049372725f, -128L).node();
        List<Node> n1 = b.from(n0).split(1, 2).nodes();
        Node n2 = b.seed(635329522686L).from(n1.get(1)).conv2d(1, 1, 1).stride(2, 2).padding(Padding.SAME)
                .activation(Activation.RELU).node();
        Graph model = b.output(n2).build();
        BadInputException e = assertThrows(BadInputException.class,
                () -> Compiler.compile("split_strided_conv", model, U55_64.target(), U55_64.options()));
        assertTrue(e.getMessage().contains("reads a slice at offset [0, 13, 0, 0]"), e.getMessage());
        assertTrue(e.getMessage().contains("Vela 3.10 stops here with an assertion"), e.getMessage());
    }
}
