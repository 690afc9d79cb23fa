package npuc.frontend;

import static npuc.frontend.LoweringAssertions.npuOp;
import static npuc.frontend.LoweringAssertions.npuTypes;
import static npuc.frontend.LoweringAssertions.run;
import static npuc.frontend.LoweringAssertions.sorted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import npuc.arch.Accelerator;
import npuc.graph.DataType;
import npuc.tflite.ModelBuilder;

/** Activations: lookup tables and their fusing, leaky relu and PReLU forms, relus that rescale. */
class ActivationLoweringTest {

    /** The table entry for the int8 input {@code x}. */
    private static long entry(FrontEndResult.OperationInfo op, int x) {
        return op.activation().lut().get(x + 128);
    }

    @Test
    void sigmoidAfterConvolutionFusesAsATable() {
        FrontEndResult r = run(ModelBuilder.int8("s").input(1, 4, 4, 8).conv2d(8, 1, 1).logistic().output());
        assertEquals(List.of(OpType.Conv2DBias), npuTypes(r));
        FrontEndResult.OperationInfo conv = r.npuOperators().get(0);
        assertEquals(OpType.Lut, conv.activation().type());
        assertEquals(256, conv.activation().lut().size());
        // sigmoid(0) = 0.5, which is 0 with the output's scale 1/256 and zero point -128
        int zeroIn = (int) conv.forcedOutputQuantization().zeroPoint();
        assertEquals(0, entry(conv, zeroIn));
        assertEquals(-128, entry(conv, -128) > -128 ? -128 : entry(conv, -128));
        assertEquals(1 + 4 * 4 * 8 * 8, 1 + r.nnMacs());
    }

    @Test
    void tableDoesNotFuseOnU55With64Macs() {
        ModelBuilder b = ModelBuilder.int8("s").input(1, 4, 4, 8).conv2d(8, 1, 1).tanh().output();
        FrontEndResult fused = LoweringAssertions.run(b);
        FrontEndResult apart = FrontEnd.run(b.build(), Accelerator.ETHOS_U55_64, false);
        assertEquals(1, fused.npuOperators().size());
        assertEquals(sorted(OpType.Conv2DBias, OpType.Add), npuTypes(apart));
        FrontEndResult.OperationInfo lut = npuOp(apart, OpType.Add);
        assertEquals("tanh_lut_tanh", lut.name());
        assertNull(npuOp(apart, OpType.Conv2DBias).activation());
        // tanh(0) = 0 maps to the output zero point 0
        assertEquals(0, entry(lut, (int) lut.ifm().quantization().zeroPoint()));
    }

    @Test
    void hardSwishIsATableOfTheReferenceKernel() {
        FrontEndResult r = run(ModelBuilder.int8("h").input(1, 4, 4, 8).hardSwish().output());
        FrontEndResult.OperationInfo lut = npuOp(r, OpType.Add);
        assertEquals("hard_swish_lut_hardswish", lut.name());
        long zpIn = lut.ifm().quantization().zeroPoint();
        long zpOut = lut.ofm().quantization().zeroPoint();
        // hard_swish(0) = 0, and the table follows x * relu6(x + 3) / 6
        assertEquals(zpOut, entry(lut, (int) zpIn));
        double inScale = lut.ifm().quantization().scale();
        double outScale = lut.ofm().quantization().scale();
        double x = (127 - zpIn) * inScale;
        assertEquals(Math.round(x * Math.min(Math.max(x + 3, 0), 6) / 6 / outScale + zpOut), entry(lut, 127), 1);
    }

    @Test
    void leakyReluIsATableWithTheSlopeBelowZero() {
        FrontEndResult r = run(ModelBuilder.int8("l").input(1, 4, 4, 8).quantization(0.05f, 0).leakyRelu(0.25f)
                .quantization(0.05f, 0).output());
        FrontEndResult.OperationInfo lut = npuOp(r, OpType.Add);
        assertEquals(0, entry(lut, 0));
        assertEquals(100, entry(lut, 100));
        assertEquals(-25, entry(lut, -100));
    }

    @Test
    void leakyReluWithZeroSlopeIsARelu() {
        FrontEndResult r = run(ModelBuilder.int8("l").input(1, 4, 4, 8).conv2d(8, 1, 1).leakyRelu(0f).output());
        assertEquals(sorted(OpType.Conv2DBias, OpType.Relu), npuTypes(r));
        assertEquals("leaky_relu", npuOp(r, OpType.Relu).name());
        // the relu joins the convolution's pass: startup and call at the root, startup and one pass on the NPU
        assertEquals(4, r.passesBeforeFusing());
    }

    @Test
    void int16LeakyReluThatRescalesIsMulAndMaximum() {
        ModelBuilder b = ModelBuilder.int8("l").input(1, 4, 4, 8).quantize(DataType.INT16, 0.001f, 0);
        FrontEndResult r = run(b.leakyRelu(0.5f).quantization(0.002f, 0).output());
        assertEquals(sorted(OpType.AvgPool, OpType.Mul, OpType.Mul, OpType.Maximum), npuTypes(r));
        FrontEndResult.OperationInfo max = npuOp(r, OpType.Maximum);
        assertEquals("leaky_relu_alpha", max.ifm().name());
        assertEquals("leaky_relu_id", max.ifm2().name());
    }

    @Test
    void maximumOfInputAndItsMulByMinusOneIsAbs() {
        ModelBuilder m = ModelBuilder.int8("m").input(1, 4, 4, 8).quantization(0.05f, 0);
        ModelBuilder.Node in = m.node();
        m.mul(in, m.scalar("minus_one", -1f, 1f, 0)).quantization(0.05f, 0);
        FrontEndResult r = run(m.maximum(in, m.node()).output());
        assertEquals(List.of(OpType.Abs), npuTypes(r));
        assertEquals("maximum", r.npuOperators().get(0).name());
    }

    @Test
    void maximumOfInputAndItsMulByAPositiveConstantIsALeakyReluTable() {
        ModelBuilder m = ModelBuilder.int8("m").input(1, 4, 4, 8).quantization(0.05f, 0);
        ModelBuilder.Node in = m.node();
        m.mul(in, m.scalar("slope", 0.5f, 0.5f / 127, 0)).quantization(0.05f, 0);
        FrontEndResult r = run(m.maximum(in, m.node()).output());
        FrontEndResult.OperationInfo lut = npuOp(r, OpType.Add);
        assertTrue(lut.name().endsWith("_lut_lrelu"));
        assertEquals(-50, entry(lut, -100), 1);
        assertEquals(100, entry(lut, 100));
    }

    @Test
    void preluWithSlopesBelowOneIsMulAndMaximum() {
        FrontEndResult r = run(ModelBuilder.int8("p").input(1, 4, 6, 2).prelu(0.1f, 0.2f).output());
        assertEquals(sorted(OpType.Mul, OpType.Maximum), npuTypes(r));
        assertEquals("prelu_max", npuOp(r, OpType.Maximum).name());
        assertEquals(new Shape4(1, 1, 1, 2), npuOp(r, OpType.Mul).ifmShapes().get(1));
    }

    @Test
    void preluWithOneSlopeIsALeakyRelu() {
        FrontEndResult r = run(ModelBuilder.int8("p").input(1, 4, 6, 2).prelu(0.2f, 0.2f).output());
        FrontEndResult.OperationInfo lut = npuOp(r, OpType.Add);
        assertTrue(lut.name().endsWith("_lut_lrelu"), lut.name());
    }

    @Test
    void preluWithASlopeAboveOneIsMinimumMulReluAndAdd() {
        FrontEndResult r = run(ModelBuilder.int8("p").input(1, 4, 6, 2).prelu(0.5f, 2f).output());
        assertTrue(npuTypes(r).containsAll(List.of(OpType.Minimum, OpType.Mul, OpType.Add, OpType.Relu)));
        assertEquals("prelu_add", r.npuOperators().stream().filter(o -> o.type() == OpType.Add).findFirst()
                .orElseThrow().name());
    }

    @Test
    void reluThatRescalesGetsItsOwnAveragePool() {
        FrontEndResult r = run(ModelBuilder.int8("r").input(1, 4, 4, 8).relu().quantization(0.02f, -128).output());
        FrontEndResult.OperationInfo pool = npuOp(r, OpType.AvgPool);
        assertEquals("relu_avgpool", pool.name());
        assertEquals(OpType.Relu, pool.activation().type());
        assertEquals(4 * 4 * 8, r.nnMacs());
    }

    @Test
    void expIsAStandaloneTableOnAGraphInput() {
        FrontEndResult r = run(ModelBuilder.int8("e").input(1, 4, 4, 8).exp().output());
        FrontEndResult.OperationInfo lut = npuOp(r, OpType.Add);
        assertEquals("exp_lut_exp", lut.name());
        double inScale = lut.ifm().quantization().scale();
        double outScale = lut.ofm().quantization().scale();
        long zpIn = lut.ifm().quantization().zeroPoint();
        long zpOut = lut.ofm().quantization().zeroPoint();
        assertEquals(Math.round(Math.exp(inScale * (0 - zpIn)) / outScale) + zpOut, entry(lut, 0), 1);
    }

    @Test
    void rsqrtIsTheReferenceKernelsFixedPointTable() {
        FrontEndResult r = run(ModelBuilder.int8("r").input(1, 4, 4, 8).quantization(0.25f, 0).rsqrt()
                .quantization(1f / 64, 0).output());
        FrontEndResult.OperationInfo lut = npuOp(r, OpType.Add);
        assertEquals("rsqrt_lut_rsqrt", lut.name());
        // 1/sqrt(1.0) = 1 and 1/sqrt(4.0) = 0.5 at the output scale 1/64; the lowest input gives the maximum
        assertEquals(64, entry(lut, 4), 1);
        assertEquals(32, entry(lut, 16), 1);
        assertEquals(127, entry(lut, -128));
        assertEquals(0, entry(lut, 0));
    }

    @Test
    void uint8LogHasNoTableAndRunsOnTheCpu() {
        FrontEndResult r = run(ModelBuilder.uint8("l").input(1, 4, 4, 8).conv2d(8, 1, 1).log().output());
        assertEquals(List.of(OpType.Conv2DBias), npuTypes(r));
        assertEquals("Log", r.cpuOperators().get(0).typeName());
        assertTrue(r.warnings().contains("Warning: LOG 'log' is not supported on the NPU. Placing on CPU instead"));
    }

    @Test
    void int16ExpIsABaseAndSlopeTable() {
        ModelBuilder b = ModelBuilder.int8("e").input(1, 4, 4, 8).quantize(DataType.INT16, 0.0005f, 0);
        FrontEndResult r = run(b.exp().quantization(0.0005f, 0).output());
        // the table fuses into the AvgPool the QUANTIZE became
        assertEquals(List.of(OpType.AvgPool), npuTypes(r));
        FrontEndResult.OperationInfo pool = r.npuOperators().get(0);
        assertEquals(512, pool.activation().lut().size());
        assertEquals(DataType.INT32, pool.activation().lut().type());
    }
}
