package npuc.frontend;

import static npuc.frontend.LoweringAssertions.npuOp;
import static npuc.frontend.LoweringAssertions.npuTypes;
import static npuc.frontend.LoweringAssertions.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import npuc.graph.DataType;
import npuc.tflite.ModelBuilder;

/** QUANTIZE (an AvgPool, or folded when constant), DEQUANTIZE on the CPU, and LSTM unrolling. */
class QuantizeAndLstmLoweringTest {

    @Test
    void quantizeIsAnAveragePoolThatRequantizes() {
        FrontEndResult r = run(ModelBuilder.int8("q").input(1, 4, 4, 8).quantize(DataType.INT16, 0.001f, 0)
                .output());
        FrontEndResult.OperationInfo pool = npuOp(r, OpType.AvgPool);
        assertEquals("quantize", pool.name());
        assertEquals(1, pool.kernel().width());
        assertEquals(DataType.INT16, pool.ofm().type());
        assertEquals(4 * 4 * 8, r.nnMacs());
    }

    @Test
    void quantizeOfAConstantIsFoldedIntoIt() {
        ModelBuilder q = ModelBuilder.int8("q").input(1, 4).quantization(0.05f, 0);
        ModelBuilder.Node x = q.node();
        ModelBuilder.Node c = q.constant("c", 0.01f, 0, new float[]{0.5f, -0.2f, 0f, 1f}, 4);
        q.from(c).quantize(DataType.INT8, 0.02f, 3);
        FrontEndResult r = run(q.add(x, q.node()).output());
        assertEquals(List.of(OpType.Add), npuTypes(r));
        FrontEndResult.TensorInfo folded = r.npuOperators().get(0).ifm2();
        // 50, -20, 0, 100 at scale 0.01 requantized to scale 0.02 with zero point 3
        assertEquals(List.of(28L, -7L, 3L, 53L), java.util.Arrays.stream(folded.values().toLongArray()).boxed()
                .toList());
    }

    @Test
    void shapeOfAKnownTensorIsAConstantCopiedIntoTheGraphOutput() {
        OneOperatorGraph g = OneOperatorGraph.of(npuc.graph.BuiltinOperator.SHAPE,
                        new npuc.graph.BuiltinOptions.Shape(DataType.INT32))
                .in("x", DataType.INT8, OneOperatorGraph.Q, 1, 4, 4, 8)
                .out("y", DataType.INT32, null, 4);
        FrontEndResult r = run(g.build());
        assertEquals(List.of(OpType.Add), npuTypes(r));
        FrontEndResult.OperationInfo copy = r.npuOperators().get(0);
        assertEquals("y_copy", copy.name());
        assertEquals(List.of(1L, 4L, 4L, 8L), java.util.Arrays.stream(copy.ifm().values().toLongArray()).boxed()
                .toList());
    }

    @Test
    void dequantizeStaysOnTheCpu() {
        FrontEndResult r = run(ModelBuilder.int8("q").input(1, 4, 4, 8).conv2d(8, 1, 1).dequantize().output());
        assertEquals(List.of(OpType.Conv2DBias), npuTypes(r));
        assertEquals(OpType.Dequantize, r.cpuOperators().get(0).type());
    }

    @Test
    void lstmIsUnrolledIntoEighteenOperationsPerTimeStep() {
        // batch 1, 2 time steps of 4 features, 8 cells
        FrontEndResult r = run(LstmGraphs.lstm(DataType.INT8, 24, 5, true).build());
        assertEquals(2 * 18 + 1, r.npuOperators().size());
        long fcs = r.npuOperators().stream().filter(o -> o.type() == OpType.FullyConnected).count();
        assertEquals(2 * 8, fcs);
        FrontEndResult.OperationInfo inputGate = npuOp(r, "input_gate#0.0_add");
        assertEquals(OpType.Add, inputGate.type());
        assertEquals(OpType.Sigmoid, inputGate.activation().type());
        assertEquals(OpType.Tanh, npuOp(r, "cell_gate#0.1_add").activation().type());
        assertEquals(OpType.Tanh, npuOp(r, "output_state#0.0_tanh").activation().type());
        FrontEndResult.OperationInfo put = npuOp(r, "out#0.1");
        assertEquals(new Shape4(0, 0, 1, 0), put.writeOffset());
        assertTrue(r.npuOperators().stream().anyMatch(o -> o.name().equals("cell_state_state#0_avgpool")));
        // per step 4 gates of input (4 x 8) and recurrent (8 x 8) products, the tanh and the output copy;
        // once, the copy of the initial cell state
        assertEquals(2 * (4 * 4 * 8 + 4 * 8 * 8 + 8 + 8) + 8, r.nnMacs());
        // the weights are shared by the steps and counted once
        assertEquals(4 * 8 * 4 + 4 * 8 * 8, r.totalOriginalWeights());
    }
}
