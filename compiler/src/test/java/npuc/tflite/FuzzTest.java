package npuc.tflite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import npuc.SharedData;
import npuc.graph.BuiltinOptions;
import npuc.graph.Graph;
import npuc.graph.Operator;
import npuc.graph.Subgraph;

/**
 * Mutated models (byte flips, truncation, splices, corrupted length and offset fields) either read
 * or fail with a ModelFormatException, quickly; those that read also write back and read again to an
 * equal Graph. Seeded, so a failure names a case that can be replayed.
 */
class FuzzTest {
    private static final long SEED = 20240611L;
    private static final int CASES_PER_BUILT_MODEL = 1500;
    private static final int CASES_PER_REAL_MODEL = 150;
    /** Far above what a case takes (well under a millisecond); catches runaway loops, not slowness. */
    private static final long CASE_LIMIT_NANOS = 2_000_000_000L;

    private int rejected;
    private int accepted;
    private long slowestNanos;

    @Test
    void mutatedBuiltModelsReadOrFailCleanly() {
        long start = System.nanoTime();
        Random random = new Random(SEED);
        List<byte[]> seeds = List.of(TfliteWriter.write(TestModels.convNet()), TfliteWriter.write(TestModels.denseNet()),
                TfliteWriter.write(TestModels.convNet(), 0));
        for (int s = 0; s < seeds.size(); s++) {
            for (int i = 0; i < CASES_PER_BUILT_MODEL; i++) {
                runCase("built model " + s + " case " + i, mutate(seeds.get(s), seeds, random));
            }
        }
        report("built models", start);
        assertEquals(seeds.size() * CASES_PER_BUILT_MODEL, rejected + accepted);
        assertTrue(rejected > 0 && accepted > 0, "both outcomes occur: " + rejected + " rejected, " + accepted + " accepted");
    }

    @Test
    void mutatedRealModelsReadOrFailCleanly() throws Exception {
        List<Path> models = SharedData.models();
        long start = System.nanoTime();
        Random random = new Random(SEED + 1);
        List<byte[]> seeds = new ArrayList<>();
        for (Path p : models) {
            seeds.add(Files.readAllBytes(p));
        }
        for (int s = 0; s < seeds.size(); s++) {
            for (int i = 0; i < CASES_PER_REAL_MODEL; i++) {
                runCase(models.get(s).getFileName() + " case " + i, mutate(seeds.get(s), seeds, random));
            }
        }
        report("real models", start);
        assertEquals(seeds.size() * CASES_PER_REAL_MODEL, rejected + accepted);
        assertTrue(rejected > 0, "some mutations are rejected");
    }

    private void runCase(String name, byte[] mutated) {
        long t0 = System.nanoTime();
        Graph graph = null;
        try {
            graph = TfliteReader.read(mutated);
            accepted++;
        } catch (ModelFormatException e) {
            rejected++;
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), name + ": empty message");
        } catch (Throwable t) {
            fail(name + ": " + t.getClass().getName() + " escaped the reader", t);
        }
        long elapsed = System.nanoTime() - t0;
        slowestNanos = Math.max(slowestNanos, elapsed);
        assertTrue(elapsed < CASE_LIMIT_NANOS, name + " took " + elapsed / 1_000_000 + " ms");
        if (graph != null && !hasUnmodelledOptions(graph)) {
            try {
                assertEquals(graph, TfliteReader.read(TfliteWriter.write(graph)), name + ": accepted model round trips");
            } catch (ModelFormatException e) {
                fail(name + ": an accepted model, written back, is rejected: " + e.getMessage(), e);
            }
        }
    }

    private void report(String what, long start) {
        System.out.printf("fuzz %s: %d cases, %d rejected, %d accepted, slowest case %.1f ms, %.2f s in all%n",
                what, rejected + accepted, rejected, accepted, slowestNanos / 1e6, (System.nanoTime() - start) / 1e9);
    }

    private static boolean hasUnmodelledOptions(Graph graph) {
        for (Subgraph sg : graph.subgraphs()) {
            for (Operator op : sg.operators()) {
                if (op.options() instanceof BuiltinOptions.Unmodelled) {
                    return true;
                }
            }
        }
        return false;
    }

    /** One to three mutations of a random kind. */
    private static byte[] mutate(byte[] seed, List<byte[]> donors, Random random) {
        byte[] b = seed.clone();
        int rounds = 1 + random.nextInt(3);
        for (int r = 0; r < rounds && b.length > 8; r++) {
            switch (random.nextInt(6)) {
                case 0 -> { // flip bits in a few bytes
                    int n = 1 + random.nextInt(8);
                    for (int i = 0; i < n; i++) {
                        b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
                    }
                }
                case 1 -> b = Arrays.copyOf(b, random.nextInt(b.length)); // truncate
                case 2 -> { // splice a chunk of this or another model over a random place
                    byte[] donor = donors.get(random.nextInt(donors.size()));
                    int len = 1 + random.nextInt(Math.min(64, Math.min(donor.length, b.length)));
                    System.arraycopy(donor, random.nextInt(donor.length - len + 1), b,
                            random.nextInt(b.length - len + 1), len);
                }
                case 3 -> { // corrupt what may be a length or offset: an aligned 32-bit word
                    int at = random.nextInt(b.length / 4) * 4;
                    int[] values = {-1, Integer.MIN_VALUE, Integer.MAX_VALUE, 0x10000, b.length, b.length - at,
                            random.nextInt(), random.nextInt(64)};
                    putInt(b, at, values[random.nextInt(values.length)]);
                }
                case 4 -> { // nudge a word by a small amount, as an off-by-some offset
                    int at = random.nextInt(b.length / 4) * 4;
                    putInt(b, at, ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt(at) + random.nextInt(17) - 8);
                }
                default -> { // zero a range
                    int from = random.nextInt(b.length);
                    Arrays.fill(b, from, Math.min(b.length, from + 1 + random.nextInt(32)), (byte) 0);
                }
            }
        }
        return b;
    }

    private static void putInt(byte[] b, int at, int value) {
        if (at + 4 <= b.length) {
            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(at, value);
        }
    }
}
