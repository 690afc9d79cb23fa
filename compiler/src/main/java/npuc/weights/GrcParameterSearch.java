package npuc.weights;

/**
 * Chooses Golomb-Rice parameters along a sequence of values: a shortest-path search over the parameter in
 * force at each value, where coding a value costs its code length and switching parameters costs a slice
 * header. The result is the list of slices (end position and parameter) the encoder writes.
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
    /** Bits charged for a parameter change: roughly a slice header. */
    private static final int SWITCH_COST = 40;
    /** Cost of a value a parameter cannot code, large enough that the search never keeps it. */
    private static final int UNCODABLE = 10000;

    /** Slices as parallel arrays: slice i codes values up to (not including) {@code ends[i]} with {@code choices[i]}. */
    record Slices(int[] ends, int[] choices) {
        int count() {
            return ends.length;
        }
    }

    private GrcParameterSearch() {
    }

    /**
     * Searches parameters for {@code count} values. In zero-run mode every value is codable; otherwise values
     * with a unary part over 31 (or over 2 when truncated) cannot be coded with that parameter. A switch at a
     * position in {@code freeSwitches} costs nothing, because the other stream already starts a slice there.
     */
    static Slices search(int[] values, int count, boolean zeroRunMode, int uncompressedBits, Slices freeSwitches) {
        int choices = zeroRunMode ? ZERO_RUN_CHOICES : WEIGHT_PARAMETERS.length;
        int[] parameters = zeroRunMode ? ZERO_RUN_PARAMETERS : WEIGHT_PARAMETERS;
        int[] cost = new int[choices];
        int[] next = new int[choices];
        // previous[c][i] is the parameter in force before value i-1 on the best path reaching value i with c.
        byte[][] previous = new byte[choices][count + 1];
        for (int c = 0; c < choices; c++) {
            previous[c][0] = (byte) c;
        }
        int freeIndex = 0;
        int[] freeEnds = freeSwitches == null ? new int[0] : freeSwitches.ends();
        for (int i = 0; i < count; i++) {
            int value = values[i];
            int best = Integer.MAX_VALUE;
            int bestChoice = 0;
            for (int c = 0; c < choices; c++) {
                if (cost[c] < best) {
                    best = cost[c];
                    bestChoice = c;
                }
            }
            int switchCost = SWITCH_COST;
            if (freeIndex < freeEnds.length && freeEnds[freeIndex] == i + 1) {
                switchCost = 0;
                freeIndex++;
            }
            for (int c = 0; c < choices; c++) {
                int divisor = parameters[c] & 15;
                int mode = parameters[c] >> 4;
                int q = value >> divisor;
                int bits = mode != 0 ? Math.min(q + 1, 2) + divisor : q + 1 + divisor;
                if (!zeroRunMode && ((mode != 0 && q > 2) || q > 31)) {
                    bits = UNCODABLE;
                }
                if (mode == 2) {
                    bits = uncompressedBits;
                }
                if (best + switchCost < cost[c]) {
                    previous[c][i + 1] = (byte) bestChoice;
                    next[c] = best + switchCost + bits;
                } else {
                    previous[c][i + 1] = (byte) c;
                    next[c] = cost[c] + bits;
                }
            }
            int[] t = cost;
            cost = next;
            next = t;
        }
        int best = Integer.MAX_VALUE;
        int choice = 0;
        for (int c = 0; c < choices; c++) {
            if (cost[c] < best) {
                best = cost[c];
                choice = c;
            }
        }
        // Walk back: a slice boundary wherever the path changed parameter, and one for the first slice.
        int n = 0;
        for (int i = count, c = choice; i >= 0; i--) {
            if (previous[c][i] != c || i == 0) {
                n++;
                c = previous[c][i];
            }
        }
        int[] ends = new int[n];
        int[] chosen = new int[n];
        int slot = n - 1;
        int end = count;
        for (int i = count, c = choice; i >= 0; i--) {
            if (previous[c][i] != c || i == 0) {
                chosen[slot] = c;
                ends[slot] = end;
                slot--;
                c = previous[c][i];
                end = i - 1;
            }
        }
        return new Slices(ends, chosen);
    }
}
