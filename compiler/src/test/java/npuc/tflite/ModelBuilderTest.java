package npuc.tflite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import npuc.graph.Activation;
import npuc.graph.BuiltinOperator;
import npuc.graph.BuiltinOptions;
import npuc.graph.DataType;
import npuc.graph.Graph;
import npuc.graph.Operator;
import npuc.graph.OperatorCode;
import npuc.graph.Padding;
import npuc.graph.Quantization;
import npuc.graph.Tensor;
import npuc.tflite.ModelBuilder.Node;

class ModelBuilderTest {

    // ----- reading the built Graph

    private static List<Tensor> tensors(Graph g) {
        return g.subgraphs().get(0).tensors();
    }

    private static List<Operator> operators(Graph g) {
        return g.subgraphs().get(0).operators();
    }

    private static Operator lastOp(Graph g) {
        List<Operator> ops = operators(g);
        return ops.get(ops.size() - 1);
    }

    private static Tensor input(Graph g, Operator op, int i) {
        return tensors(g).get(op.inputs().get(i));
    }

    private static Tensor output(Graph g, Operator op) {
        return tensors(g).get(op.outputs().get(0));
    }

    private static byte[] data(Graph g, Tensor t) {
        return g.buffers().get(t.buffer()).data().toArray();
    }

    private static int[] int32s(Graph g, Tensor t) {
        ByteBuffer view = g.buffers().get(t.buffer()).data().view();
        int[] out = new int[view.remaining() / 4];
        for (int i = 0; i < out.length; i++) {
            out[i] = view.getInt();
        }
        return out;
    }

    private static BuiltinOperator opOf(Graph g, Operator op) {
        return g.operatorCode(op).builtin();
    }

    private static List<BuiltinOperator> opSequence(Graph g) {
        return operators(g).stream().map(op -> opOf(g, op)).toList();
    }

    private static ModelBuilder int8Input(int... shape) {
        return ModelBuilder.int8("test").input(shape);
    }

    // ----- operators

    @Nested
    class Conv2D {
        @Test
        void sameStride2GivesCeilOfHalfAndPerChannelInt8Weights() {
            Graph g = int8Input(1, 32, 32, 3)
                    .conv2d(8, 3, 3).stride(2, 2).padding(Padding.SAME).activation(Activation.RELU)
                    .build();
            Operator op = lastOp(g);
            assertEquals(BuiltinOperator.CONV_2D, opOf(g, op));
            assertEquals(3, op.inputs().size());

            Tensor in = input(g, op, 0);
            Tensor weights = input(g, op, 1);
            Tensor bias = input(g, op, 2);
            Tensor out = output(g, op);
            assertEquals(List.of(1, 16, 16, 8), out.shape());
            assertEquals(DataType.INT8, out.type());

            assertEquals(List.of(8, 3, 3, 3), weights.shape());
            assertEquals(DataType.INT8, weights.type());
            assertEquals(8 * 3 * 3 * 3, data(g, weights).length);
            Quantization wq = weights.quantization();
            assertEquals(8, wq.scale().size());
            assertEquals(List.of(0L, 0L, 0L, 0L, 0L, 0L, 0L, 0L), wq.zeroPoint());
            assertEquals(0, wq.quantizedDimension());

            assertEquals(List.of(8), bias.shape());
            assertEquals(DataType.INT32, bias.type());
            assertEquals(8 * 4, data(g, bias).length);
            Quantization bq = bias.quantization();
            assertEquals(8, bq.scale().size());
            float inScale = in.quantization().scale().get(0);
            for (int c = 0; c < 8; c++) {
                assertEquals(inScale * wq.scale().get(c), bq.scale().get(c), 1e-12f);
                assertEquals(0L, bq.zeroPoint().get(c));
            }

            assertEquals(new BuiltinOptions.Conv2D(Padding.SAME, 2, 2, Activation.RELU, 1, 1), op.options());
            // RELU output is non-negative: its range starts at the lowest int8 value.
            assertEquals(-128L, out.quantization().zeroPoint().get(0));
            assertEquals(List.of(new OperatorCode(BuiltinOperator.CONV_2D.code(), null, 3)), g.operatorCodes());
        }

        @Test
        void int8WeightsAreSymmetricAndUseTheFullRangeInEveryChannel() {
            Graph g = int8Input(1, 8, 8, 4).conv2d(6, 3, 3).build();
            Tensor weights = input(g, lastOp(g), 1);
            byte[] q = data(g, weights);
            int perChannel = 3 * 3 * 4;
            for (int c = 0; c < 6; c++) {
                int maxAbs = 0;
                for (int i = 0; i < perChannel; i++) {
                    int v = q[c * perChannel + i];
                    assertTrue(v >= -127 && v <= 127, "int8 weight " + v + " outside [-127, 127]");
                    maxAbs = Math.max(maxAbs, Math.abs(v));
                }
                assertEquals(127, maxAbs, "channel " + c);
            }
        }

        @Test
        void validPaddingStridesAndDilationShrinkTheOutput() {
            assertEquals(List.of(1, 4, 4, 2), output(int8Input(1, 10, 10, 3)
                    .conv2d(2, 3, 3).padding(Padding.VALID).stride(2, 2).build()));
            // A 3x3 kernel dilated by 2 spans 5 pixels: 10 - 5 + 1 = 6.
            Graph dilated = int8Input(1, 10, 10, 3).conv2d(2, 3, 3).padding(Padding.VALID).dilation(2, 2).build();
            assertEquals(List.of(1, 6, 6, 2), output(dilated));
            assertEquals(new BuiltinOptions.Conv2D(Padding.VALID, 1, 1, Activation.NONE, 2, 2),
                    lastOp(dilated).options());
            // Non-square: height 3, width 1 kernel, stride 1x2, SAME.
            assertEquals(List.of(1, 7, 5, 4), output(int8Input(1, 7, 9, 3)
                    .conv2d(4, 3, 1).stride(1, 2).build()));
        }

        @Test
        void explicitWeightsAndBiasAreQuantizedPerChannel() {
            float[] w = new float[2 * 1 * 1 * 2];
            w[0] = 0.5f;   // channel 0
            w[1] = -0.25f;
            w[2] = 2f;     // channel 1
            w[3] = 1f;
            Graph g = int8Input(1, 4, 4, 2).quantization(0.5f, 0)
                    .conv2d(2, 1, 1).weights(w).bias(1f, -2f)
                    .build();
            Operator op = lastOp(g);
            Tensor weights = input(g, op, 1);
            assertArrayEquals(new byte[] {127, -64, 127, 64}, data(g, weights));
            assertEquals(List.of(0.5f / 127, 2f / 127), weights.quantization().scale());
            Tensor bias = input(g, op, 2);
            // bias / (input scale * weight scale): 1 / (0.5 * 0.5/127) = 508, -2 / (0.5 * 2/127) = -254.
            assertArrayEquals(new int[] {508, -254}, int32s(g, bias));
        }

        @Test
        void explicitOutputQuantizationIsKept() {
            Graph g = int8Input(1, 4, 4, 2).conv2d(2, 1, 1).quantization(0.125f, 5).build();
            assertEquals(Quantization.perTensor(0.125f, 5), output(g, lastOp(g)).quantization());
        }
    }

    @Nested
    class DepthwiseConv2D {
        @Test
        void weightsAre1HWCTimesMQuantizedAlongDimension3() {
            Graph g = int8Input(1, 8, 8, 4)
                    .depthwiseConv2d(3, 3).depthMultiplier(2).activation(Activation.RELU6)
                    .build();
            Operator op = lastOp(g);
            assertEquals(BuiltinOperator.DEPTHWISE_CONV_2D, opOf(g, op));
            assertEquals(List.of(1, 8, 8, 8), output(g, op).shape());
            Tensor weights = input(g, op, 1);
            assertEquals(List.of(1, 3, 3, 8), weights.shape());
            assertEquals(3 * 3 * 8, data(g, weights).length);
            assertEquals(3, weights.quantization().quantizedDimension());
            assertEquals(8, weights.quantization().scale().size());
            Tensor bias = input(g, op, 2);
            assertEquals(List.of(8), bias.shape());
            assertEquals(8, bias.quantization().scale().size());
            assertEquals(new BuiltinOptions.DepthwiseConv2D(Padding.SAME, 1, 1, 2, Activation.RELU6, 1, 1),
                    op.options());
            assertEquals(3, g.operatorCodes().get(0).version());
            // RELU6 output: [0, 6] at most, so the scale is at most 6/255.
            Quantization out = output(g, op).quantization();
            assertTrue(out.scale().get(0) <= 6f / 255 + 1e-7f);
            assertEquals(-128L, out.zeroPoint().get(0));
        }

        @Test
        void channelsAreTheInnermostWeightDimension() {
            // Channel c's weights are at indices c, c + 3, ...: give channel 1 a larger range than the others.
            float[] w = new float[2 * 2 * 3];
            for (int i = 0; i < w.length; i++) {
                w[i] = i % 3 == 1 ? 4f : 1f;
            }
            Graph g = int8Input(1, 5, 5, 3).depthwiseConv2d(2, 2).padding(Padding.VALID).weights(w).build();
            Tensor weights = input(g, lastOp(g), 1);
            assertEquals(List.of(1f / 127, 4f / 127, 1f / 127), weights.quantization().scale());
            assertEquals(List.of(1, 4, 4, 3), output(g, lastOp(g)).shape());
        }

        @Test
        void dilatedStridedValid() {
            Graph g = int8Input(1, 11, 11, 2).depthwiseConv2d(3, 3).dilation(2, 2).stride(2, 2)
                    .padding(Padding.VALID).build();
            // ceil((11 - 5 + 1) / 2) = 4
            assertEquals(List.of(1, 4, 4, 2), output(g, lastOp(g)).shape());
        }
    }

    @Nested
    class FullyConnected {
        @Test
        void weightsAreUnitsByInputsQuantizedPerTensor() {
            Graph g = int8Input(1, 64).fullyConnected(10).activation(Activation.RELU).build();
            Operator op = lastOp(g);
            assertEquals(BuiltinOperator.FULLY_CONNECTED, opOf(g, op));
            assertEquals(List.of(1, 10), output(g, op).shape());
            Tensor weights = input(g, op, 1);
            assertEquals(List.of(10, 64), weights.shape());
            assertEquals(640, data(g, weights).length);
            assertEquals(1, weights.quantization().scale().size());
            assertEquals(List.of(0L), weights.quantization().zeroPoint());
            assertEquals(List.of(10), input(g, op, 2).shape());
            Quantization bias = input(g, op, 2).quantization();
            assertEquals(List.of(input(g, op, 0).quantization().scale().get(0) * weights.quantization().scale().get(0)),
                    bias.scale());
            assertEquals(new BuiltinOptions.FullyConnected(Activation.RELU, 0, false, false), op.options());
            assertEquals(4, g.operatorCodes().get(0).version());
        }

        @Test
        void leadingDimensionsFlattenIntoBatchesUnlessKept() {
            assertEquals(List.of(1, 10), output(int8Input(1, 1, 1, 64).fullyConnected(10).build()));
            assertEquals(List.of(6, 4), output(int8Input(2, 3, 5).fullyConnected(4).build()));
            Graph kept = int8Input(1, 1, 1, 64).fullyConnected(10).keepNumDims(true).build();
            assertEquals(List.of(1, 1, 1, 10), output(kept));
            assertEquals(5, kept.operatorCodes().get(0).version());
        }
    }

    @Nested
    class Pooling {
        @Test
        void averagePoolDefaultsToNonOverlappingValidWindows() {
            Graph g = int8Input(1, 8, 8, 4).averagePool(2, 2).build();
            Operator op = lastOp(g);
            assertEquals(BuiltinOperator.AVERAGE_POOL_2D, opOf(g, op));
            assertEquals(List.of(1, 4, 4, 4), output(g, op).shape());
            assertEquals(1, op.inputs().size());
            assertEquals(new BuiltinOptions.Pool2D(Padding.VALID, 2, 2, 2, 2, Activation.NONE), op.options());
            assertEquals(input(g, op, 0).quantization(), output(g, op).quantization());
            assertEquals(2, g.operatorCodes().get(0).version());
        }

        @Test
        void maxPoolWithStrideAndSamePadding() {
            Graph g = int8Input(1, 9, 9, 4).maxPool(3, 3).stride(2, 2).padding(Padding.SAME)
                    .activation(Activation.RELU).build();
            Operator op = lastOp(g);
            assertEquals(BuiltinOperator.MAX_POOL_2D, opOf(g, op));
            assertEquals(List.of(1, 5, 5, 4), output(g, op).shape());
            assertEquals(new BuiltinOptions.Pool2D(Padding.SAME, 2, 2, 3, 3, Activation.RELU), op.options());
            assertEquals(input(g, op, 0).quantization(), output(g, op).quantization());
        }

        @Test
        void globalAveragePoolCoversHeightAndWidth() {
            Graph g = int8Input(1, 7, 5, 16).globalAveragePool().build();
            assertEquals(List.of(1, 1, 1, 16), output(g));
            assertEquals(new BuiltinOptions.Pool2D(Padding.VALID, 5, 7, 5, 7, Activation.NONE),
                    lastOp(g).options());
        }
    }

    @Nested
    class Elementwise {
        @Test
        void addOfTwoBranchesCoversTheSumOfTheirRanges() {
            ModelBuilder b = int8Input(1, 8, 8, 4).quantization(0.1f, 0);
            Node x = b.node();
            Node y = b.conv2d(4, 3, 3).quantization(0.2f, -10).node();
            Graph g = b.add(x, y).activation(Activation.RELU).build();
            Operator op = lastOp(g);
            assertEquals(BuiltinOperator.ADD, opOf(g, op));
            assertEquals(List.of(x.tensorIndex(), y.tensorIndex()), op.inputs());
            assertEquals(List.of(1, 8, 8, 4), output(g, op).shape());
            assertEquals(new BuiltinOptions.Add(Activation.RELU, false), op.options());
            // x covers [-12.8, 12.7], y [-23.6, 27.4]; after RELU the sum covers [0, 40.1].
            Quantization q = output(g, op).quantization();
            assertEquals(40.1f / 255, q.scale().get(0), 1e-5f);
            assertEquals(-128L, q.zeroPoint().get(0));
        }

        @Test
        void addBroadcastsAndTheChainFormReadsTheCurrentTensor() {
            ModelBuilder b = int8Input(1, 1, 1, 8);
            Node bias = b.node();
            Graph g = b.input(1, 4, 4, 8).add(bias).build();
            Operator op = lastOp(g);
            assertEquals(List.of(1, 4, 4, 8), output(g, op).shape());
            assertEquals(bias.tensorIndex(), op.inputs().get(1));
            assertEquals(2, g.subgraphs().get(0).inputs().size());
        }

        @Test
        void mulCoversTheProductRange() {
            ModelBuilder b = int8Input(1, 4, 4, 2).quantization(0.1f, 0);
            Node x = b.node();
            Node y = b.input(1, 4, 4, 2).quantization(0.05f, -128).node();
            Graph g = b.mul(x, y).build();
            Operator op = lastOp(g);
            assertEquals(BuiltinOperator.MUL, opOf(g, op));
            assertEquals(new BuiltinOptions.Mul(Activation.NONE), op.options());
            // x: [-12.8, 12.7], y: [0, 12.75]; the product covers [-163.2, 161.925].
            Quantization q = output(g, op).quantization();
            assertEquals((163.2f + 161.925f) / 255, q.scale().get(0), 1e-4f);
        }

        @Test
        void mismatchedShapesAreRefused() {
            ModelBuilder b = int8Input(1, 4, 4, 8);
            Node x = b.node();
            b.input(1, 4, 4, 3);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.add(x));
            assertTrue(e.getMessage().contains("neither equal nor broadcastable"), e.getMessage());
            assertTrue(e.getMessage().contains("ADD"), e.getMessage());
        }
    }

    @Nested
    class Reshape {
        @Test
        void shapeGoesIntoOptionsAndAnInt32Tensor() {
            Graph g = int8Input(1, 4, 4, 8).reshape(1, -1).build();
            Operator op = lastOp(g);
            assertEquals(BuiltinOperator.RESHAPE, opOf(g, op));
            assertEquals(List.of(1, 128), output(g, op).shape());
            assertEquals(new BuiltinOptions.Reshape(List.of(1, 128)), op.options());
            Tensor shape = input(g, op, 1);
            assertEquals(DataType.INT32, shape.type());
            assertEquals(List.of(2), shape.shape());
            assertArrayEquals(new int[] {1, 128}, int32s(g, shape));
            assertEquals(input(g, op, 0).quantization(), output(g, op).quantization());
            assertEquals(1, g.operatorCodes().get(0).version());
        }

        @Test
        void badShapesAreRefused() {
            ModelBuilder b = int8Input(1, 4, 4, 8);
            assertThrows(IllegalArgumentException.class, () -> b.reshape(-1, -1));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.reshape(1, 100));
            assertTrue(e.getMessage().contains("128"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> b.reshape(3, -1));
            assertThrows(IllegalArgumentException.class, () -> b.reshape(0, 128));
        }
    }

    @Nested
    class Softmax {
        @Test
        void int8OutputIsScale1Over256ZeroPointMinus128() {
            Graph g = int8Input(1, 10).softmax().beta(0.5f).build();
            Operator op = lastOp(g);
            assertEquals(BuiltinOperator.SOFTMAX, opOf(g, op));
            assertEquals(List.of(1, 10), output(g, op).shape());
            assertEquals(Quantization.perTensor(1f / 256, -128), output(g, op).quantization());
            assertEquals(new BuiltinOptions.Softmax(0.5f), op.options());
            assertEquals(1, op.inputs().size());
        }

        @Test
        void uint8OutputIsScale1Over256ZeroPoint0() {
            Graph g = ModelBuilder.uint8("u").input(1, 10).softmax().build();
            assertEquals(Quantization.perTensor(1f / 256, 0), output(g, lastOp(g)).quantization());
            assertEquals(new BuiltinOptions.Softmax(1f), lastOp(g).options());
            assertEquals(1, g.operatorCodes().get(0).version());
        }
    }

    @Nested
    class Concatenation {
        @Test
        void concatenatesAlongANormalizedAxis() {
            ModelBuilder b = int8Input(1, 4, 4, 3);
            Node x = b.node();
            Node y = b.conv2d(5, 1, 1).quantization(1f / 255, -128).node();
            Node z = b.from(x).depthwiseConv2d(3, 3).quantization(1f / 255, -128).node();
            Graph g = b.concatenation(-1, x, y, z).build();
            Operator op = lastOp(g);
            assertEquals(BuiltinOperator.CONCATENATION, opOf(g, op));
            assertEquals(List.of(x.tensorIndex(), y.tensorIndex(), z.tensorIndex()), op.inputs());
            assertEquals(List.of(1, 4, 4, 11), output(g, op).shape());
            assertEquals(new BuiltinOptions.Concatenation(3, Activation.NONE), op.options());
            // All inputs share one quantization (the input's default is 1/255, -128): the output keeps it.
            assertEquals(x.quantization(), output(g, op).quantization());
        }

        @Test
        void differentlyQuantizedInputsGiveTheUnionRange() {
            ModelBuilder b = int8Input(1, 2, 2, 1).quantization(0.1f, 0);
            Node x = b.node();
            Node y = b.input(1, 2, 2, 1).quantization(0.2f, -128).node();
            Graph g = b.concatenation(1, x, y).build();
            assertEquals(List.of(1, 4, 2, 1), output(g));
            // [-12.8, 12.7] and [0, 51] give [-12.8, 51].
            assertEquals((12.8f + 51f) / 255, output(g, lastOp(g)).quantization().scale().get(0), 1e-5f);
        }

        @Test
        void mismatchesAreRefused() {
            ModelBuilder b = int8Input(1, 4, 4, 3);
            Node x = b.node();
            Node y = b.input(1, 4, 5, 3).node();
            Node flat = b.input(1, 48).node();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> b.concatenation(3, x, y));
            assertTrue(e.getMessage().contains("dimension 2"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> b.concatenation(1, x, flat));
            assertThrows(IllegalArgumentException.class, () -> b.concatenation(4, x, x));
            assertThrows(IllegalArgumentException.class, () -> b.concatenation(3, x));
        }
    }

    @Nested
    class Pad {
        @Test
        void paddingsAreAnInt32RankBy2Constant() {
            Graph g = int8Input(1, 8, 8, 3).pad(0, 0, 1, 2, 3, 4, 0, 0).build();
            Operator op = lastOp(g);
            assertEquals(BuiltinOperator.PAD, opOf(g, op));
            assertEquals(List.of(1, 11, 15, 3), output(g, op).shape());
            Tensor paddings = input(g, op, 1);
            assertEquals(DataType.INT32, paddings.type());
            assertEquals(List.of(4, 2), paddings.shape());
            assertArrayEquals(new int[] {0, 0, 1, 2, 3, 4, 0, 0}, int32s(g, paddings));
            assertEquals(new BuiltinOptions.Pad(), op.options());
            assertEquals(input(g, op, 0).quantization(), output(g, op).quantization());
        }

        @Test
        void badPaddingsAreRefused() {
            ModelBuilder b = int8Input(1, 8, 8, 3);
            assertThrows(IllegalArgumentException.class, () -> b.pad(1, 1, 1, 1));
            assertThrows(IllegalArgumentException.class, () -> b.pad(0, 0, -1, 0, 0, 0, 0, 0));
        }
    }

    @Nested
    class Mean {
        @Test
        void axisIsAnInt32ConstantAndKeepDimsDefaultsToTrue() {
            Graph g = int8Input(1, 6, 6, 8).mean(1, 2).build();
            Operator op = lastOp(g);
            assertEquals(BuiltinOperator.MEAN, opOf(g, op));
            assertEquals(List.of(1, 1, 1, 8), output(g, op).shape());
            Tensor axis = input(g, op, 1);
            assertEquals(DataType.INT32, axis.type());
            assertEquals(List.of(2), axis.shape());
            assertArrayEquals(new int[] {1, 2}, int32s(g, axis));
            assertEquals(new BuiltinOptions.Reducer(true), op.options());
        }

        @Test
        void negativeAxesAndDroppedDimensions() {
            Graph g = int8Input(1, 6, 6, 8).mean(-3, -2).keepDims(false).build();
            assertEquals(List.of(1, 8), output(g));
            assertArrayEquals(new int[] {1, 2}, int32s(g, input(g, lastOp(g), 1)));
            assertEquals(new BuiltinOptions.Reducer(false), lastOp(g).options());
        }

        @Test
        void badAxesAreRefused() {
            ModelBuilder b = int8Input(1, 6, 6, 8);
            assertThrows(IllegalArgumentException.class, () -> b.mean(1, 1));
            assertThrows(IllegalArgumentException.class, () -> b.mean(4));
            assertThrows(IllegalArgumentException.class, () -> b.mean());
        }
    }

    // ----- whole models

    @Test
    void uint8ModelsQuantizeWeightsPerTensorAsymmetrically() {
        Graph g = ModelBuilder.uint8("u8").input(1, 8, 8, 3)
                .conv2d(4, 3, 3).activation(Activation.RELU)
                .depthwiseConv2d(3, 3)
                .reshape(1, -1).fullyConnected(5)
                .build();
        for (Tensor t : tensors(g)) {
            if (t.buffer() == 0) {
                assertEquals(DataType.UINT8, t.type(), t.name());
            }
        }
        assertEquals(Quantization.perTensor(1f / 255, 0), tensors(g).get(0).quantization());
        for (Operator op : operators(g)) {
            if (op.inputs().size() != 3) {
                continue;
            }
            Tensor weights = input(g, op, 1);
            Tensor bias = input(g, op, 2);
            assertEquals(DataType.UINT8, weights.type());
            assertFalse(weights.quantization().isPerAxis());
            long zp = weights.quantization().zeroPoint().get(0);
            assertTrue(zp > 0 && zp < 255, "asymmetric zero point " + zp);
            assertEquals(DataType.INT32, bias.type());
            assertEquals(1, bias.quantization().scale().size());
            assertEquals(input(g, op, 0).quantization().scale().get(0) * weights.quantization().scale().get(0),
                    bias.quantization().scale().get(0), 1e-12f);
            assertEquals(0L, bias.quantization().zeroPoint().get(0));
            assertTrue(output(g, op).quantization().zeroPoint().get(0) >= 0);
        }
        for (OperatorCode code : g.operatorCodes()) {
            assertEquals(1, code.version(), code.displayName());
        }
    }

    @Test
    void uint8ExplicitWeightsMapZeroExactly() {
        Graph g = ModelBuilder.uint8("u8").input(1, 2).fullyConnected(1).weights(-1f, 3f).build();
        Tensor weights = input(g, lastOp(g), 1);
        // [-1, 3] over 255 steps: scale 4/255, zero point round(255/4) = 64.
        assertEquals(Quantization.perTensor(4f / 255, 64), weights.quantization());
        byte[] q = data(g, weights);
        assertEquals(0, q[0] & 0xff);
        assertEquals(255, q[1] & 0xff);
    }

    @Test
    void operatorCodesAreDeduplicatedInFirstUseOrderAtTheHighestVersion() {
        Graph g = int8Input(1, 8, 8, 4)
                .conv2d(4, 3, 3).conv2d(4, 1, 1)
                .reshape(1, 1, -1).fullyConnected(8).keepNumDims(true)
                .reshape(1, -1).fullyConnected(3)
                .build();
        assertEquals(List.of(
                new OperatorCode(BuiltinOperator.CONV_2D.code(), null, 3),
                new OperatorCode(BuiltinOperator.RESHAPE.code(), null, 1),
                new OperatorCode(BuiltinOperator.FULLY_CONNECTED.code(), null, 5)), g.operatorCodes());
        assertEquals(List.of(0, 0, 1, 2, 1, 2), operators(g).stream().map(Operator::opcodeIndex).toList());
    }

    @Test
    void buffersHoldOnlyConstantsEachInItsOwnBuffer() {
        Graph g = ModelBuilder.everyOperator(DataType.INT8).build();
        assertTrue(g.buffers().get(0).data().isEmpty());
        Set<Integer> used = new HashSet<>();
        int constants = 0;
        for (Tensor t : tensors(g)) {
            boolean constant = t.buffer() != 0;
            if (constant) {
                constants++;
                assertTrue(used.add(t.buffer()), "buffer " + t.buffer() + " shared");
                long expected = t.elementCount() * t.type().bytes();
                assertEquals(expected, g.buffers().get(t.buffer()).data().size(), t.name());
            }
        }
        assertEquals(constants + 1, g.buffers().size());
        // Feature maps are computed or fed in: none of them has data.
        for (Operator op : operators(g)) {
            assertEquals(0, output(g, op).buffer());
        }
    }

    @Test
    void tensorNamesAreUniqueAndNameSetsThePrefix() {
        Graph g = int8Input(1, 8, 8, 4).conv2d(4, 3, 3).name("stem").conv2d(4, 3, 3).conv2d(4, 3, 3).build();
        List<String> names = tensors(g).stream().map(Tensor::name).toList();
        assertEquals(names.size(), new HashSet<>(names).size(), names.toString());
        assertTrue(names.containsAll(List.of("stem", "stem/weights", "stem/bias", "conv2d_1", "conv2d_2")),
                names.toString());

        ModelBuilder b = int8Input(1, 8, 8, 4).conv2d(4, 3, 3).name("stem");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> b.conv2d(4, 3, 3).name("stem"));
        assertTrue(e.getMessage().contains("'stem' is already used"), e.getMessage());
    }

    @Test
    void inputsAndOutputsOfTheSubgraph() {
        ModelBuilder b = int8Input(1, 8, 8, 4);
        Node in = b.node();
        Node first = b.conv2d(4, 3, 3).node();
        Node second = b.conv2d(2, 1, 1).node();
        Graph g = b.output(second, first).build();
        assertEquals(List.of(in.tensorIndex()), g.subgraphs().get(0).inputs());
        assertEquals(List.of(second.tensorIndex(), first.tensorIndex()), g.subgraphs().get(0).outputs());

        Graph implicit = int8Input(1, 8, 8, 4).conv2d(4, 3, 3).build();
        assertEquals(List.of(operators(implicit).get(0).outputs().get(0)), implicit.subgraphs().get(0).outputs());
        assertEquals(1, implicit.subgraphs().size());
        assertEquals(3, implicit.version());
    }

    @Test
    void sameSeedSameGraphOtherSeedOtherWeights() {
        Graph a = ModelBuilder.int8("m").seed(7).input(1, 8, 8, 3).conv2d(4, 3, 3).build();
        Graph b = ModelBuilder.int8("m").seed(7).input(1, 8, 8, 3).conv2d(4, 3, 3).build();
        Graph c = ModelBuilder.int8("m").seed(8).input(1, 8, 8, 3).conv2d(4, 3, 3).build();
        assertEquals(a, b);
        assertNotEquals(a.buffers().get(1), c.buffers().get(1));
        // The default seed is deterministic too.
        assertEquals(ModelBuilder.keywordSpotting().build(), ModelBuilder.keywordSpotting().build());
    }

    @Test
    void operatorsHaveNoCustomOptionsOrIntermediates() {
        for (Operator op : operators(ModelBuilder.everyOperator(DataType.UINT8).build())) {
            assertNull(op.customOptions());
            assertTrue(op.intermediates().isEmpty());
            assertTrue(op.mutatingVariableInputs().isEmpty());
        }
    }

    // ----- examples

    @Test
    void keywordSpottingExample() {
        Graph g = ModelBuilder.keywordSpotting().build();
        assertEquals(List.of(BuiltinOperator.CONV_2D,
                BuiltinOperator.DEPTHWISE_CONV_2D, BuiltinOperator.CONV_2D,
                BuiltinOperator.DEPTHWISE_CONV_2D, BuiltinOperator.CONV_2D,
                BuiltinOperator.AVERAGE_POOL_2D, BuiltinOperator.RESHAPE,
                BuiltinOperator.FULLY_CONNECTED, BuiltinOperator.SOFTMAX), opSequence(g));
        assertEquals(List.of(1, 49, 10, 1), tensors(g).get(g.subgraphs().get(0).inputs().get(0)).shape());
        assertEquals(List.of(1, 25, 5, 32), output(g, operators(g).get(0)).shape());
        Tensor out = tensors(g).get(g.subgraphs().get(0).outputs().get(0));
        assertEquals(List.of(1, 12), out.shape());
        assertEquals(6, g.operatorCodes().size());
    }

    @Test
    void mobileNetBlockExampleHasAResidualAdd() {
        Graph g = ModelBuilder.mobileNetBlock().build();
        assertEquals(List.of(BuiltinOperator.CONV_2D, BuiltinOperator.DEPTHWISE_CONV_2D, BuiltinOperator.CONV_2D,
                BuiltinOperator.ADD, BuiltinOperator.MEAN, BuiltinOperator.FULLY_CONNECTED,
                BuiltinOperator.SOFTMAX), opSequence(g));
        Operator add = operators(g).get(3);
        int modelInput = g.subgraphs().get(0).inputs().get(0);
        assertEquals(List.of(modelInput, operators(g).get(2).outputs().get(0)), add.inputs());
        assertEquals(List.of(1, 32, 32, 16), output(g, add).shape());
        assertEquals(List.of(1, 32, 32, 64), output(g, operators(g).get(1)).shape());
        assertEquals(List.of(1, 16), output(g, operators(g).get(4)).shape());
        assertEquals(List.of(1, 10), output(g));
    }

    @Test
    void everyOperatorExampleUsesEveryOperatorInBothTypes() {
        for (DataType type : List.of(DataType.INT8, DataType.UINT8)) {
            Graph g = ModelBuilder.everyOperator(type).build();
            Set<BuiltinOperator> ops = new HashSet<>(opSequence(g));
            assertEquals(Set.of(BuiltinOperator.CONV_2D, BuiltinOperator.DEPTHWISE_CONV_2D,
                    BuiltinOperator.FULLY_CONNECTED, BuiltinOperator.AVERAGE_POOL_2D, BuiltinOperator.MAX_POOL_2D,
                    BuiltinOperator.ADD, BuiltinOperator.MUL, BuiltinOperator.RESHAPE, BuiltinOperator.SOFTMAX,
                    BuiltinOperator.CONCATENATION, BuiltinOperator.PAD, BuiltinOperator.MEAN), ops);
            assertEquals(12, g.operatorCodes().size());
            assertEquals(List.of(1, 10), output(g));
            assertEquals(type, tensors(g).get(0).type());
        }
        assertThrows(IllegalArgumentException.class, () -> ModelBuilder.everyOperator(DataType.INT16));
    }

    // ----- misuse

    @Nested
    class Errors {
        @Test
        void operatorBeforeAnyInput() {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> ModelBuilder.int8("m").conv2d(8, 3, 3));
            assertTrue(e.getMessage().contains("input(...) first"), e.getMessage());
        }

        @Test
        void settingThatDoesNotApplyToTheLastOperator() {
            ModelBuilder b = int8Input(1, 4, 4, 8).reshape(1, -1);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> b.stride(2, 2));
            assertTrue(e.getMessage().contains("RESHAPE"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> b.activation(Activation.RELU));
            assertThrows(IllegalStateException.class, () -> b.weights(1f));
            assertThrows(IllegalStateException.class, () -> b.quantization(0.1f, 0));
            assertThrows(IllegalStateException.class, () -> int8Input(1, 4, 4, 8).maxPool(2, 2)
                    .quantization(0.1f, 0));
            ModelBuilder fixed = int8Input(1, 4, 4, 8).conv2d(2, 1, 1);
            fixed.node();
            assertThrows(IllegalStateException.class, () -> fixed.stride(2, 2));
        }

        @Test
        void nodeOfAnotherBuilder() {
            Node foreign = int8Input(1, 4, 4, 8).node();
            ModelBuilder b = int8Input(1, 4, 4, 8);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.add(foreign));
            assertTrue(e.getMessage().contains("another builder"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> b.from(foreign));
        }

        @Test
        void convolutionNeedsAnNhwcInput() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> int8Input(1, 64).conv2d(8, 3, 3));
            assertTrue(e.getMessage().contains("4-D NHWC"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> int8Input(1, 64).depthwiseConv2d(3, 3));
            assertThrows(IllegalArgumentException.class, () -> int8Input(1, 64).maxPool(2, 2));
        }

        @Test
        void validKernelLargerThanTheInput() {
            ModelBuilder b = int8Input(1, 4, 4, 8).conv2d(2, 5, 5);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> b.padding(Padding.VALID));
            assertTrue(e.getMessage().contains("exceeds the input height 4"), e.getMessage());
            // The refused setting left the operator as it was: SAME padding, 4x4 output.
            assertEquals(List.of(1, 4, 4, 2), output(b.build()));
            assertThrows(IllegalArgumentException.class, () -> int8Input(1, 4, 4, 8).averagePool(5, 5));
        }

        @Test
        void wrongNumberOfWeightsOrBiases() {
            ModelBuilder b = int8Input(1, 4, 4, 3).conv2d(2, 3, 3);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.weights(1f, 2f));
            assertTrue(e.getMessage().contains("needs 54"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> b.bias(1f));
            ModelBuilder dw = int8Input(1, 4, 4, 3).depthwiseConv2d(1, 1).weights(1f, 1f, 1f);
            assertThrows(IllegalArgumentException.class, () -> dw.depthMultiplier(2));
        }

        @Test
        void unsupportedOrInvalidSettings() {
            assertThrows(IllegalArgumentException.class,
                    () -> int8Input(1, 4, 4, 3).conv2d(2, 3, 3).activation(Activation.TANH));
            assertThrows(IllegalArgumentException.class, () -> int8Input(1, 4, 4, 3).conv2d(0, 3, 3));
            assertThrows(IllegalArgumentException.class, () -> int8Input(1, 4, 4, 3).conv2d(2, 3, 3).stride(0, 1));
            assertThrows(IllegalArgumentException.class, () -> int8Input(1, 4, 4, 3).softmax().beta(0f));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> int8Input(1, 4).quantization(0.1f, 200));
            assertTrue(e.getMessage().contains("[-128, 127]"), e.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> ModelBuilder.uint8("u").input(1, 4).quantization(0.1f, -1));
            assertThrows(IllegalArgumentException.class, () -> ModelBuilder.int8("m").input(1, 0, 3));
        }

        @Test
        void modelWithoutOperators() {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> int8Input(1, 4).build());
            assertTrue(e.getMessage().contains("no operators"), e.getMessage());
        }

        @Test
        void outputMarkedTwice() {
            ModelBuilder b = int8Input(1, 4).fullyConnected(2).output();
            assertThrows(IllegalArgumentException.class, () -> b.output());
        }
    }

    private static List<Integer> output(Graph g) {
        return output(g, lastOp(g)).shape();
    }

    @Test
    void graphIsIndependentOfLaterBuilding() {
        ModelBuilder b = int8Input(1, 8).fullyConnected(4);
        Graph before = b.build();
        List<Integer> shapes = new ArrayList<>(output(before));
        b.fullyConnected(2);
        Graph after = b.build();
        assertEquals(1, operators(before).size());
        assertEquals(shapes, output(before));
        assertEquals(2, operators(after).size());
    }
}
