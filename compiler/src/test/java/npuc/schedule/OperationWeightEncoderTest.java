package npuc.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import npuc.CompileOptions;
import npuc.CompileResult;
import npuc.Compiler;
import npuc.arch.TargetOptions;
import npuc.arch.Targets;
import npuc.frontend.FrontEndResult.HardwareDetails;
import npuc.frontend.FrontEndResult.OperationInfo;
import npuc.frontend.OpType;
import npuc.frontend.RoundingMode;
import npuc.graph.Graph;
import npuc.tflite.ModelBuilder;
import npuc.weights.EncodedWeights;
import npuc.weights.QuantisedScale;
import npuc.weights.WeightRange;

/** The scale records the encoder writes for operations the front end has rewritten. */
class OperationWeightEncoderTest {
    private static CompileResult compile(Graph model) throws Exception {
        return Compiler.compile("m", model, Targets.resolve(TargetOptions.of("ethos-u55-128",
                "Ethos_U55_High_End_Embedded", "Shared_Sram")), CompileOptions.defaults());
    }

    private static ScheduledOp onlyOpOfType(CompileResult r, OpType type) {
        List<ScheduledOp> found = new ArrayList<>();
        for (ScheduledSubgraph sg : r.schedule().subgraphs()) {
            for (ScheduledOp op : sg.ops()) {
                if (op.op().primary().type() == type) {
                    found.add(op);
                }
            }
        }
        assertEquals(1, found.size(), "operations of type " + type);
        return found.get(0);
    }

    /** The multiplier and shift of every output channel's record, read back from the encoded buffer. */
    private static List<QuantisedScale> recordedScales(EncodedWeights weights) {
        byte[] bytes = weights.bytes().toArray();
        List<QuantisedScale> scales = new ArrayList<>();
        for (WeightRange range : weights.ranges()) {
            assertEquals(0, range.core(), "a single-core target");
            for (long at = range.offset(); at < range.offset() + range.scaleBytes(); at += 10) {
                long multiplier = 0;
                for (int i = 3; i >= 0; i--) {
                    multiplier = multiplier << 8 | (bytes[(int) at + 5 + i] & 0xff);
                }
                scales.add(new QuantisedScale(multiplier, bytes[(int) at + 9] & 0x3f));
            }
        }
        return scales;
    }

    /** Each channel's scale with the IFM and weight scales multiplied in single or in double precision. */
    private static List<QuantisedScale> expectedScales(OperationInfo op, boolean singlePrecisionProduct) {
        float ifmScale = (float) op.ifm().quantization().scale();
        float ofmScale = (float) op.ofm().quantization().scale();
        List<QuantisedScale> scales = new ArrayList<>();
        for (double s : op.weights().quantization().scales()) {
            float weightScale = (float) s;
            double scale = singlePrecisionProduct
                    ? (double) (ifmScale * weightScale) / ofmScale
                    : (double) ifmScale * weightScale / ofmScale;
            scales.add(QuantisedScale.of(scale));
        }
        // A per-tensor weight scale applies to every output channel.
        int channels = op.ofm().shape().get(op.ofm().shape().size() - 1);
        return scales.size() == 1 ? java.util.Collections.nCopies(channels, scales.get(0)) : scales;
    }

    @Test
    void convolutionTurnedFullyConnectedKeepsTheConvolutionsScaleRounding() throws Exception {
        CompileResult r = compile(ModelBuilder.int8("m").seed(3).input(1, 1, 1, 32).conv2d(48, 1, 1).output()
                .build());
        ScheduledOp op = onlyOpOfType(r, OpType.FullyConnected);
        OperationInfo primary = op.op().primary();
        assertEquals(OpType.Conv2DBias, primary.hardware().originalType());
        List<QuantisedScale> doubleProduct = expectedScales(primary, false);
        // The two roundings must disagree somewhere for the records to tell which one was used.
        assertNotEquals(expectedScales(primary, true), doubleProduct);
        assertEquals(doubleProduct, recordedScales(op.schedule().weights()));
    }

    @Test
    void fullyConnectedLayerRoundsItsScalesFromASinglePrecisionProduct() throws Exception {
        CompileResult r = compile(ModelBuilder.int8("m").seed(3).input(1, 32).fullyConnected(48).output().build());
        ScheduledOp op = onlyOpOfType(r, OpType.FullyConnected);
        OperationInfo primary = op.op().primary();
        assertEquals(OpType.FullyConnected, primary.hardware().originalType());
        List<QuantisedScale> singleProduct = expectedScales(primary, true);
        assertNotEquals(expectedScales(primary, false), singleProduct);
        assertEquals(singleProduct, recordedScales(op.schedule().weights()));
    }

    @Test
    void explicitScalingIsEncodedAsGiven() throws Exception {
        CompileResult r = compile(ModelBuilder.int8("m").input(1, 6, 6, 24).mean(1, 2).quantization(0.05f, 3)
                .output().build());
        ScheduledOp op = onlyOpOfType(r, OpType.DepthwiseConv2DBias);
        OperationInfo primary = op.op().primary();
        HardwareDetails details = primary.hardware();
        assertEquals(List.of(0), details.explicitScalingShift());
        assertEquals(List.of(1), details.explicitScalingMultiplier());
        // What the quantisation alone would give is something else, so the records show the explicit pair won.
        assertNotEquals(new QuantisedScale(1, 0), QuantisedScale.of(primary.ifm().quantization().scale()
                / primary.ofm().quantization().scale()));
        List<QuantisedScale> recorded = recordedScales(op.schedule().weights());
        assertEquals(24, recorded.size());
        assertTrue(recorded.stream().allMatch(s -> s.equals(new QuantisedScale(1, 0))), recorded::toString);
    }

    @Test
    void poolingTurnedConvolutionRoundsAwayFromZeroWithTheNextMultiplierUp() throws Exception {
        CompileResult r = compile(ModelBuilder.int8("m").input(1, 16, 16, 8).averagePool(2, 2).stride(2, 4)
                .output().build());
        ScheduledOp op = onlyOpOfType(r, OpType.Conv2DBias);
        OperationInfo primary = op.op().primary();
        assertEquals(RoundingMode.AWAY_ZERO, primary.hardware().rounding());
        List<QuantisedScale> expected = expectedScales(primary, false).stream()
                .map(QuantisedScale::roundedAwayFromZero).toList();
        assertEquals(expected, recordedScales(op.schedule().weights()));
    }
}
