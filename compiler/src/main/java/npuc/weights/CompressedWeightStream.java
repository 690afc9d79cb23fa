package npuc.weights;

import java.util.Arrays;

/**
 * Encoder of the Ethos-U compressed weight stream, the format the NPU's weight decoder reads.
 *
 * <p>A stream is a sequence of slices. A slice header gives the zero-run divisor (or 6: no zero runs), the
 * number of weights, the weight divisor (7: uncompressed), the truncation flag and, for the first slice of a
 * section, a new palette. The body interleaves chunks of Golomb-Rice coded weight indices and zero-run
 * lengths: the unary parts of a chunk come first, the remainders of the chunk before follow. A 3-bit 7 ends
 * the stream, which is then padded with one bits to a 16-byte boundary.
 *
 * <p>Every choice (palette sections, palettes, Golomb-Rice parameters, slice boundaries) is made exactly as
 * the reference encoder makes it, so the bytes are the same and so are the sizes the scheduler plans with.
 */
public final class CompressedWeightStream {
    /** Weights are 9-bit sign-magnitude in the decoder: this is the largest magnitude. */
    public static final int MAX_WEIGHT = 255;
    /** The stream length is a multiple of this many bytes. */
    public static final int ALIGNMENT = 16;

    static final int ZDIV_DISABLED = 6;
    static final int ZDIV_END_OF_STREAM = 7;
    static final int WDIV_UNCOMPRESSED = 7;
    static final int MAX_SLICE_LENGTH = 32767;

    private static final int[] PALETTE_WINDOWS = {32, 64, 128, 256, 512};
    /** An existing palette is extended past this many non-zero weights only if its index width stays. */
    private static final int LONG_PALETTE = 512;

    /**
     * Scratch of {@link #paletteSections}: the last position of each value, the positions of non-zero weights,
     * and a bit per position set where the value there does not occur again up to the current position (so
     * the bits set in a window count its distinct values).
     */
    private final int[] lastSeen = new int[512];
    private int[] nonZeroAt = new int[0];
    private long[] lastOccurrenceSet = new long[0];
    private int[] restarts = new int[16];
    /** Scratch of a section: the coded weight indices and the zero runs before each. */
    private int[] indices = new int[0];
    private int[] runs = new int[1];
    private final GrcParameterSearch weightSearch = new GrcParameterSearch();
    private final GrcParameterSearch runSearch = new GrcParameterSearch();
    /** Scratch of a slice: remainders of the chunk being written and of the one before. */
    private final int[] weightRemainders = new int[12];
    private final int[] runRemainders = new int[12];
    private final int[] previousWeightRemainders = new int[12];
    private final int[] previousRunRemainders = new int[12];

    /** An encoder that keeps its scratch arrays from stream to stream; it serves one thread. */
    CompressedWeightStream() {
    }

    /** Encodes all of {@code weights}, each in [-255, 255]. */
    public static byte[] encode(short[] weights) {
        return encode(weights, weights.length);
    }

    /** Encodes the first {@code count} of {@code weights}, each in [-255, 255]. */
    public static byte[] encode(short[] weights, int count) {
        for (int i = 0; i < count; i++) {
            if (weights[i] < -MAX_WEIGHT || weights[i] > MAX_WEIGHT) {
                throw new IllegalArgumentException(
                        "weight " + weights[i] + " at " + i + " is outside the 9-bit range [-255, 255]");
            }
        }
        BitWriter out = new BitWriter(count + 64);
        new CompressedWeightStream().append(weights, count, out);
        return out.toByteArray();
    }

    /**
     * Appends the stream of the first {@code count} of {@code weights} (each in [-255, 255], not checked) to
     * {@code out}, which must be at a multiple of 16 bytes.
     */
    void append(short[] weights, int count, BitWriter out) {
        long start = out.position();
        int sectionCount = paletteSections(weights, count);
        int[] sections = restarts;
        for (int s = 0; s < sectionCount; s++) {
            int from = sections[s];
            int size = (s + 1 < sectionCount ? sections[s + 1] : count) - from;
            encodeSection(weights, from, size, Palette.choose(weights, from, size), out);
        }
        out.put(3, ZDIV_END_OF_STREAM);
        out.put((int) ((8 - ((out.position() - start) & 7)) & 7), 0xff);
        while (((out.position() - start) & (ALIGNMENT * 8 - 1)) != 0) {
            out.put(8, 0xff);
        }
    }

    /**
     * Where to start a new palette, into {@link #restarts}; returns how many sections. Walking the weights, a
     * palette is started when one fitted to the last window of non-zero weights is estimated to save bits over
     * the current one (or over direct coding), and a long-lived palette is closed when one more distinct value
     * would cost it another index bit.
     */
    private int paletteSections(short[] buf, int size) {
        int[] restarts = this.restarts;
        restarts[0] = 0;
        int restartCount = 1;
        int lastRestart = 0;
        boolean havePalette = false;
        int paletteSize = 0;
        int zeros = 0;
        int[] lastSeen = this.lastSeen;
        Arrays.fill(lastSeen, -1);
        if (nonZeroAt.length < size) {
            nonZeroAt = new int[Math.max(size, nonZeroAt.length * 2)];
        }
        int[] nonZeroAt = this.nonZeroAt;
        int nonZeroCount = 0;
        int words = (size + 63) >>> 6;
        if (lastOccurrenceSet.length < words) {
            lastOccurrenceSet = new long[Math.max(words, lastOccurrenceSet.length * 2)];
        }
        long[] lastOccurrences = lastOccurrenceSet;
        Arrays.fill(lastOccurrences, 0, words, 0);
        for (int i = 0; i < size; i++) {
            int value = buf[i] + 256;
            int excludeZero = zeros > ((i - lastRestart) >> 2) ? 1 : 0;
            if (havePalette && lastSeen[value] < lastRestart) {
                paletteSize++;
                if (isPowerOfTwo(paletteSize - 1 - excludeZero)
                        && ((i - lastRestart - zeros) > LONG_PALETTE
                            || (paletteSize - excludeZero) > Palette.MAX_ENTRIES)) {
                    if (restartCount == restarts.length) {
                        restarts = this.restarts = Arrays.copyOf(restarts, restarts.length * 2);
                    }
                    restarts[restartCount++] = i;
                    lastRestart = i;
                    havePalette = false;
                    zeros = 0;
                }
            }
            int previous = lastSeen[value];
            if (previous >= 0) {
                lastOccurrences[previous >>> 6] &= ~(1L << previous);
            }
            lastOccurrences[i >>> 6] |= 1L << i;
            lastSeen[value] = i;
            if (value == 256) {
                zeros++;
            } else {
                nonZeroAt[nonZeroCount++] = i;
            }
            // Every window is a multiple of the smallest, so most positions end none.
            if (((i - lastRestart - zeros) & (PALETTE_WINDOWS[0] - 1)) != 0) {
                continue;
            }
            for (int window : PALETTE_WINDOWS) {
                int n = window * (havePalette ? 2 : 1);
                int nonZeros = i - lastRestart - zeros;
                if (nonZeros <= 0 || (nonZeros & (n - 1)) != 0) {
                    continue;
                }
                // Back to where the last n + 1 non-zero weights begin: at the non-zero weight before them, if
                // it follows the restart, else at the restart.
                int start = lastRestart;
                if (nonZeroCount >= n + 2 && nonZeroAt[nonZeroCount - n - 2] > lastRestart) {
                    start = nonZeroAt[nonZeroCount - n - 2];
                }
                int newSize = bitsSet(lastOccurrences, start, i);
                boolean restart;
                if (havePalette) {
                    int newBits = paletteIndexBits(newSize - excludeZero);
                    int oldBits = paletteIndexBits(paletteSize - excludeZero);
                    int savings = n * (oldBits * 15 - newBits * 15) / 16 - newSize * 8 - 20;
                    restart = savings > 0;
                } else if (newSize - excludeZero <= Palette.MAX_ENTRIES) {
                    int newBits = paletteIndexBits(newSize - excludeZero);
                    int savings = n * (90 - newBits * 15) / 16 - newSize * 8 - 20;
                    restart = savings > 0;
                } else {
                    restart = false;
                }
                if (restart) {
                    paletteSize = newSize;
                    havePalette = true;
                    lastRestart = start;
                    if (restarts[restartCount - 1] != lastRestart) {
                        if (restartCount == restarts.length) {
                            restarts = this.restarts = Arrays.copyOf(restarts, restarts.length * 2);
                        }
                        restarts[restartCount++] = lastRestart;
                    }
                    zeros = 0;
                    for (int k = lastRestart; k <= i; k++) {
                        if (buf[k] == 0) {
                            zeros++;
                        }
                    }
                }
            }
        }
        return restartCount;
    }

    /** How many bits of {@code set} are set from bit {@code from} to bit {@code to}, both included. */
    private static int bitsSet(long[] set, int from, int to) {
        int first = from >>> 6;
        int last = to >>> 6;
        long lowMask = -1L << from;
        long highMask = -1L >>> (63 - (to & 63));
        if (first == last) {
            return Long.bitCount(set[first] & lowMask & highMask);
        }
        int n = Long.bitCount(set[first] & lowMask) + Long.bitCount(set[last] & highMask);
        for (int w = first + 1; w < last; w++) {
            n += Long.bitCount(set[w]);
        }
        return n;
    }

    private static boolean isPowerOfTwo(int x) {
        return ((x - 1) & x) == 0;
    }

    private static int paletteIndexBits(int size) {
        for (int i = 7; i >= 0; i--) {
            if (size > (1 << i)) {
                return i + 1;
            }
        }
        return 0;
    }

    private void encodeSection(short[] weights, int from, int size, Palette p, BitWriter out) {
        // The uncompressed mode codes indices in a fixed width: the palette index width when every weight
        // is in the palette, the value width when there is no palette, and is unusable otherwise.
        int uncompressedBits;
        if (p.onlyPalette) {
            uncompressedBits = 0;
            while ((1 << uncompressedBits) < p.size()) {
                uncompressedBits++;
            }
        } else if (p.size() == 0) {
            uncompressedBits = p.entryBits;
        } else {
            uncompressedBits = 100;
        }
        if (indices.length < size) {
            indices = new int[Math.max(size, indices.length * 2)];
            runs = new int[indices.length + 1];
        }
        int[] indices = this.indices;
        int[] runs = this.runs;
        int weightCount = 0;
        int i = 0;
        while (true) {
            if (p.zeroRuns) {
                int run = 0;
                // An all-zero section still codes its first zero as a weight: a slice cannot be empty.
                if (!p.onlyZeros || i > 0) {
                    while (i < size && weights[from + i] == 0) {
                        run++;
                        i++;
                    }
                }
                runs[weightCount] = run;
            }
            if (i == size) {
                break;
            }
            indices[weightCount++] = p.indexOf(weights[from + i]);
            i++;
        }
        GrcParameterSearch.Slices weightSlices = weightCount == 0 ? GrcParameterSearch.Slices.NONE
                : weightSearch.search(indices, weightCount, false, uncompressedBits, null);
        GrcParameterSearch.Slices runSlices = p.zeroRuns
                ? runSearch.search(runs, weightCount + 1, true, 0, weightSlices)
                : GrcParameterSearch.Slices.NONE;

        int pos = 0;
        int weightSlice = 0;
        int runSlice = 0;
        boolean newPalette = true;
        while (pos < weightCount || newPalette) {
            int end = pos + MAX_SLICE_LENGTH;
            if (weightSlice < weightSlices.count() && weightSlices.ends()[weightSlice] < end) {
                end = weightSlices.ends()[weightSlice];
            }
            if (runSlice < runSlices.count() && runSlices.ends()[runSlice] < end) {
                end = runSlices.ends()[runSlice];
            }
            end = Math.min(end, weightCount);
            // The first slice of a section also codes the run before its first weight.
            int runFrom = pos + (newPalette ? 0 : 1);
            int weightChoice = weightSlice < weightSlices.count() ? weightSlices.choices()[weightSlice] : 0;
            int runChoice = p.zeroRuns && runSlice < runSlices.count() ? runSlices.choices()[runSlice] : 0;
            encodeSlice(indices, pos, runs, runFrom, end - pos, p, newPalette, uncompressedBits, weightChoice,
                    runChoice, out);
            newPalette = false;
            if (weightSlice < weightSlices.count() && weightSlices.ends()[weightSlice] == end) {
                weightSlice++;
            }
            if (runSlice < runSlices.count() && runSlices.ends()[runSlice] == end) {
                runSlice++;
            }
            pos = end;
        }
    }

    private void encodeSlice(int[] indices, int indexFrom, int[] runs, int runFrom, int count, Palette p,
            boolean newPalette, int uncompressedBits, int weightChoice, int runChoice, BitWriter out) {
        int weightParameter = GrcParameterSearch.WEIGHT_PARAMETERS[weightChoice];
        boolean uncompressed = (weightParameter >> 4) == 2;
        boolean truncated = (weightParameter >> 4) == 1;
        int weightDivisor = uncompressed ? uncompressedBits : weightParameter & 15;
        int runDivisor = GrcParameterSearch.ZERO_RUN_PARAMETERS[runChoice] & 15;

        out.put(3, p.zeroRuns ? runDivisor : ZDIV_DISABLED);
        out.put(15, count - 1);
        out.put(3, uncompressed ? WDIV_UNCOMPRESSED : weightDivisor);
        out.put(1, truncated ? 1 : 0);
        out.put(1, newPalette ? 1 : 0);
        if (newPalette) {
            out.put(5, p.directOffset);
            out.put(5, Math.max(0, p.size() - 1));
            out.put(3, p.entryBits - 2);
            for (int entry : p.entries) {
                out.put(p.entryBits, entry);
            }
        }

        int runCount = count + (newPalette ? 1 : 0);
        int runUnaryBits = runDivisor < 3 ? 12 : 8;
        int weightSymbols = uncompressed && weightDivisor > 5 ? 8 : 12;
        int weightPos = 0;
        int runPos = 0;
        // Quotient still to code (negative when none) and remainder (negative for padding symbols).
        int weightQ = -1;
        int weightR = 0;
        int runQ = -1;
        int runR = 0;
        int[] weightRemainders = this.weightRemainders;
        int[] runRemainders = this.runRemainders;
        int[] previousWeightRemainders = this.previousWeightRemainders;
        int[] previousRunRemainders = this.previousRunRemainders;
        int weightRemainderCount = 0;
        int runRemainderCount = 0;
        int previousWeightRemainderCount = 0;
        int previousRunRemainderCount = 0;
        boolean previousWeights = false;
        boolean previousRuns = false;
        do {
            // The decoder keeps the two streams within 8 values of each other.
            int balance = p.zeroRuns ? weightPos - runPos : 0;
            boolean weightsOn = balance < 8 && weightPos < count;
            boolean runsOn = balance >= 0 && p.zeroRuns && runPos < runCount;
            int unary0 = 0;
            int unary1 = 0;
            int unary1Bits = 0;
            if (weightsOn) {
                weightRemainderCount = 0;
                int j = 0;
                while (j < weightSymbols) {
                    if (weightQ < 0) {
                        if (weightPos < count) {
                            int value = indices[indexFrom + weightPos];
                            weightQ = value >> weightDivisor;
                            weightR = value & ((1 << weightDivisor) - 1);
                        } else {
                            weightQ = 0;
                            weightR = -1;
                        }
                    }
                    while (weightQ >= 0 && j < weightSymbols) {
                        if (weightQ > 0) {
                            unary0 |= 1 << j;
                            if (weightQ > 1) {
                                unary1 |= 1 << unary1Bits;
                            }
                            unary1Bits++;
                        }
                        j++;
                        weightQ -= truncated ? 3 : 2;
                    }
                    if (weightQ < 0 && weightR >= 0) {
                        weightRemainders[weightRemainderCount++] = weightR;
                        weightPos++;
                    }
                }
            }
            int runUnary = 0;
            if (runsOn) {
                runRemainderCount = 0;
                int j = 0;
                while (j < runUnaryBits) {
                    if (runQ < 0) {
                        if (runPos < runCount) {
                            int value = runs[runFrom + runPos];
                            runQ = value >> runDivisor;
                            runR = value & ((1 << runDivisor) - 1);
                        } else {
                            runQ = 0;
                            runR = -1;
                        }
                    }
                    while (runQ >= 0 && j < runUnaryBits) {
                        if (runQ > 0) {
                            runUnary |= 1 << j;
                        }
                        j++;
                        runQ--;
                    }
                    if (runQ < 0 && runR >= 0) {
                        runRemainders[runRemainderCount++] = runR;
                        runPos++;
                    }
                }
            }
            if (weightsOn && !uncompressed) {
                out.put(12, unary0);
            }
            if (runsOn) {
                out.put(runUnaryBits, runUnary);
            }
            if (weightsOn && !uncompressed) {
                out.put(unary1Bits, unary1);
            }
            if (previousWeights) {
                for (int k = 0; k < previousWeightRemainderCount; k++) {
                    out.put(weightDivisor, previousWeightRemainders[k]);
                }
            }
            if (previousRuns) {
                for (int k = 0; k < previousRunRemainderCount; k++) {
                    out.put(runDivisor, previousRunRemainders[k]);
                }
            }
            previousWeights = weightsOn;
            previousWeightRemainderCount = weightRemainderCount;
            System.arraycopy(weightRemainders, 0, previousWeightRemainders, 0, 12);
            previousRuns = runsOn;
            previousRunRemainderCount = runRemainderCount;
            System.arraycopy(runRemainders, 0, previousRunRemainders, 0, 12);
        } while (previousWeights || previousRuns);
    }
}
