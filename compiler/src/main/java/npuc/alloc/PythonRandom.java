package npuc.alloc;

/**
 * The Mersenne Twister (MT19937) as Python 3's {@code random} module drives it, reproduced bit for bit because
 * Vela's hill-climb allocator draws its swaps from {@code random.randint} after {@code random.seed(1)}: the same
 * draws give the same addresses. Only the calls the allocator makes exist here: seeding with a small non-negative
 * integer, {@code getrandbits(k)} for k up to 32, {@code _randbelow} and {@code randint}.
 */
final class PythonRandom {
    private static final int N = 624;
    private static final int M = 397;
    private static final int MATRIX_A = 0x9908b0df;
    private static final int UPPER_MASK = 0x80000000;
    private static final int LOWER_MASK = 0x7fffffff;

    private final int[] mt = new int[N];
    private int index;

    /** The state {@code random.seed(seed)} leaves: Python seeds an int through init_by_array of its 32-bit words. */
    PythonRandom(int seed) {
        if (seed < 0) {
            throw new IllegalArgumentException("seed must be non-negative: " + seed);
        }
        initByArray(new int[] {seed});
    }

    private void initGenrand(int s) {
        mt[0] = s;
        for (int i = 1; i < N; i++) {
            mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
        }
        index = N;
    }

    private void initByArray(int[] key) {
        initGenrand(19650218);
        int i = 1;
        int j = 0;
        for (int k = Math.max(N, key.length); k > 0; k--) {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1664525)) + key[j] + j;
            i++;
            j++;
            if (i >= N) {
                mt[0] = mt[N - 1];
                i = 1;
            }
            if (j >= key.length) {
                j = 0;
            }
        }
        for (int k = N - 1; k > 0; k--) {
            mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >>> 30)) * 1566083941)) - i;
            i++;
            if (i >= N) {
                mt[0] = mt[N - 1];
                i = 1;
            }
        }
        // Ensures a non-zero initial state, as the reference generator does.
        mt[0] = UPPER_MASK;
    }

    /** The next 32-bit output, as an unsigned value. */
    long nextUint32() {
        if (index >= N) {
            twist();
        }
        int y = mt[index++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y & 0xffffffffL;
    }

    private void twist() {
        for (int kk = 0; kk < N; kk++) {
            int y = (mt[kk] & UPPER_MASK) | (mt[(kk + 1) % N] & LOWER_MASK);
            mt[kk] = mt[(kk + M) % N] ^ (y >>> 1) ^ ((y & 1) != 0 ? MATRIX_A : 0);
        }
        index = 0;
    }

    /** {@code random.getrandbits(k)} for 1 ≤ k ≤ 32: the top k bits of one output. */
    long getrandbits(int k) {
        if (k < 1 || k > 32) {
            throw new IllegalArgumentException("bits must be in [1, 32]: " + k);
        }
        return nextUint32() >>> (32 - k);
    }

    /** {@code random._randbelow(n)}: rejection sampling over n's bit length, so some draws consume several outputs. */
    int randbelow(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("empty range for randbelow: " + n);
        }
        int k = 32 - Integer.numberOfLeadingZeros(n);
        long r = getrandbits(k);
        while (r >= n) {
            r = getrandbits(k);
        }
        return (int) r;
    }

    /** {@code random.randint(a, b)}: uniform in [a, b] inclusive. */
    int randint(int a, int b) {
        if (b < a) {
            throw new IllegalArgumentException("empty range for randint(" + a + ", " + b + ")");
        }
        return a + randbelow(b - a + 1);
    }
}
