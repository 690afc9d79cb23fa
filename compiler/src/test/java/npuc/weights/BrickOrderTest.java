package npuc.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

class BrickOrderTest {

    /** A volume whose every weight is distinct and non-zero (up to 32767 weights), so positions can be traced. */
    private static WeightVolume traceable(int o, int h, int w, int i) {
        short[] v = new short[o * h * w * i];
        for (int k = 0; k < v.length; k++) {
            v[k] = (short) (k + 1);
        }
        return WeightVolume.ofOhwi(v, o, h, w, i);
    }

    @Test
    void depthFirstOneByOneWalksIfmMicroBlocksInsideOfmMicroBlocks() {
        // 1x1 kernel, 2 output and 3 input channels, 8-bit IFM: one OFM block, one IFM block of 32 channels
        // walked as 4 IFM micro-blocks of 8; within each, 8 OFM channels by 8 IFM channels.
        WeightVolume v = traceable(2, 1, 1, 3);
        short[] out = new BrickOrder(8, 8, 8, false, BlockTraversal.DEPTH_FIRST, 8, 8, 8).reorder(v);
        assertEquals(4 * 8 * 8, out.length);
        for (int ifmMicro = 0; ifmMicro < 4; ifmMicro++) {
            for (int o = 0; o < 8; o++) {
                for (int iz = 0; iz < 8; iz++) {
                    int i = ifmMicro * 8 + iz;
                    short expected = o < 2 && i < 3 ? v.get(o, 0, 0, i) : 0;
                    assertEquals(expected, out[(ifmMicro * 8 + o) * 8 + iz], "o " + o + " i " + i);
                }
            }
        }
    }

    @Test
    void depthwiseKernelElementsArePaddedToFour() {
        // 3x3 depthwise with 2 channels: 9 elements padded to 12, each element one OFM micro-block of 8
        // channels, one weight per channel.
        WeightVolume v = traceable(2, 3, 3, 1);
        short[] out = new BrickOrder(8, 8, 8, true, BlockTraversal.DEPTH_FIRST, 8, 8, 8).reorder(v);
        assertEquals(12 * 8, out.length);
        for (int element = 0; element < 12; element++) {
            for (int o = 0; o < 8; o++) {
                short expected = element < 9 && o < 2 ? v.get(o, element / 3, element % 3, 0) : 0;
                assertEquals(expected, out[element * 8 + o], "element " + element + " o " + o);
            }
        }
    }

    @Test
    void partKernelFirstWalksKernelElementsInsideIfmMicroBlocks() {
        // 2x2 kernel, 1 output channel, 4 input channels, 16-bit IFM: the IFM block is the 4 channels, one
        // micro-block of 8; 4 kernel elements (already even) inside; 8 OFM x 8 IFM channels per element.
        WeightVolume v = traceable(1, 2, 2, 4);
        short[] out = new BrickOrder(8, 8, 8, false, BlockTraversal.PART_KERNEL_FIRST, 16, 8, 8).reorder(v);
        assertEquals(4 * 8 * 8, out.length);
        for (int element = 0; element < 4; element++) {
            for (int o = 0; o < 8; o++) {
                for (int iz = 0; iz < 8; iz++) {
                    short expected = o == 0 && iz < 4 ? v.get(0, element / 2, element % 2, iz) : 0;
                    assertEquals(expected, out[(element * 8 + o) * 8 + iz]);
                }
            }
        }
    }

    @Test
    void largeKernelsAreSplitIntoSubKernels() {
        // A 1x10 kernel with sub-kernels of at most 8 wide: elements 0..7, then 8..9.
        WeightVolume v = traceable(1, 1, 10, 1);
        short[] out = new BrickOrder(8, 8, 8, false, BlockTraversal.DEPTH_FIRST, 16, 8, 8).reorder(v);
        // Depth-first with a 16-bit IFM: one IFM block of 16 channels = 2 micro-blocks per element.
        int perElement = 2 * 8 * 8;
        assertEquals(10 * perElement, out.length);
        for (int x = 0; x < 10; x++) {
            assertEquals(v.get(0, 0, x, 0), out[x * perElement]);
        }
    }

    @Test
    void everyWeightAppearsOnceAndEverythingElseIsZero() {
        Random random = new Random(3);
        for (int trial = 0; trial < 200; trial++) {
            int o = 1 + random.nextInt(20);
            int h = 1 + random.nextInt(7);
            int w = 1 + random.nextInt(7);
            boolean depthwise = random.nextInt(4) == 0;
            int i = depthwise ? 1 : 1 + random.nextInt(20);
            BlockTraversal t = !depthwise && random.nextBoolean()
                    ? BlockTraversal.PART_KERNEL_FIRST : BlockTraversal.DEPTH_FIRST;
            int ofmMicro = random.nextBoolean() ? 8 : 4;
            int blockDepth = ofmMicro * (1 + random.nextInt(8));
            int dilation = 1 + random.nextInt(2);
            WeightVolume v = traceable(o, h, w, i);
            short[] out = new BrickOrder(8, ofmMicro, blockDepth, depthwise, t, random.nextBoolean() ? 8 : 16,
                    8 / dilation, 8 / dilation).reorder(v);
            Map<Short, Integer> seen = new HashMap<>();
            for (short s : out) {
                if (s != 0) {
                    seen.merge(s, 1, Integer::sum);
                }
            }
            assertEquals(o * h * w * i, seen.size(), "trial " + trial);
            seen.values().forEach(n -> assertEquals(1, n));
        }
    }

    @Test
    void depthwisePartKernelFirstIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> new BrickOrder(8, 8, 8, true, BlockTraversal.PART_KERNEL_FIRST, 8, 8, 8));
    }

    @Test
    void partKernelFirstIsChosenForShallowIfmsAndWhenItFillsTheMacsBetter() {
        assertEquals(BlockTraversal.PART_KERNEL_FIRST, BlockTraversal.forConvolution(1, 1, 8, 8));
        // 64 channels fill 32-wide depth-first exactly; a 1x1 kernel fills a quarter of 4 elements.
        assertEquals(BlockTraversal.DEPTH_FIRST, BlockTraversal.forConvolution(1, 1, 64, 8));
        // 3x3 with 16 channels: depth-first 16/32 = 0.5, part-kernel 1 * 9/12 = 0.75.
        assertEquals(BlockTraversal.PART_KERNEL_FIRST, BlockTraversal.forConvolution(3, 3, 16, 8));
    }
}
