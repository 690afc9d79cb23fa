package npuc.weights;

/**
 * Chooses Golomb-Rice parameters along a sequence of values: a shortest-path search over the parameter in
 * force at each value, where coding a value costs its code length and switching parameters costs a slice
 * header. The result is the list of slices (end position and parameter) the encoder writes.
 *
 * <p>One forward pass keeps the cost of the best path ending in each parameter; a path either stays on its
 * parameter or switches from the cheapest one, so each value records only which parameters switched (a bit
 * mask) and which was cheapest, and one backward pass reads the slices off those. An instance keeps its
 * arrays for the next search; it serves one thread.
 */
final class GrcParameterSearch {
    /**
     * Weight parameters: divisor bits in the low nibble, the truncated-unary flag in bit 4; 0x20 is the
     * uncompressed mode.
     */
    static final int[] WEIGHT_PARAMETERS = {0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15,
        0x20};
    /** Zero-run parameters: divisor bits only. The encoder searches the first four. */
    static final int[] ZERO_RUN_PARAMETERS = {0x00, 0x01, 0x02, 0x03, 0x04};
    private static final int ZERO_RUN_CHOICES = 4;
    private static final int WEIGHT_CHOICES = WEIGHT_PARAMETERS.length;
    /** The uncompressed mode, whose cost is the section's fixed index width. */
    private static final int UNCOMPRESSED = WEIGHT_CHOICES - 1;
    /** Bits charged for a parameter change: roughly a slice header. */
    private static final int SWITCH_COST = 40;
    /** Cost of a value a parameter cannot code, large enough that the search never keeps it. */
    private static final int UNCODABLE = 10000;
    /** Weight indices below this have their code lengths in {@link #WEIGHT_BITS}; larger ones are computed. */
    private static final int TABULATED_VALUES = 512;
    /** Code length of weight index v with parameter c (c below the uncompressed mode) at {@code v * 16 + c}. */
    private static final int[] WEIGHT_BITS = new int[TABULATED_VALUES * 16];

    static {
        for (int v = 0; v < TABULATED_VALUES; v++) {
            for (int c = 0; c < UNCOMPRESSED; c++) {
                WEIGHT_BITS[v * 16 + c] = weightBits(c, v);
            }
        }
    }

    /** Slices as parallel arrays: slice i codes values up to (not including) {@code ends[i]} with {@code choices[i]}. */
    record Slices(int[] ends, int[] choices) {
        static final Slices NONE = new Slices(new int[0], new int[0]);

        int count() {
            return ends.length;
        }
    }

    /** Per value: bit c set where the path ending in parameter c switched there from the cheapest. */
    private short[] switched = new short[0];
    /** Per value: the cheapest parameter before it. */
    private byte[] cheapest = new byte[0];
    private final int[] cost = new int[16];
    /** The code lengths of a weight index that has no row in {@link #WEIGHT_BITS}. */
    private final int[] otherBits = new int[16];
    /** The slices as the backward walk finds them, last first. */
    private int[] backEnds = new int[0];
    private int[] backChoices = new int[0];

    /**
     * Searches parameters for {@code count} values. In zero-run mode every value is codable; otherwise values
     * with a unary part over 31 (or over 2 when truncated) cannot be coded with that parameter. A switch at a
     * position in {@code freeSwitches} costs nothing, because the other stream already starts a slice there.
     */
    Slices search(int[] values, int count, boolean zeroRunMode, int uncompressedBits, Slices freeSwitches) {
        if (switched.length < count + 1) {
            switched = new short[Math.max(count + 1, switched.length * 2)];
            cheapest = new byte[switched.length];
        }
        int[] cost = this.cost;
        java.util.Arrays.fill(cost, 0);
        short[] switched = this.switched;
        byte[] cheapest = this.cheapest;
        int freeIndex = 0;
        int[] freeEnds = freeSwitches == null ? Slices.NONE.ends() : freeSwitches.ends();
        int best = 0;
        int bestChoice = 0;
        for (int i = 0; i < count; i++) {
            int value = values[i];
            int switchCost = SWITCH_COST;
            if (freeIndex < freeEnds.length && freeEnds[freeIndex] == i + 1) {
                switchCost = 0;
                freeIndex++;
            }
            int switchedCost = best + switchCost;
            // Branch-free: whether a path switches depends on the data and would defeat branch prediction.
            int mask = 0;
            int nextBest = Integer.MAX_VALUE;
            int nextBestChoice = 0;
            if (zeroRunMode) {
                for (int c = 0; c < ZERO_RUN_CHOICES; c++) {
                    int stay = cost[c];
                    int switches = (switchedCost - stay) >> 31;
                    mask |= (switches & 1) << c;
                    int total = stay + ((switchedCost - stay) & switches) + (value >> c) + 1 + c;
                    cost[c] = total;
                    int better = (total - nextBest) >> 31;
                    nextBest += (total - nextBest) & better;
                    nextBestChoice ^= (nextBestChoice ^ c) & better;
                }
            } else {
                int[] table = WEIGHT_BITS;
                int row = value * 16;
                if (value < 0 || value >= TABULATED_VALUES) {
                    table = otherBits;
                    row = 0;
                    for (int c = 0; c < UNCOMPRESSED; c++) {
                        table[c] = weightBits(c, value);
                    }
                }
                for (int c = 0; c < UNCOMPRESSED; c++) {
                    int stay = cost[c];
                    int switches = (switchedCost - stay) >> 31;
                    mask |= (switches & 1) << c;
                    int total = stay + ((switchedCost - stay) & switches) + table[row + c];
                    cost[c] = total;
                    int better = (total - nextBest) >> 31;
                    nextBest += (total - nextBest) & better;
                    nextBestChoice ^= (nextBestChoice ^ c) & better;
                }
                int stay = cost[UNCOMPRESSED];
                int total;
                if (switchedCost < stay) {
                    mask |= 1 << UNCOMPRESSED;
                    total = switchedCost + uncompressedBits;
                } else {
                    total = stay + uncompressedBits;
                }
                cost[UNCOMPRESSED] = total;
                if (total < nextBest) {
                    nextBest = total;
                    nextBestChoice = UNCOMPRESSED;
                }
            }
            switched[i + 1] = (short) mask;
            cheapest[i + 1] = (byte) bestChoice;
            best = nextBest;
            bestChoice = nextBestChoice;
        }
        // The parameter in force before value i-1 on the path reaching value i with c: the cheapest one where
        // the path switched, else c itself. Walk back: a slice boundary wherever the path changed parameter,
        // and one for the first slice. The slices are found last to first.
        if (backEnds.length < count + 1) {
            backEnds = new int[Math.max(count + 1, backEnds.length * 2)];
            backChoices = new int[backEnds.length];
        }
        int n = 0;
        int end = count;
        for (int i = count, c = bestChoice; i >= 0; i--) {
            int before = i > 0 && (switched[i] & (1 << c)) != 0 ? cheapest[i] : c;
            if (before != c || i == 0) {
                backChoices[n] = c;
                backEnds[n] = end;
                n++;
                c = before;
                end = i - 1;
            }
        }
        int[] ends = new int[n];
        int[] chosen = new int[n];
        for (int k = 0; k < n; k++) {
            ends[k] = backEnds[n - 1 - k];
            chosen[k] = backChoices[n - 1 - k];
        }
        return new Slices(ends, chosen);
    }

    /** Code length of a weight index with weight parameter {@code c} (not the uncompressed mode). */
    private static int weightBits(int c, int value) {
        int divisor = WEIGHT_PARAMETERS[c] & 15;
        boolean truncated = (WEIGHT_PARAMETERS[c] >> 4) != 0;
        int q = value >> divisor;
        if ((truncated && q > 2) || q > 31) {
            return UNCODABLE;
        }
        return truncated ? Math.min(q + 1, 2) + divisor : q + 1 + divisor;
    }
}
