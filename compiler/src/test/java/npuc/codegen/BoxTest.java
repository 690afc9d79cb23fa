package npuc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import npuc.frontend.NpuBlockType;
import npuc.frontend.Shape4;

class BoxTest {
    private static final Shape4 IFM = new Shape4(1, 16, 16, 8);

    @Test
    void middleStripeOfASameConvolutionReadsItsSkirtWithoutPadding() {
        Box ofm = new Box(new Shape4(0, 4, 0, 0), new Shape4(1, 8, 16, 16));
        Box.IfmArea a = ofm.toIfm(1, 1, new int[] {1, 1, 1, 1}, IFM, NpuBlockType.CONVOLUTION_MXN, Shape4.ZERO, 3,
                null, null, 1, false);
        // Rows 3..8 (one above and below), every column, the whole IFM depth.
        assertEquals(new Box(new Shape4(0, 3, 0, 0), new Shape4(1, 9, 16, 8)), a.box());
        assertEquals(0, a.padTop());
        assertEquals(0, a.padBottom());
    }

    @Test
    void edgeStripesArePadded() {
        Box first = new Box(new Shape4(0, 0, 0, 0), new Shape4(1, 4, 16, 16));
        Box.IfmArea top = first.toIfm(1, 1, new int[] {1, 1, 1, 1}, IFM, NpuBlockType.CONVOLUTION_MXN, Shape4.ZERO,
                3, null, null, 1, false);
        assertEquals(new Box(new Shape4(0, 0, 0, 0), new Shape4(1, 5, 16, 8)), top.box());
        assertEquals(1, top.padTop());
        Box last = new Box(new Shape4(0, 12, 0, 0), new Shape4(1, 16, 16, 16));
        Box.IfmArea bottom = last.toIfm(1, 1, new int[] {1, 1, 1, 1}, IFM, NpuBlockType.CONVOLUTION_MXN,
                Shape4.ZERO, 3, null, null, 1, false);
        assertEquals(new Box(new Shape4(0, 11, 0, 0), new Shape4(1, 16, 16, 8)), bottom.box());
        assertEquals(1, bottom.padBottom());
    }

    @Test
    void depthwiseStripesKeepTheirChannelsAndStridesScaleRows() {
        Box ofm = new Box(new Shape4(0, 2, 0, 4), new Shape4(1, 4, 8, 8));
        Box.IfmArea a = ofm.toIfm(2, 2, new int[] {0, 0, 1, 1}, IFM, NpuBlockType.CONVOLUTION_DEPTHWISE,
                Shape4.ZERO, 3, null, null, 1, false);
        assertEquals(new Box(new Shape4(0, 4, 0, 4), new Shape4(1, 9, 16, 8)), a.box());
    }

    @Test
    void broadcastOperandsWrapAtTheirOwnExtent() {
        Box ofm = new Box(new Shape4(0, 4, 0, 0), new Shape4(1, 8, 16, 8));
        Box.IfmArea a = ofm.toIfm(1, 1, null, new Shape4(1, 1, 16, 8), NpuBlockType.ELEMENTWISE, Shape4.ZERO, 1, null,
                null, 1, true);
        assertEquals(new Box(new Shape4(0, 0, 0, 0), new Shape4(1, 1, 16, 8)), a.box());
    }

    @Test
    void subboxes() {
        Box whole = Box.of(IFM);
        assertEquals(true, new Box(new Shape4(0, 1, 1, 1), new Shape4(1, 2, 2, 2)).isWithin(whole));
        assertEquals(false, new Box(new Shape4(0, 1, 1, 1), new Shape4(1, 17, 2, 2)).isWithin(whole));
        assertEquals(new Shape4(1, 16, 16, 8), whole.size());
    }
}
