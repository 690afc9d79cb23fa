package npuc.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.Random;

import org.junit.jupiter.api.Test;

class CompressedWeightStreamTest {

    /** Builds expected streams field by field, least significant bit first, as the format lays them out. */
    private static final class Fields {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private int current;
        private int bits;

        Fields put(int width, int value) {
            for (int i = 0; i < width; i++) {
                current |= ((value >> i) & 1) << bits;
                if (++bits == 8) {
                    bytes.write(current);
                    current = 0;
                    bits = 0;
                }
            }
            return this;
        }

        /** End marker, ones to the byte boundary, 0xff bytes to 16 bytes. */
        byte[] finish() {
            put(3, 7);
            while (bits != 0) {
                put(1, 1);
            }
            while (bytes.size() % 16 != 0) {
                bytes.write(0xff);
            }
            return bytes.toByteArray();
        }
    }

    @Test
    void singleZeroIsCodedAsOneExplicitWeightAndTwoEmptyRuns() {
        // Zero is the only weight, so zero runs are on and the section is all zeros: the first zero is coded
        // explicitly as index 1 (no palette, direct offset 0: the sign-magnitude code of "negative zero").
        // Both the weight and the two runs cost least with divisor 0.
        byte[] expected = new Fields()
                .put(3, 0)      // zero-run divisor 0
                .put(15, 0)     // one weight
                .put(3, 0)      // weight divisor 0
                .put(1, 0)      // not truncated
                .put(1, 1)      // new palette
                .put(5, 0)      // direct offset
                .put(5, 0)      // no palette entries
                .put(3, 0)      // entry width 2
                .put(12, 1)     // weight unary: index 1 has quotient 1, a single one
                .put(12, 0)     // run unary: both runs are 0
                .put(1, 0)      // weight unary continuation: quotient 1 stops after one
                .finish();      // remainders of divisor 0 take no bits
        byte[] actual = CompressedWeightStream.encode(new short[] {0});
        assertArrayEquals(expected, actual);
        assertArrayEquals(new short[] {0}, WeightStreamDecoder.decode(actual));
    }

    @Test
    void repeatedWeightGetsATwoEntryPalette() {
        // One distinct value (3, sign-magnitude 6) makes a palette of it plus a filler zero entry; every
        // weight is palette index 0, coded with divisor 0 as a single zero unary bit.
        byte[] expected = new Fields()
                .put(3, 6)      // no zero runs
                .put(15, 3)     // four weights
                .put(3, 0)
                .put(1, 0)
                .put(1, 1)
                .put(5, 6)      // direct offset: sign-magnitude codes 0..5 are unused
                .put(5, 1)      // two entries
                .put(3, 1)      // entry width 3 (6 needs three bits)
                .put(3, 6)
                .put(3, 0)
                .put(12, 0)     // four zero quotients, then padding symbols
                .finish();
        byte[] actual = CompressedWeightStream.encode(new short[] {3, 3, 3, 3});
        assertArrayEquals(expected, actual);
        assertArrayEquals(new short[] {3, 3, 3, 3}, WeightStreamDecoder.decode(actual));
    }

    @Test
    void randomStreamsDecodeToTheirWeights() {
        Random random = new Random(20240312);
        for (int trial = 0; trial < 400; trial++) {
            short[] weights = randomWeights(random, 1 + random.nextInt(trial % 10 == 0 ? 70000 : 2500));
            byte[] encoded = CompressedWeightStream.encode(weights);
            assertEquals(0, encoded.length % CompressedWeightStream.ALIGNMENT, "stream length is 16-byte aligned");
            assertArrayEquals(weights, WeightStreamDecoder.decode(encoded), "trial " + trial);
        }
    }

    @Test
    void longStreamsAreSplitIntoSlicesOfAtMost32767Weights() {
        // Uniform values defeat palettes and zero runs, so only the slice length limit splits the stream.
        Random random = new Random(5);
        short[] weights = new short[100_000];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (short) (random.nextInt(511) - 255);
        }
        assertArrayEquals(weights, WeightStreamDecoder.decode(CompressedWeightStream.encode(weights)));
    }

    @Test
    void compressionPaysOffOnSparseAndNarrowWeights() {
        Random random = new Random(9);
        short[] sparse = new short[4096];
        for (int i = 0; i < sparse.length; i++) {
            sparse[i] = random.nextInt(10) == 0 ? (short) (random.nextInt(7) - 3) : 0;
        }
        // A tenth of the weights is non-zero and small: well under 2 bits per weight.
        assertTrue(CompressedWeightStream.encode(sparse).length * 8 < 2 * sparse.length);
    }

    @Test
    void weightsOutsideNineBitsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> CompressedWeightStream.encode(new short[] {256}));
        assertThrows(IllegalArgumentException.class, () -> CompressedWeightStream.encode(new short[] {-256}));
    }

    static short[] randomWeights(Random random, int n) {
        short[] w = new short[n];
        int kind = random.nextInt(6);
        int range = 1 + random.nextInt(kind == 0 ? 255 : kind == 1 ? 3 : kind == 2 ? 20 : 60);
        double zeros = random.nextDouble() * (kind == 3 ? 0.98 : 0.6);
        boolean widening = random.nextBoolean();
        for (int i = 0; i < n; i++) {
            if (random.nextDouble() < zeros) {
                continue;
            }
            int r = widening ? Math.max(1, (int) (range * (1 + 4L * i / n))) : range;
            int v = kind == 4 ? (int) (random.nextGaussian() * range / 3) : random.nextInt(2 * r + 1) - r;
            w[i] = (short) Math.max(-255, Math.min(255, v));
        }
        if (kind == 5 && random.nextBoolean()) {
            java.util.Arrays.fill(w, (short) 0);
        }
        return w;
    }
}
