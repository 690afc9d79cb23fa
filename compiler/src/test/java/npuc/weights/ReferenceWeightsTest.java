package npuc.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import npuc.SharedData;
import npuc.arch.Accelerator;
import npuc.graph.BuiltinOperator;
import npuc.graph.DataType;
import npuc.graph.Graph;
import npuc.graph.Operator;
import npuc.graph.Quantization;
import npuc.graph.Subgraph;
import npuc.graph.Tensor;
import npuc.tflite.ModelFormatException;
import npuc.tflite.TfliteReader;

/**
 * Checks the format against the reference compiler's real output: in each optimised model, the NPU
 * operator's flash input holds the encoded weights of every convolution and fully connected layer. For each
 * such layer of the original model the test finds its buffer by its bias/scale records, walks the ranges,
 * decodes each weight stream and compares it with the layer's weights in brick order for the block depth
 * that fits, then encodes the layer with those parameters and compares the bytes. The models are those whose
 * layers reach the encoder unchanged by the front end's rewrites (no strided first convolution, no padded
 * IFM depth), so the original model's weights are the encoder's input.
 */
class ReferenceWeightsTest {
    private static final List<String> MODELS = List.of("conv10", "hello_world_int8", "keyword_scrambled_8bit");

    static Stream<Path> goldenDirectories() throws IOException {
        Path golden = SharedData.referenceDir().resolve("golden");
        Assumptions.assumeTrue(Files.isDirectory(golden), "skipped: " + golden + " is absent");
        List<Path> dirs = new ArrayList<>();
        try (Stream<Path> list = Files.list(golden)) {
            list.filter(Files::isDirectory)
                    .filter(d -> MODELS.contains(d.getFileName().toString().split("__")[0]))
                    .sorted()
                    .forEach(dirs::add);
        }
        Assumptions.assumeFalse(dirs.isEmpty(), "skipped: no golden outputs of " + MODELS + " in " + golden);
        return dirs.stream();
    }

    /** One layer with encoded weights, as the original model gives it. */
    private record Layer(String name, WeightKind kind, WeightVolume weights, long[] biases,
                         List<QuantisedScale> scales, int ifmBits) {
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenDirectories")
    void encodedWeightsOfTheReferenceDecodeToTheModelsWeightsAndReencodeToTheSameBytes(Path dir)
            throws IOException, ModelFormatException, WeightEncodingException {
        String[] parts = dir.getFileName().toString().split("__");
        String model = parts[0];
        Accelerator accelerator = Arrays.stream(Accelerator.values())
                .filter(a -> a.cliName().equals(parts[1])).findFirst().orElseThrow();
        Path original = SharedData.modelsDir().resolve(model + ".tflite");
        Assumptions.assumeTrue(Files.isRegularFile(original), "skipped: " + original + " is absent");
        byte[] flash = flashOf(TfliteReader.read(Files.readAllBytes(dir.resolve(model + "_vela.tflite"))));
        List<Layer> layers = layersOf(TfliteReader.read(Files.readAllBytes(original)));
        assertTrue(!layers.isEmpty(), "layers with weights in " + model);
        long total = 0;
        for (Layer layer : layers) {
            total += checkLayer(layer, flash, accelerator);
        }
        // Each layer's weights are distinct, so the summary's total is the sum of the buffer sizes.
        assertEquals(summaryTotal(dir), total, "total_npu_encoded_weights");
    }

    private static long summaryTotal(Path dir) throws IOException {
        Path csv;
        try (Stream<Path> files = Files.list(dir)) {
            csv = files.filter(f -> f.getFileName().toString().endsWith(".csv")).findFirst().orElseThrow();
        }
        List<String> lines = Files.readAllLines(csv);
        List<String> header = Arrays.asList(lines.get(0).split(","));
        String[] row = lines.get(1).split(",");
        return Long.parseLong(row[header.indexOf("total_npu_encoded_weights")].trim());
    }

    /** Finds and checks the layer's buffer in the flash; returns its size. */
    private static long checkLayer(Layer layer, byte[] flash, Accelerator accelerator) throws WeightEncodingException {
        byte[] firstRecord = BiasScaleRecord.of(layer.biases[0], layer.scales.get(0));
        String failures = "";
        for (int start = 0; start + BiasScaleRecord.BYTES <= flash.length; start += 16) {
            if (!Arrays.equals(flash, start, start + BiasScaleRecord.BYTES, firstRecord, 0, BiasScaleRecord.BYTES)) {
                continue;
            }
            try {
                return checkAt(layer, flash, accelerator, start);
            } catch (AssertionError | RuntimeException e) {
                failures += "\n  at " + start + ": " + e.getMessage();
            }
        }
        throw new AssertionError("no encoded weights of " + layer.name + " found in the flash" + failures);
    }

    /** Walks the ranges from {@code start}, checks them and returns the buffer length. */
    private static long checkAt(Layer layer, byte[] flash, Accelerator accelerator, int start)
            throws WeightEncodingException {
        int ofmDepth = layer.weights.ofmDepth();
        int cores = accelerator.cores();
        int pos = start;
        List<Integer> slices = new ArrayList<>(List.of(0));
        List<short[]> decoded = new ArrayList<>();
        int depthOffset = 0;
        while (depthOffset < ofmDepth) {
            int firstCoreRecords = -1;
            for (int core = 0; core < Math.min(cores, ofmDepth); core++) {
                int records = 0;
                for (int c = depthOffset + core; c < ofmDepth; c += cores) {
                    byte[] expected = BiasScaleRecord.of(layer.biases[c], layer.scales.get(c));
                    int at = pos + records * BiasScaleRecord.BYTES;
                    if (at + BiasScaleRecord.BYTES > flash.length
                            || !Arrays.equals(flash, at, at + BiasScaleRecord.BYTES, expected, 0, expected.length)) {
                        break;
                    }
                    records++;
                }
                assertTrue(records > 0, "bias/scale records of core " + core + " at channel " + depthOffset);
                if (core == 0) {
                    firstCoreRecords = records;
                }
                pos = (pos + records * BiasScaleRecord.BYTES + 15) / 16 * 16;
                WeightStreamDecoder.Decoded stream = WeightStreamDecoder.decode(flash, pos);
                decoded.add(stream.weights());
                pos += stream.length();
            }
            depthOffset = Math.min(ofmDepth, depthOffset + firstCoreRecords * cores);
            slices.add(depthOffset);
        }
        // Block depths past the OFM depth give the same order as the OFM depth, so the first that
        // reproduces every stream is the one to re-encode with.
        BlockTraversal traversal = layer.kind == WeightKind.CONVOLUTION
                ? BlockTraversal.forConvolution(layer.weights.height(), layer.weights.width(),
                        layer.weights.ifmDepth(), layer.ifmBits)
                : BlockTraversal.DEPTH_FIRST;
        Integer blockDepth = null;
        for (int candidate = cores; candidate <= Math.max(cores, ofmDepth) && blockDepth == null; candidate++) {
            EncodingParameters p = new EncodingParameters(accelerator, layer.kind, layer.ifmBits, candidate, slices,
                    1, 1, false);
            if (reordersMatch(layer, p, traversal, decoded)) {
                blockDepth = candidate;
            }
        }
        assertNotNull(blockDepth, layer.name + ": no OFM block depth orders the weights as the reference streams "
                + "them (slices " + slices + ", " + traversal + ")");
        EncodingParameters p = new EncodingParameters(accelerator, layer.kind, layer.ifmBits, blockDepth, slices, 1, 1,
                false);
        EncodedWeights ours = WeightEncoder.encode(layer.weights, layer.biases, layer.scales, p);
        assertEquals(traversal, ours.traversal());
        assertEquals(pos - start, ours.size(), layer.name + ": encoded size, slices " + slices);
        assertArrayEquals(Arrays.copyOfRange(flash, start, pos), ours.bytes().toArray(),
                layer.name + ": encoded bytes, block depth " + blockDepth + ", slices " + slices);
        return ours.size();
    }

    private static boolean reordersMatch(Layer layer, EncodingParameters p, BlockTraversal traversal,
            List<short[]> decoded) {
        int cores = p.accelerator().cores();
        int ofmDepth = layer.weights.ofmDepth();
        int i = 0;
        for (int s = 0; s + 1 < p.depthSlices().size(); s++) {
            for (int core = 0; core < Math.min(cores, ofmDepth); core++) {
                int coreBlockDepth = (p.ofmBlockDepth() + cores - 1 - core) / cores;
                WeightVolume coreWeights = layer.weights.channels(p.depthSlices().get(s) + core,
                        p.depthSlices().get(s + 1), cores);
                short[] expected = WeightEncoder.brickOrder(p, coreBlockDepth, traversal).reorder(coreWeights);
                if (!Arrays.equals(expected, decoded.get(i++))) {
                    return false;
                }
            }
        }
        return true;
    }

    private static byte[] flashOf(Graph optimised) {
        for (Subgraph sg : optimised.subgraphs()) {
            for (Operator op : sg.operators()) {
                if (optimised.operatorCode(op).isCustom() && "ethos-u".equals(optimised.operatorCode(op).customCode())) {
                    // Inputs: command stream, flash, scratch, fast scratch, then the feature maps.
                    Tensor flash = sg.tensors().get(op.inputs().get(1));
                    return optimised.buffers().get(flash.buffer()).data().toArray();
                }
            }
        }
        throw new AssertionError("no ethos-u operator in the optimised model");
    }

    private static List<Layer> layersOf(Graph model) throws WeightEncodingException {
        List<Layer> layers = new ArrayList<>();
        Subgraph sg = model.subgraphs().get(0);
        for (Operator op : sg.operators()) {
            BuiltinOperator type = model.operatorCode(op).builtin();
            if (type != BuiltinOperator.CONV_2D && type != BuiltinOperator.FULLY_CONNECTED
                    && type != BuiltinOperator.DEPTHWISE_CONV_2D) {
                continue;
            }
            boolean fc = type == BuiltinOperator.FULLY_CONNECTED;
            boolean depthwise = type == BuiltinOperator.DEPTHWISE_CONV_2D;
            Tensor ifm = sg.tensors().get(op.inputs().get(0));
            Tensor weights = sg.tensors().get(op.inputs().get(1));
            Tensor bias = sg.tensors().get(op.inputs().get(2));
            Tensor ofm = sg.tensors().get(op.outputs().get(0));
            List<Integer> shape = weights.shape();
            // Convolution weights are stored OHWI, fully connected ones [O, I], depthwise ones [1, H, W, O].
            int o = depthwise ? shape.get(3) : shape.get(0);
            int h = fc ? 1 : shape.get(1);
            int w = fc ? 1 : shape.get(2);
            int i = depthwise ? 1 : shape.get(shape.size() - 1);
            byte[] stored = model.buffers().get(weights.buffer()).data().toArray();
            Quantization wq = weights.quantization();
            short[] ohwi = new short[stored.length];
            for (int k = 0; k < stored.length; k++) {
                int channel = depthwise ? k % o : k / (h * w * i);
                int target = depthwise ? channel * h * w + k / o : k;
                long zp = wq.zeroPoint().size() == 1 ? wq.zeroPoint().get(0) : wq.zeroPoint().get(channel);
                int value = weights.type() == DataType.UINT8 ? stored[k] & 0xff : stored[k];
                ohwi[target] = (short) (value - zp);
            }
            ByteBuffer biasBytes = model.buffers().get(bias.buffer()).data().view();
            long[] biases = new long[o];
            for (int c = 0; c < o; c++) {
                biases[c] = bias.type() == DataType.INT64 ? biasBytes.getLong() : biasBytes.getInt();
            }
            OutputRescale rescale = OutputRescale.of(ifm.type(), fc, ifm.quantization().scale().get(0),
                    wq.scale(), ofm.quantization().scale().get(0), bias.type() == DataType.INT64);
            layers.add(new Layer(weights.name(), fc ? WeightKind.VECTOR_PRODUCT : depthwise ? WeightKind.DEPTHWISE : WeightKind.CONVOLUTION,
                    WeightVolume.ofOhwi(ohwi, o, h, w, i), biases, rescale.perChannel(o), ifm.type().bits()));
        }
        return layers;
    }
}
