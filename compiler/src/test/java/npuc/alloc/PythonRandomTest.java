package npuc.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PythonRandomTest {
    // Expected values are Python 3's random module outputs after random.seed(1).

    @Test
    void firstOutputsMatchPythonForSeedOne() {
        PythonRandom r = new PythonRandom(1);
        long[] expected = {577090037L, 2444712010L, 3639700191L, 3445702192L, 3280387012L};
        for (long e : expected) {
            assertEquals(e, r.getrandbits(32));
        }
    }

    @Test
    void outputsAcrossTheStateRegenerationMatchPython() {
        // Outputs 623 to 626: the last of the first state block and the first three of the next.
        PythonRandom r = new PythonRandom(1);
        for (int i = 0; i < 623; i++) {
            r.nextUint32();
        }
        long[] expected = {802355090L, 1360367077L, 3404757168L, 3638416111L};
        for (long e : expected) {
            assertEquals(e, r.getrandbits(32));
        }
    }

    @Test
    void randintMatchesPythonIncludingRejectedDraws() {
        // randint(0, 100) draws 7 bits and rejects values above 100; randint(0, 6) draws 3 bits and rejects 7.
        PythonRandom r = new PythonRandom(1);
        int[] expected = {17, 72, 97, 8, 32, 15, 63, 97, 57, 60};
        for (int e : expected) {
            assertEquals(e, r.randint(0, 100));
        }
        PythonRandom s = new PythonRandom(1);
        int[] small = {1, 4, 6, 6, 6, 0, 2, 0, 3, 6};
        for (int e : small) {
            assertEquals(e, s.randint(0, 6));
        }
    }

    @Test
    void emptyRangeIsRejectedAsInPython() {
        PythonRandom r = new PythonRandom(1);
        assertThrows(IllegalArgumentException.class, () -> r.randint(0, -1));
    }
}
