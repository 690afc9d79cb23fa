package npuc.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import npuc.ArenaTooSmallException;
import npuc.CompileOptions;
import npuc.CompileResult;
import npuc.Compiler;
import npuc.alloc.ArenaAllocation;
import npuc.arch.Target;
import npuc.arch.TargetOptions;
import npuc.arch.Targets;
import npuc.codegen.ArenaPlacement;
import npuc.codegen.CommandStream;
import npuc.codegen.CommandStreamGenerator;
import npuc.codegen.ConstantPlacement;
import npuc.frontend.FrontEnd;
import npuc.graph.Activation;
import npuc.graph.Graph;
import npuc.schedule.OptimizationStrategy;
import npuc.serialise.NpuConstantLayout;
import npuc.tflite.ModelBuilder;
import npuc.tflite.TfliteReader;

/** FastestFit on a network the test builds: monotone, never slower than Vela, the smallest arena, real outputs. */
class ScheduleSearchTest {
    private static final CompileOptions FASTEST_FIT = CompileOptions.defaults()
            .withStrategy(OptimizationStrategy.FastestFit);
    private static final String[] SHARED = {"ethos-u55-128", "Ethos_U55_High_End_Embedded", "Shared_Sram"};
    private static final String[] DEDICATED = {"ethos-u65-256", "Ethos_U65_High_End", "Dedicated_Sram"};

    /** A MobileNet-like stack on a 48x48 image: maps of 18 to 36 KiB, so small arenas need cascades. */
    static Graph network() {
        return ModelBuilder.int8("stack").seed(5).input(1, 48, 48, 8)
                .conv2d(16, 3, 3).activation(Activation.RELU6)
                .depthwiseConv2d(3, 3).activation(Activation.RELU6)
                .conv2d(24, 1, 1).activation(Activation.RELU6)
                .depthwiseConv2d(3, 3).stride(2, 2).activation(Activation.RELU6)
                .conv2d(32, 1, 1).activation(Activation.RELU6)
                .globalAveragePool()
                .reshape(1, -1)
                .fullyConnected(10)
                .output().build();
    }

    private static Target target(String[] t, long arena) throws Exception {
        return Targets.resolve(new TargetOptions(t[0], t[1], t[2], null, arena));
    }

    private static final long[] SIZES = {16384, 20480, 24576, 28672, 32768, 40960, 49152, 65536, 98304, 131072,
            196608, 262144};

    @Test
    void moreSramIsNeverSlowerAndNeverSlowerThanVela() throws Exception {
        Graph g = network();
        for (String[] t : List.of(SHARED, DEDICATED)) {
            SearchSpaces spaces = new SearchSpaces();
            double previous = Double.MAX_VALUE;
            boolean fitted = false;
            for (long arena : SIZES) {
                Target target = target(t, arena);
                CompileResult ours;
                try {
                    ours = Compiler.compile("stack", g, target, FASTEST_FIT, spaces);
                } catch (ArenaTooSmallException e) {
                    assertFalse(fitted, t[0] + " at " + arena + ": fitted a smaller arena, not this one");
                    continue;
                }
                fitted = true;
                double cycles = cycles(ours);
                assertTrue(cycles <= previous, t[0] + " at " + arena + ": " + cycles + " after " + previous);
                previous = cycles;
                assertTrue(sramBytes(ours) <= arena, t[0] + " at " + arena + ": uses " + sramBytes(ours));
                for (OptimizationStrategy vela : List.of(OptimizationStrategy.Performance, OptimizationStrategy.Size)) {
                    CompileResult v = Compiler.compile("stack", g, target, CompileOptions.defaults().withStrategy(vela),
                            spaces);
                    boolean velaFits = sramBytes(v) <= arena
                            && v.warnings().stream().noneMatch(w -> w.contains("Size strategy"));
                    assertTrue(!velaFits || cycles <= cycles(v), t[0] + " at " + arena + ": slower than Vela's "
                            + vela + " (" + cycles + " against " + cycles(v) + ")");
                }
                assertTrue(ours.textSummary().contains("Vela's Performance strategy at this size"), ours::textSummary);
            }
            assertTrue(fitted, t[0] + ": never fits");
        }
    }

    @Test
    void theSmallestArenaFitsAndTheKibBelowDoesNot() throws Exception {
        Graph g = network();
        SearchSpaces spaces = new SearchSpaces();
        CompileResult r = Compiler.compile("stack", g, target(SHARED, 1 << 20), FASTEST_FIT.withReportMinimumArena(true),
                spaces);
        MinimumArena m = r.minimumArena();
        assertEquals(0, m.bytes() % 1024);
        assertTrue(m.exact() <= m.bytes() && m.bytes() - m.exact() < 1024, m.toString());
        assertTrue(m.lowerBound() <= m.exact());
        assertTrue(r.textSummary().contains("Minimum arena cache size: " + m.kib() + " KiB"), r::textSummary);
        CompileResult at = Compiler.compile("stack", g, target(SHARED, m.bytes()), FASTEST_FIT, spaces);
        assertTrue(sramBytes(at) <= m.bytes());
        ArenaTooSmallException e = assertThrows(ArenaTooSmallException.class,
                () -> Compiler.compile("stack", g, target(SHARED, m.bytes() - 1024), FASTEST_FIT, spaces));
        assertTrue(e.getMessage().contains("the smallest that fits is " + m.bytes() + " bytes"), e.getMessage());
        assertTrue(e.getMessage().contains("holds fewer than " + m.lowerBound() + " bytes live at once"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void aVelaStrategyReportsTheSmallestArenaWithVelasFigures() throws Exception {
        Graph g = network();
        CompileResult perf = Compiler.compile("stack", g, target(SHARED, 262144), CompileOptions.defaults());
        CompileResult withMinimum = Compiler.compile("stack", g, target(SHARED, 262144),
                CompileOptions.defaults().withReportMinimumArena(true));
        assertEquals(perf.summary().toCsv(), withMinimum.summary().toCsv());
        assertTrue(withMinimum.minimumArena() != null && perf.minimumArena() == null);
        assertTrue(perf.search() == null);
    }

    /**
     * Every schedule the search made, at the smallest arena it fits, is allocated within it and gets its command
     * streams, as the chosen one does in a compile.
     */
    @Test
    void everyCandidateIsAllocatedAndGetsItsCommandStreams() throws Exception {
        Graph g = network();
        for (String[] t : List.of(SHARED, DEDICATED)) {
            Target big = target(t, 1 << 20);
            CandidateSpace space = CandidateSpace.of(FrontEnd.run(g, big.accelerator(), false), big,
                    FASTEST_FIT.allocationSettings(), new npuc.schedule.WeightEncodingCache());
            ScheduleSearch.run(space, 1 << 20);
            ScheduleSearch.minimumArena(space);
            List<Candidate> made = space.made();
            assertTrue(made.size() > 10, "only " + made.size() + " schedules");
            List<String> failed = new ArrayList<>();
            for (Candidate c : made) {
                Target at = target(t, Math.max(c.need().bytes(), 1024));
                ArenaAllocation arena = ArenaAllocation.of(space.frontEnd(), c.schedule(), at,
                        FASTEST_FIT.allocationSettings());
                if (arena.used(at.fastStorageArea()) > at.arenaCacheSize()) {
                    failed.add(c.policy().describe() + ": allocation " + arena.used(at.fastStorageArea()));
                }
                NpuConstantLayout constants = NpuConstantLayout.of(space.frontEnd(), c.schedule());
                List<CommandStream> streams = CommandStreamGenerator.generate(c.schedule(), at,
                        ArenaPlacement.of(arena, c.schedule(), at, ConstantPlacement.of(constants, c.schedule())));
                if (streams.isEmpty() || streams.get(0).payload().length == 0) {
                    failed.add(c.policy().describe() + ": no command stream");
                }
            }
            assertTrue(failed.isEmpty(), failed::toString);
            assertTrue(space.unschedulable().isEmpty(), space.unschedulable()::toString);
        }
    }

    @Test
    void theOptimisedModelOfTheChosenScheduleReadsBack() throws Exception {
        Graph g = network();
        CompileResult r = Compiler.compile("stack", g, target(DEDICATED, 32768), FASTEST_FIT);
        Graph back = TfliteReader.read(r.optimisedModel(g));
        assertTrue(back.subgraphs().get(0).operators().size() >= 1);
        assertTrue(r.search().fits() && r.search().chosen().fits(32768));
    }

    @Test
    void stagingLadderHasFourRungsAnOctave() {
        assertEquals(List.of(32768L, 40960L, 49152L, 57344L, 65536L), StagingLadder.between(32768, 65536));
        assertTrue(StagingLadder.isRung(393216) && StagingLadder.isRung(2097152) && !StagingLadder.isRung(300000));
        assertEquals(327680, StagingLadder.floor(361984));
        assertEquals(393216, StagingLadder.ceiling(361984));
        assertEquals(1024, StagingLadder.floor(10));
    }

    private static double cycles(CompileResult r) {
        return ((Number) r.summary().get("cycles_total")).doubleValue();
    }

    private static long sramBytes(CompileResult r) {
        return Math.round(((Number) r.summary().get("sram_memory_used")).doubleValue() * 1024);
    }
}
