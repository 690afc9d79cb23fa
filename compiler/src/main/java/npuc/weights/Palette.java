package npuc.weights;

import java.util.Arrays;

/**
 * How one section of a weight stream maps weights to coded indices. The decoder holds up to 32 palette
 * entries; an index below the palette size selects an entry, a larger one codes a weight directly as its
 * sign-magnitude value {@code (|w| << 1) | sign} shifted by the palette size and the direct offset. When
 * zero runs are on, zeros are not coded as indices at all but as run lengths in a second stream.
 */
final class Palette {
    static final int MAX_ENTRIES = 32;
    /** A zero is coded explicitly, not as a run, when it is at least this much rarer than the runner-up. */
    private static final int ZERO_RUN_DOMINANCE = 4;

    /** Palette entries as sign-magnitude values, most frequent first. */
    final int[] entries;
    /** Bit width of each palette entry in the header; without a palette, the width of the largest value. */
    final int entryBits;
    final boolean zeroRuns;
    /** Every weight of the section is in the palette, so the uncompressed mode can code palette indices. */
    final boolean onlyPalette;
    /** Sign-magnitude values below this are unused, so direct indices skip them. */
    final int directOffset;
    /** The section is all zeros: nothing but one explicit zero and a run is coded. */
    final boolean onlyZeros;
    /** The coded index of each weight, indexed by weight + 255. */
    private final int[] indexOfWeight;

    private Palette(int[] entries, int entryBits, boolean zeroRuns, boolean onlyPalette, int directOffset,
            boolean onlyZeros) {
        this.entries = entries;
        this.entryBits = entryBits;
        this.zeroRuns = zeroRuns;
        this.onlyPalette = onlyPalette;
        this.directOffset = directOffset;
        this.onlyZeros = onlyZeros;
        this.indexOfWeight = new int[2 * CompressedWeightStream.MAX_WEIGHT + 1];
        for (int signMagnitude = 0; signMagnitude < 512; signMagnitude++) {
            // Both 0 and 1 decode to weight 0; the later one (negative zero) is the index zero gets.
            indexOfWeight[weightOf(signMagnitude) + CompressedWeightStream.MAX_WEIGHT] =
                    signMagnitude + entries.length - directOffset;
        }
        for (int i = 0; i < entries.length; i++) {
            indexOfWeight[weightOf(entries[i]) + CompressedWeightStream.MAX_WEIGHT] = i;
        }
    }

    int size() {
        return entries.length;
    }

    int indexOf(int weight) {
        return indexOfWeight[weight + CompressedWeightStream.MAX_WEIGHT];
    }

    static int signMagnitude(int weight) {
        return (Math.abs(weight) << 1) | (weight < 0 ? 1 : 0);
    }

    static int weightOf(int signMagnitude) {
        int magnitude = signMagnitude >> 1;
        return (signMagnitude & 1) != 0 ? -magnitude : magnitude;
    }

    /** Chooses the palette for {@code count} weights starting at {@code from}. */
    static Palette choose(short[] weights, int from, int count) {
        int[] frequency = new int[512];
        for (int i = from; i < from + count; i++) {
            frequency[weights[i] + 256]++;
        }
        // Zero runs pay off only when zero is the most common weight by a clear margin.
        int firstCount = 0;
        int firstValue = 0;
        int secondCount = 0;
        for (int i = 0; i < 512; i++) {
            if (frequency[i] > firstCount) {
                secondCount = firstCount;
                firstCount = frequency[i];
                firstValue = i - 256;
            } else if (frequency[i] > secondCount) {
                secondCount = frequency[i];
            }
        }
        boolean zeroRuns = firstValue == 0 && firstCount > ZERO_RUN_DOMINANCE * secondCount;
        return fromFrequencies(frequency, zeroRuns);
    }

    private static Palette fromFrequencies(int[] frequency, boolean zeroRuns) {
        // Each key holds the count above 16 bits and the sign-magnitude value below, so sorting the keys
        // orders by count and breaks ties by the larger value, as the reference encoder does. Only values
        // that occur take part: the palette never holds one that does not.
        long[] keys = new long[512];
        int distinct = 0;
        int total = 0;
        int largestValue = 0;
        int directOffset = 31;
        for (int w = -CompressedWeightStream.MAX_WEIGHT; w <= CompressedWeightStream.MAX_WEIGHT; w++) {
            int n = frequency[w + 256];
            if (n == 0 || (w == 0 && zeroRuns)) {
                continue;
            }
            int value = signMagnitude(w);
            keys[distinct++] = ((long) n << 16) | value;
            total += n;
            largestValue = Math.max(largestValue, value);
            directOffset = Math.min(directOffset, value);
        }
        Arrays.sort(keys, 0, distinct);
        reverse(keys, distinct);
        boolean onlyZeros = distinct == 0;
        if (onlyZeros) {
            directOffset = 0;
        }
        boolean onlyPalette = distinct > 0 && distinct <= MAX_ENTRIES;
        int maxEntries;
        if (onlyPalette) {
            maxEntries = MAX_ENTRIES;
        } else {
            // A direct index is the value plus the palette size, and indices stop at 511.
            maxEntries = Math.min(MAX_ENTRIES, 511 - largestValue);
            if (maxEntries == 1) {
                maxEntries = 0;
            }
        }
        int[] lut = new int[MAX_ENTRIES];
        int used = 0;
        int inPalette = 0;
        int largestEntry = 0;
        while (used < maxEntries && used < distinct) {
            int n = (int) (keys[used] >>> 16);
            int value = (int) (keys[used] & 0xffff);
            lut[used] = value;
            largestEntry = Math.max(largestEntry, value);
            inPalette += n;
            used++;
        }
        if (used == 1) {
            // The hardware has no one-entry palette; a zero entry makes it two.
            lut[used++] = 0;
        }
        int[] entries;
        int widest;
        // A palette that covers at most half of the weights (a flat distribution) is not worth it.
        if (inPalette > total / 2) {
            entries = Arrays.copyOf(lut, used);
            widest = largestEntry;
        } else {
            entries = new int[0];
            widest = largestValue;
        }
        int entryBits = 2;
        while ((1 << entryBits) <= widest) {
            entryBits++;
        }
        return new Palette(entries, entryBits, zeroRuns, onlyPalette, directOffset, onlyZeros);
    }

    private static void reverse(long[] a, int length) {
        for (int i = 0, j = length - 1; i < j; i++, j--) {
            long t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
