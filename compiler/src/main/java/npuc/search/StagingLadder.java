package npuc.search;

import java.util.ArrayList;
import java.util.List;

/**
 * The staging limits the search makes Vela's Performance schedules at, the same for every arena size: four rungs
 * an octave, m * 2^k bytes for m = 4, 5, 6, 7 and k >= 8 (1, 1.25, 1.5, 1.75, 2, 2.5 KiB, ..., 32, 40, 48, 56, 64,
 * 80, 96, 112, 128 KiB, ..., 384 KiB, ...). Every power of two is a rung, and so are the sizes a quarter, half and
 * three quarters of the way to the next. That the ladder does not move with the arena size is what makes the
 * schedules searched at one rung a part of those searched at every larger size.
 */
final class StagingLadder {
    /** The lowest rung: 1 KiB. */
    static final long FIRST = 1024;
    private static final int LOWEST_EXPONENT = 8;
    private static final int HIGHEST_EXPONENT = 40;
    /** The rungs of an octave, in quarters of its lower end (4 = the power of two). */
    private static final long[] MANTISSAS = {4, 5, 6, 7};

    private StagingLadder() {
    }

    /** Whether {@code bytes} is a rung. */
    static boolean isRung(long bytes) {
        if (bytes < FIRST) {
            return false;
        }
        int k = 63 - Long.numberOfLeadingZeros(bytes) - 2;
        long m = bytes >> k;
        return m >= 4 && m <= 7 && (m << k) == bytes;
    }

    /** The rungs from {@code lo} to {@code hi}, both included, lowest first. */
    static List<Long> between(long lo, long hi) {
        List<Long> rungs = new ArrayList<>();
        for (int k = LOWEST_EXPONENT; k <= HIGHEST_EXPONENT; k++) {
            for (long m : MANTISSAS) {
                long rung = m << k;
                if (rung > hi) {
                    return rungs;
                }
                if (rung >= lo) {
                    rungs.add(rung);
                }
            }
        }
        return rungs;
    }

    /** The highest rung at most {@code bytes}; the first rung when {@code bytes} is below it. */
    static long floor(long bytes) {
        List<Long> below = between(FIRST, Math.max(FIRST, bytes));
        return below.get(below.size() - 1);
    }

    /** The lowest rung at least {@code bytes}. */
    static long ceiling(long bytes) {
        for (int k = LOWEST_EXPONENT; k <= HIGHEST_EXPONENT; k++) {
            for (long m : MANTISSAS) {
                if ((m << k) >= bytes) {
                    return m << k;
                }
            }
        }
        throw new IllegalArgumentException("no rung reaches " + bytes + " bytes");
    }
}
