package npuc.codegen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class OutputScalingTest {
    @Test
    void poolingScaleDividesBySumCount() {
        // 9 elements: 2^35 / 9 rounded as the hardware wants, shift 35.
        assertArrayEquals(new long[] {3817748709L, 35}, OutputScaling.poolingScale(9, 0));
        // A single element needs no division: (2^31 + 1) at shift 31.
        assertArrayEquals(new long[] {2147483649L, 31}, OutputScaling.poolingScale(1, 0));
        // Room for a rescale of up to 2^3 takes three bits off the shift.
        assertEquals(32, OutputScaling.poolingScale(9, 3)[1]);
    }

    @Test
    void quantisationIsSinglePrecisionRoundedAwayFromZero() {
        assertEquals(3, NpuOperationBuilder.quantise(0.5, 0.2, 0));
        assertEquals(-3, NpuOperationBuilder.quantise(-0.5, 0.2, 0));
        assertEquals(-128 + 30, NpuOperationBuilder.quantise(6.0, 0.2, -128));
    }
}
