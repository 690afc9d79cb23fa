package npuc.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class ArenaSizesTest {
    private static final long K = 1024;

    @Test
    void aGeometricRangeDoublesUpToItsEnd() {
        assertEquals(List.of(32 * K, 64 * K, 128 * K, 256 * K, 512 * K, 1024 * K, 2048 * K),
            ArenaSizes.parse("32KiB..2MiB*2"));
        assertEquals(List.of(64 * K, 256 * K, 1024 * K), ArenaSizes.parse("64KiB..1MiB*4"));
        assertEquals(List.of(64 * K, 256 * K), ArenaSizes.parse("64KiB..1000KiB*4"), "the end need not be a step");
    }

    @Test
    void anArithmeticRangeAndListsMixAndComeOutSortedOnce() {
        assertEquals(List.of(256 * K, 320 * K, 384 * K, 448 * K, 512 * K), ArenaSizes.parse("256KiB..512KiB+64KiB"));
        assertEquals(List.of(1000L, 64 * K, 128 * K, 1536 * K), ArenaSizes.parse("1536KiB, 64k,1000,128KB,64KiB"));
    }

    @Test
    void sizesReadAndWriteAsPeopleWriteThem() {
        assertEquals(1536 * K, ByteSize.parse("1.5MiB"));
        assertEquals(2L << 30, ByteSize.parse("2GiB"));
        assertEquals("1536KiB", ByteSize.format(1536 * K));
        assertEquals("1MiB", ByteSize.format(1024 * K));
        assertEquals("1000", ByteSize.format(1000));
    }

    @Test
    void badTextSaysWhatIsWrong() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ArenaSizes.parse("32KiB..2MiB"))
            .getMessage().contains("needs a step"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ArenaSizes.parse("2MiB..32KiB*2"))
            .getMessage().contains("ends below"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ArenaSizes.parse("32KiB..2MiB*1"))
            .getMessage().contains("above 1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ArenaSizes.parse("lots"))
            .getMessage().contains("not a size"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ArenaSizes.parse("0"))
            .getMessage().contains("above zero"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ArenaSizes.parse("1..1GiB+1"))
            .getMessage().contains("more than"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ByteSize.parse("1.0001KiB"))
            .getMessage().contains("whole number"));
    }
}
