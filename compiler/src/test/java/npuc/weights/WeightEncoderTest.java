package npuc.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import npuc.arch.Accelerator;

class WeightEncoderTest {

    private static WeightVolume randomVolume(Random random, int o, int h, int w, int i) {
        short[] v = new short[o * h * w * i];
        for (int k = 0; k < v.length; k++) {
            v[k] = random.nextInt(3) == 0 ? 0 : (short) (random.nextInt(255) - 127);
        }
        return WeightVolume.ofOhwi(v, o, h, w, i);
    }

    private static long[] biases(Random random, int n) {
        long[] b = new long[n];
        for (int k = 0; k < n; k++) {
            b[k] = random.nextLong() >> 25;
        }
        return b;
    }

    private static List<QuantisedScale> scales(Random random, int n) {
        List<QuantisedScale> s = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            s.add(QuantisedScale.of(random.nextDouble() * 0.01));
        }
        return s;
    }

    private static List<Integer> randomSlices(Random random, int depth) {
        List<Integer> slices = new ArrayList<>(List.of(0));
        for (int d = 16; d < depth; d += 16) {
            if (random.nextBoolean()) {
                slices.add(d);
            }
        }
        slices.add(depth);
        return slices;
    }

    @Test
    void everyRangeHoldsItsCoresRecordsAndWeightsInBrickOrder() throws WeightEncodingException {
        Random random = new Random(42);
        for (int trial = 0; trial < 120; trial++) {
            Accelerator accelerator = Accelerator.values()[random.nextInt(Accelerator.values().length)];
            WeightKind kind = WeightKind.values()[random.nextInt(WeightKind.values().length)];
            int o = 1 + random.nextInt(70);
            int h = kind == WeightKind.VECTOR_PRODUCT ? 1 : 1 + random.nextInt(5);
            int w = kind == WeightKind.VECTOR_PRODUCT ? 1 : 1 + random.nextInt(5);
            int i = kind == WeightKind.DEPTHWISE ? 1 : 1 + random.nextInt(50);
            int ifmBits = random.nextBoolean() ? 8 : 16;
            int blockDepth = 8 * (1 + random.nextInt(8));
            int dilation = 1 + random.nextInt(2);
            WeightVolume weights = randomVolume(random, o, h, w, i);
            long[] biases = biases(random, o);
            List<QuantisedScale> scales = scales(random, o);
            EncodingParameters p = new EncodingParameters(accelerator, kind, ifmBits, blockDepth,
                    randomSlices(random, o), dilation, dilation, false);
            EncodedWeights encoded = WeightEncoder.encode(weights, biases, scales, p);
            byte[] bytes = encoded.bytes().toArray();
            int cores = accelerator.cores();
            long[] sliceBytes = new long[2];
            int index = 0;
            for (int s = 0; s + 1 < p.depthSlices().size(); s++) {
                int from = p.depthSlices().get(s);
                int to = p.depthSlices().get(s + 1);
                long sliceStart = -1;
                long sliceEnd = 0;
                for (int core = 0; core < Math.min(cores, o); core++) {
                    WeightRange r = encoded.range(core, from);
                    assertEquals(index++, r.index());
                    assertEquals(0, r.offset() % 16, "ranges start 16-byte aligned");
                    sliceStart = sliceStart < 0 ? r.offset() : sliceStart;
                    // Records of channels from + core, from + core + cores, ... running one slice length.
                    int channel = from + core;
                    for (int k = 0; k < r.scaleBytes() / BiasScaleRecord.BYTES; k++, channel += cores) {
                        byte[] expected = BiasScaleRecord.of(biases[channel], scales.get(channel));
                        int at = (int) r.offset() + k * BiasScaleRecord.BYTES;
                        assertArrayEquals(expected, Arrays.copyOfRange(bytes, at, at + BiasScaleRecord.BYTES));
                    }
                    int recordsEnd = Math.min(from + core + (to - from), o);
                    assertEquals((recordsEnd - from - core + cores - 1) / cores, r.scaleBytes() / BiasScaleRecord.BYTES,
                            "records run one slice length from the core's first channel");
                    assertEquals((r.scaleBytes() + 15) / 16 * 16, r.weightOffset());
                    int coreBlockDepth = (blockDepth + cores - 1 - core) / cores;
                    short[] expectedWeights = WeightEncoder.brickOrder(p, coreBlockDepth, encoded.traversal())
                            .reorder(weights.channels(from + core, to, cores));
                    byte[] stream = Arrays.copyOfRange(bytes, (int) (r.offset() + r.weightOffset()),
                            (int) (r.offset() + r.weightOffset() + r.weightBytes()));
                    assertArrayEquals(expectedWeights, stream.length == 0 ? new short[0]
                            : WeightStreamDecoder.decode(stream), "trial " + trial + " core " + core);
                    sliceEnd = r.offset() + r.weightOffset() + r.weightBytes();
                }
                sliceBytes[s % 2] = Math.max(sliceBytes[s % 2], sliceEnd - sliceStart);
            }
            assertEquals(index, encoded.ranges().size());
            assertEquals(sliceBytes[0], encoded.evenSliceBytes());
            assertEquals(sliceBytes[1], encoded.oddSliceBytes());
            assertEquals(bytes.length, encoded.size());
        }
    }

    @Test
    void twoCoresShareTheOfmChannelsInTurn() throws WeightEncodingException {
        // Four output channels on the two-core U65-512: core 0 gets channels 0 and 2, core 1 gets 1 and 3,
        // each with half the OFM block depth.
        Random random = new Random(1);
        WeightVolume weights = randomVolume(random, 4, 1, 1, 8);
        EncodingParameters p = EncodingParameters.fullDepth(Accelerator.ETHOS_U65_512, WeightKind.VECTOR_PRODUCT, 8,
                16, 4);
        EncodedWeights encoded = WeightEncoder.encode(weights, new long[4], Collections.nCopies(4,
                QuantisedScale.of(0.5)), p);
        assertEquals(2, encoded.ranges().size());
        byte[] bytes = encoded.bytes().toArray();
        for (int core = 0; core < 2; core++) {
            WeightRange r = encoded.range(core, 0);
            assertEquals(2 * BiasScaleRecord.BYTES, r.scaleBytes());
            short[] decoded = WeightStreamDecoder.decode(Arrays.copyOfRange(bytes,
                    (int) (r.offset() + r.weightOffset()), (int) (r.offset() + r.weightOffset() + r.weightBytes())));
            // Depth-first, one OFM micro-block of 8 by the 8 input channels: the core's two channels lead.
            for (int k = 0; k < 2; k++) {
                for (int i = 0; i < 8; i++) {
                    assertEquals(weights.get(core + 2 * k, 0, 0, i), decoded[k * 8 + i]);
                }
            }
        }
        assertEquals(encoded.size(), encoded.evenSliceBytes());
        assertEquals(0, encoded.oddSliceBytes());
    }

    @Test
    void aSingleChannelOnTwoCoresLeavesTheSecondCoreOut() throws WeightEncodingException {
        WeightVolume weights = randomVolume(new Random(2), 1, 1, 1, 16);
        EncodedWeights encoded = WeightEncoder.encode(weights, new long[1], List.of(QuantisedScale.of(0.25)),
                EncodingParameters.fullDepth(Accelerator.ETHOS_U65_512, WeightKind.VECTOR_PRODUCT, 8, 8, 1));
        assertEquals(1, encoded.ranges().size());
        assertNull(encoded.range(1, 0));
    }

    @Test
    void scaleOnlyBuffersHoldRecordsAndNoWeights() throws WeightEncodingException {
        long[] biases = {1, 2, 3};
        List<QuantisedScale> scales = Collections.nCopies(3, QuantisedScale.of(0.5));
        EncodedWeights encoded = WeightEncoder.encode(null, biases, scales,
                EncodingParameters.fullDepth(Accelerator.ETHOS_U55_128, WeightKind.CONVOLUTION, 8, 16, 3));
        // 30 bytes of records padded to 32.
        assertEquals(32, encoded.size());
        assertEquals(0, encoded.ranges().get(0).weightBytes());
        assertEquals(30, encoded.ranges().get(0).totalBytes());
    }

    @Test
    void doubleBufferingNeedsTheLargestEvenAndOddSlices() throws WeightEncodingException {
        Random random = new Random(8);
        WeightVolume weights = randomVolume(random, 64, 3, 3, 16);
        EncodingParameters full = EncodingParameters.fullDepth(Accelerator.ETHOS_U55_256, WeightKind.CONVOLUTION, 8,
                16, 64);
        EncodedWeights split = WeightEncoder.encode(weights, biases(random, 64), scales(random, 64),
                full.withDepthSlices(List.of(0, 16, 32, 48, 64)));
        long[] perSlice = new long[4];
        for (WeightRange r : split.ranges()) {
            perSlice[r.depthOffset() / 16] = (r.weightOffset() + r.weightBytes());
        }
        assertEquals(Math.max(perSlice[0], perSlice[2]), split.evenSliceBytes());
        assertEquals(Math.max(perSlice[1], perSlice[3]), split.oddSliceBytes());
        assertEquals(split.evenSliceBytes() + split.oddSliceBytes(), split.doubleBufferSize());
        assertEquals(Arrays.stream(perSlice).sum(), split.size());
    }

    @Test
    void transposeConvolutionEncodesTheTurnedKernel() throws WeightEncodingException {
        Random random = new Random(4);
        WeightVolume weights = randomVolume(random, 8, 3, 2, 8);
        EncodingParameters p = EncodingParameters.fullDepth(Accelerator.ETHOS_U55_64, WeightKind.CONVOLUTION, 8, 8, 8);
        EncodingParameters reversed = new EncodingParameters(p.accelerator(), p.kind(), 8, 8, p.depthSlices(), 1, 1,
                true);
        long[] b = biases(random, 8);
        List<QuantisedScale> s = scales(random, 8);
        assertArrayEquals(WeightEncoder.encode(weights.flippedHw(), b, s, p).bytes().toArray(),
                WeightEncoder.encode(weights, b, s, reversed).bytes().toArray());
    }

    @Test
    void weightsOutsideNineBitsAfterTheZeroPointAreAnInputError() {
        WeightVolume weights = WeightVolume.fromHwio(new long[] {-128}, 1, 1, 1, 1, new long[] {255});
        assertEquals(-383, weights.get(0, 0, 0, 0));
        assertThrows(WeightEncodingException.class, () -> WeightEncoder.encode(weights, new long[1],
                List.of(QuantisedScale.of(1.0)),
                EncodingParameters.fullDepth(Accelerator.ETHOS_U55_128, WeightKind.VECTOR_PRODUCT, 8, 8, 1)));
    }

    @Test
    void hwioWeightsAreTransposedAndZeroPointCorrectedPerChannel() {
        // H=1, W=2, I=2, O=2 stored HWIO; zero points 1 and 2 per output channel.
        long[] hwio = {10, 20, 11, 21, 12, 22, 13, 23};
        WeightVolume v = WeightVolume.fromHwio(hwio, 1, 2, 2, 2, new long[] {1, 2});
        assertArrayEquals(new short[] {9, 10, 11, 12, 18, 19, 20, 21}, v.toOhwi());
    }
}
