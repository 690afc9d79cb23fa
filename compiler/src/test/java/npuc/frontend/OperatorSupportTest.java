package npuc.frontend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import npuc.SharedData;
import npuc.frontend.OperatorPlacement.Reason;
import npuc.graph.Activation;
import npuc.graph.Graph;
import npuc.graph.Padding;
import npuc.tflite.ModelBuilder;
import npuc.tflite.ModelFormatException;
import npuc.tflite.TfliteReader;

/** Placement of whole models: built ones, and the real models Vela's reference output covers. */
class OperatorSupportTest {

    /** Semantic check, then (if it passes) the supported-operator check, as Vela runs them. */
    private static OperatorPlacement place(Graph g, int subgraph, int operator) {
        OperatorPlacement semantic = OperatorSupport.semantic(g, subgraph, operator);
        return semantic.onNpu() ? OperatorSupport.supported(g, subgraph, operator) : semantic;
    }

    /** Every operator that does not go to the NPU, keyed by "model subgraph:operator". */
    private static Map<String, OperatorPlacement> cpuOperators(String model, Graph g) {
        Map<String, OperatorPlacement> cpu = new TreeMap<>();
        for (int s = 0; s < g.subgraphs().size(); s++) {
            for (int i = 0; i < g.subgraphs().get(s).operators().size(); i++) {
                OperatorPlacement p = place(g, s, i);
                if (!p.onNpu()) {
                    cpu.put(model + " " + s + ":" + i, p);
                }
            }
        }
        return cpu;
    }

    @Test
    void builtNetworksRunOnTheNpu() {
        Graph g = ModelBuilder.int8("tiny")
                .input(1, 32, 32, 3)
                .conv2d(8, 3, 3).stride(2, 2).padding(Padding.SAME).activation(Activation.RELU)
                .depthwiseConv2d(3, 3).activation(Activation.RELU6)
                .maxPool(2, 2)
                .globalAveragePool()
                .reshape(1, -1)
                .softmax()
                .build();
        assertEquals(Map.of(), cpuOperators("tiny", g));
        Graph u = ModelBuilder.uint8("tiny-uint8").input(1, 16, 16, 4).conv2d(4, 3, 3).mean(1, 2)
                .reshape(1, -1).fullyConnected(10).build();
        assertEquals(Map.of(), cpuOperators("tiny-uint8", u));
    }

    @Test
    void perChannelFullyConnectedWeightsGoToTheCpu() {
        // Vela takes per-axis quantization only for convolutions; the builder quantizes FC weights per tensor,
        // as TFLite's converter does, so give this one a scale per unit.
        Graph g = perUnitWeights(ModelBuilder.int8("fc").input(1, 8).fullyConnected(4).build());
        assertEquals(new OperatorPlacement(true, Reason.SUPPORTED, List.of()),
                place(ModelBuilder.int8("fc").input(1, 8).fullyConnected(4).build(), 0, 0));
        assertEquals(new OperatorPlacement(false, Reason.UNSUPPORTED, List.of(
                "Warning: FULLY_CONNECTED 'fully_connected' is not supported on the NPU. Placing on CPU instead",
                " - Per-axis quantization is only supported for the following op types: CONV_2D, DEPTHWISE_CONV_2D, "
                        + "TRANSPOSE_CONV",
                "   The following tensor(s) have per-axis quantization parameters: fully_connected/weights_reshape")),
                place(g, 0, 0));
    }

    @Test
    void realModelsPlaceAsVelaDid() throws IOException, ModelFormatException {
        Map<String, OperatorPlacement> cpu = new TreeMap<>();
        int models = 0;
        for (Path p : SharedData.models()) {
            String name = p.getFileName().toString().replace(".tflite", "");
            cpu.putAll(cpuOperators(name, TfliteReader.read(Files.readAllBytes(p))));
            models++;
        }
        assertEquals(13, models);

        List<String> keyword = new ArrayList<>();
        List<String> transposeConv = new ArrayList<>();
        for (Map.Entry<String, OperatorPlacement> e : cpu.entrySet()) {
            if (e.getKey().startsWith("keyword_scrambled_8bit ")) {
                keyword.addAll(e.getValue().lines());
            } else if (e.getKey().startsWith("transpose_conv0 ")) {
                transposeConv.addAll(e.getValue().lines());
            }
        }
        // Nothing else goes to the CPU in the 13 models.
        assertEquals(cpu.size(), cpu.keySet().stream()
                .filter(k -> k.startsWith("keyword_scrambled_8bit ") || k.startsWith("transpose_conv0 ")).count());

        long svdf = cpu.values().stream().filter(v -> v.reason() == Reason.CPU_ONLY).count();
        assertEquals(7, svdf);
        assertTrue(keyword.containsAll(List.of(
                "Info: SVDF '' is a CPU only op",
                "Warning: Unsupported TensorFlow Lite semantics for SOFTMAX ''. Placing on CPU instead",
                " - IFM and OFM data types must match",
                "   Op has ifm_dtype=int8 and ofm_dtype=int16",
                "Warning: QUANTIZE '' is not supported on the NPU. Placing on CPU instead",
                " - Tensors which are int32 are only valid when op type is: ADD, ARG_MAX, MUL, SHAPE, SUB, TRANSPOSE",
                "   Op has int32 tensor(s): ")));
        assertEquals(7 + 3 + 3, keyword.size());
        assertEquals(List.of(
                "Warning: TRANSPOSE_CONV 'streamable_model_10/unet_0/decoder_4/conv2dtranspose_3x4/conv/BiasAdd;"
                        + "streamable_model_10/unet_0/decoder_4/conv2dtranspose_3x4/conv/conv2d_transpose;"
                        + "streamable_model_10/unet_0/decoder_4/conv2dtranspose_3x4/conv/BiasAdd/ReadVariableOp' "
                        + "is not supported on the NPU. Placing on CPU instead",
                " - Stride values for width and height must match one of the following criteria:",
                "        Stride values WxH must be 1x1 or 2x2",
                "        Stride WxH 2x1 supported if ifm height and kernel height = 1",
                "   Op has ifm_height=1, kernel_height=3 and stride WxH as 2x1"), transposeConv);
    }

    @Test
    void placementsPerReason() throws IOException, ModelFormatException {
        Path model = SharedData.modelsDir().resolve("keyword_scrambled_8bit.tflite");
        Map<String, OperatorPlacement> cpu = cpuOperators("k", TfliteReader.read(Files.readAllBytes(model)));
        Map<Reason, Long> reasons = new TreeMap<>();
        for (OperatorPlacement p : cpu.values()) {
            reasons.merge(p.reason(), 1L, Long::sum);
        }
        assertEquals(Map.of(Reason.CPU_ONLY, 7L, Reason.SEMANTIC, 1L, Reason.UNSUPPORTED, 1L), reasons);
    }

    /** The graph with the first operator's weights (input 1) quantized with one scale per output unit. */
    private static Graph perUnitWeights(Graph g) {
        npuc.graph.Subgraph sg = g.subgraphs().get(0);
        int w = sg.operators().get(0).inputs().get(1);
        npuc.graph.Tensor t = sg.tensors().get(w);
        int units = t.shape().get(0);
        npuc.graph.Quantization q = new npuc.graph.Quantization(List.of(), List.of(),
                java.util.Collections.nCopies(units, t.quantization().scale().get(0)),
                java.util.Collections.nCopies(units, 0L), 0);
        List<npuc.graph.Tensor> tensors = new java.util.ArrayList<>(sg.tensors());
        tensors.set(w, new npuc.graph.Tensor(t.name(), t.shape(), t.shapeSignature(), t.type(), t.buffer(), q,
                t.variable(), t.hasRank()));
        npuc.graph.Subgraph changed = new npuc.graph.Subgraph(sg.name(), tensors, sg.inputs(), sg.outputs(),
                sg.operators());
        return new Graph(g.version(), g.description(), g.operatorCodes(), List.of(changed), g.buffers(),
                g.metadata(), g.signatureDefs());
    }
}
