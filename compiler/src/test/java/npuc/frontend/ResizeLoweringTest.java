package npuc.frontend;

import static npuc.frontend.LoweringAssertions.npuOp;
import static npuc.frontend.LoweringAssertions.npuTypes;
import static npuc.frontend.LoweringAssertions.run;
import static npuc.frontend.LoweringAssertions.sorted;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import npuc.tflite.ModelBuilder;

/** RESIZE_*: no-op, broadcast Add, x2 upscaling chains and the half-pixel bilinear depthwise convolutions. */
class ResizeLoweringTest {

    @Test
    void bilinearByFourIsOneUpscalingCopyAndAFourByFourAverage() {
        FrontEndResult r = run(ModelBuilder.int8("r").input(1, 4, 4, 8).resizeBilinear(16, 16).output());
        assertEquals(List.of(OpType.ResizeBilinear, OpType.ResizeBilinear), npuTypes(r));
        FrontEndResult.OperationInfo first = npuOp(r, "resize_bilinear");
        assertEquals(new Shape4(1, 8, 8, 8), first.ofmShapes().get(0));
        assertEquals(ResamplingMode.NEAREST, first.ifmResampling());
        assertEquals(1, first.kernel().width());
        FrontEndResult.OperationInfo last = npuOp(r, "resize_bilinear_1");
        assertEquals(new Shape4(1, 8, 8, 8), last.ifmShapes().get(0));
        assertEquals(4, last.kernel().width());
        assertEquals(4, last.kernel().height());
        assertEquals(List.of(0, 0, 3, 3), last.explicitPadding());
        assertEquals(8 * 8 * 8 + 16L * 16 * 16 * 8, r.nnMacs());
    }

    @Test
    void bilinearWithAlignedCornersAveragesWithoutPadding() {
        FrontEndResult r = run(ModelBuilder.int8("r").input(1, 4, 4, 8).resizeBilinear(7, 7)
                .resizeOptions(true, false).output());
        FrontEndResult.OperationInfo op = npuOp(r, OpType.ResizeBilinear);
        assertEquals(PaddingKind.VALID, op.padding());
        assertEquals(2, op.kernel().width());
    }

    @Test
    void halfPixelBilinearIsACopyAndFourPhaseDepthwiseConvolutions() {
        FrontEndResult r = run(ModelBuilder.int8("r").input(1, 4, 4, 8).resizeBilinear(8, 8)
                .resizeOptions(false, true).output());
        assertEquals(sorted(OpType.AvgPool, OpType.DepthwiseConv2DBias, OpType.DepthwiseConv2DBias,
                OpType.DepthwiseConv2DBias, OpType.DepthwiseConv2DBias), npuTypes(r));
        FrontEndResult.OperationInfo topLeft = npuOp(r, "depthwise_conv_0");
        assertEquals(PaddingKind.TILE, topLeft.padding());
        assertEquals(List.of(1, 1, 0, 0), topLeft.explicitPadding());
        assertEquals(List.of(0, 0, 1, 1), npuOp(r, "depthwise_conv_3").explicitPadding());
        assertEquals(List.of(2, 2, 1, 8), topLeft.weights().shape());
        // the phase's own pixel weighs 9/16, its neighbours 3/16 and the diagonal 1/16
        assertEquals(List.of(1L, 3L, 3L, 9L), List.of(topLeft.weights().values().get(0),
                topLeft.weights().values().get(8), topLeft.weights().values().get(16),
                topLeft.weights().values().get(24)));
        assertEquals(new Shape4(1, 4, 4, 8), topLeft.writeShape());
    }

    @Test
    void nearestNeighbourWithAlignedCornersSelectsByDepthwiseConvolution() {
        FrontEndResult r = run(ModelBuilder.int8("r").input(1, 4, 4, 1).resizeNearestNeighbor(7, 7)
                .resizeOptions(true, false).output());
        FrontEndResult.OperationInfo dw = npuOp(r, OpType.DepthwiseConv2DBias);
        assertEquals(List.of(2, 2, 1, 1), dw.weights().shape());
        assertEquals(List.of(0L, 0L, 0L, 1L), java.util.Arrays.stream(dw.weights().values().toLongArray()).boxed()
                .toList());
        assertEquals(new Shape4(1, 7, 7, 1), dw.ofmShapes().get(0));
    }

    @Test
    void oneByOneIfmIsBroadcastByAddingZeros() {
        FrontEndResult r = run(ModelBuilder.int8("r").input(1, 1, 1, 8).resizeNearestNeighbor(4, 4).output());
        FrontEndResult.OperationInfo add = npuOp(r, OpType.Add);
        assertEquals("resize_nearest_neighbor_add", add.name());
        assertEquals(new Shape4(1, 4, 4, 8), add.ifmShapes().get(0));
        assertEquals(new Shape4(1, 1, 1, 8), add.ifmShapes().get(1));
        assertEquals(0, r.nnMacs());
    }

    @Test
    void resizeToTheSameSizeDisappears() {
        FrontEndResult r = run(ModelBuilder.int8("r").input(1, 4, 4, 8).conv2d(8, 1, 1).resizeBilinear(4, 4)
                .output());
        assertEquals(List.of(OpType.Conv2DBias), npuTypes(r));
    }
}
