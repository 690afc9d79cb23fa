package npuc.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import npuc.graph.DataType;

class ScalingTest {

    @Test
    void powersOfTwoQuantiseToHalfInQ31() {
        // 0.5 = 0.5 * 2^0 and 1.0 = 0.5 * 2^1: significand 2^30, shifts 31 and 30.
        assertEquals(new QuantisedScale(1L << 30, 31), QuantisedScale.of(0.5));
        assertEquals(new QuantisedScale(1L << 30, 30), QuantisedScale.of(1.0));
        assertEquals(new QuantisedScale(0, 31), QuantisedScale.of(0.0));
    }

    @Test
    void quantisedScaleIsTheSignificandRoundedHalfAwayFromZero() {
        Random random = new Random(11);
        for (int trial = 0; trial < 10000; trial++) {
            double scale = Math.scalb(0.5 + random.nextDouble() * 0.5, -random.nextInt(30));
            QuantisedScale q = QuantisedScale.of(scale);
            // multiplier = round(scale * 2^shift), with 2^30 <= multiplier <= 2^31.
            BigDecimal exact = new BigDecimal(scale).multiply(BigDecimal.valueOf(2).pow(q.shift()));
            assertEquals(exact.setScale(0, RoundingMode.HALF_UP).longValueExact(), q.multiplier(), "scale " + scale);
            assertTrue(q.multiplier() >= 1L << 30 && q.multiplier() <= 1L << 31);
        }
    }

    @Test
    void scalesNeedingAShiftOutsideSixBitsBecomeZero() {
        assertEquals(QuantisedScale.ZERO, QuantisedScale.of(Math.scalb(1.0, -40)));
        assertEquals(QuantisedScale.ZERO, QuantisedScale.of(Math.scalb(1.0, 40)));
    }

    @Test
    void reducedScaleKeepsSixteenBitsAndSaturates() {
        QuantisedScale full = QuantisedScale.of(0.3);
        QuantisedScale reduced = QuantisedScale.reduced(0.3);
        assertEquals((full.multiplier() + (1 << 15)) >> 16, reduced.multiplier());
        assertEquals(full.shift() - 16, reduced.shift());
        // A significand just below one rounds past 32767 << 16 and saturates.
        assertEquals(32767, QuantisedScale.reduced(Math.nextDown(1.0)).multiplier());
    }

    @Test
    void recordPacksBiasScaleAndShiftLittleEndian() throws WeightEncodingException {
        byte[] r = BiasScaleRecord.of(-2, new QuantisedScale(0x89abcdefL, 37));
        // -2 in 40-bit two's complement: fe ff ff ff ff.
        assertArrayEquals(new byte[] {(byte) 0xfe, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
            (byte) 0xef, (byte) 0xcd, (byte) 0xab, (byte) 0x89, 37}, r);
        assertThrows(WeightEncodingException.class, () -> BiasScaleRecord.of(1L << 39, new QuantisedScale(1, 1)));
        assertThrows(WeightEncodingException.class, () -> BiasScaleRecord.of(0, new QuantisedScale(1L << 32, 1)));
        assertThrows(WeightEncodingException.class, () -> BiasScaleRecord.of(0, new QuantisedScale(1, -1)));
    }

    @Test
    void rescaleMultipliesInSinglePrecisionForFullyConnectedAndUint8() throws WeightEncodingException {
        float ifm = 0.1f;
        float weight = 0.3f;
        float ofm = 0.7f;
        double single = (double) (ifm * weight) / ofm;
        double dbl = ((double) ifm * weight) / ofm;
        assertTrue(single != dbl, "the example must tell the two apart");
        assertEquals(QuantisedScale.of(single),
                OutputRescale.of(DataType.INT8, true, ifm, List.of(weight), ofm, false).perChannel(1).get(0));
        assertEquals(QuantisedScale.of(single),
                OutputRescale.of(DataType.UINT8, false, ifm, List.of(weight), ofm, false).perChannel(1).get(0));
        assertEquals(QuantisedScale.of(dbl),
                OutputRescale.of(DataType.INT8, false, ifm, List.of(weight), ofm, false).perChannel(1).get(0));
        assertEquals(QuantisedScale.reduced(dbl),
                OutputRescale.of(DataType.INT16, false, ifm, List.of(weight), ofm, true).perChannel(1).get(0));
    }

    @Test
    void oneScaleServesEveryChannelAndRoundingAwayFromZeroAddsOne() throws WeightEncodingException {
        List<QuantisedScale> scales = new OutputRescale(DataType.INT8, false, 1f, List.of(0.5f), 1f, false, true,
                List.of()).perChannel(3);
        assertEquals(3, scales.size());
        scales.forEach(s -> assertEquals(new QuantisedScale((1L << 30) + 1, 31), s));
        List<QuantisedScale> explicit = new OutputRescale(DataType.INT8, false, 1f, List.of(), 1f, false, false,
                List.of(new QuantisedScale(1, 0))).perChannel(2);
        assertEquals(List.of(new QuantisedScale(1, 0), new QuantisedScale(1, 0)), explicit);
        assertThrows(WeightEncodingException.class,
                () -> OutputRescale.of(DataType.INT32, false, 1f, List.of(1f), 1f, false).perChannel(1));
    }
}
