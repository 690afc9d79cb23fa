package npuc.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import npuc.arch.Target;
import npuc.arch.TargetOptions;
import npuc.arch.Targets;
import npuc.frontend.FrontEnd;
import npuc.frontend.FrontEndResult;
import npuc.frontend.FrontEndResult.TensorInfo;
import npuc.perf.CostModel;
import npuc.perf.ElementAccess;

/** Live ranges and fast-storage placement on the three-convolution chain the scheduler tests build. */
class LiveRangesTest {
    private static final long MAP_8 = 64 * 64 * 8;
    private static final long MAP_32 = 64 * 64 * 32;

    private record Setup(Target target, SchedulerGraph graph, Scheduler scheduler) {
    }

    private static Setup setup(String accelerator, String system, String memory, long arena) throws Exception {
        Target target = Targets.resolve(new TargetOptions(accelerator, system, memory, null, arena));
        FrontEndResult fe = FrontEnd.run(SchedulerTest.convChain(), target.accelerator(), false);
        SchedulerGraph graph = SchedulerGraph.build(fe, fe.npuSubgraphs().get(0), target);
        Scheduler s = new Scheduler(target, new CostModel(target), new OperationWeightEncoder(target.accelerator()),
                graph, Map.of());
        return new Setup(target, graph, s);
    }

    @Test
    void operationsAloneTakeTwoSlotsAndMapsLiveFromProducerToLastReader() throws Exception {
        Setup s = setup("ethos-u55-128", "Ethos_U55_High_End_Embedded", "Shared_Sram", 4L << 20);
        MemorySnapshot snapshot = LiveRanges.of(s.graph(), s.scheduler().maxSchedule(), s.target(),
                LiveRanges.unplaced()).snapshot();
        assertArrayEquals(new int[] {0, 2, 4}, snapshot.timeIndex());
        // Input and first map, both maps between the convolutions, second map and output, then the output
        // alone where the subgraph hands it on.
        assertArrayEquals(new long[] {MAP_8 + MAP_32, MAP_8 + MAP_32, 2 * MAP_32, 2 * MAP_32, MAP_32 + MAP_8,
                MAP_32 + MAP_8, MAP_8, MAP_8}, snapshot.usage());
    }

    @Test
    void weightBuffersLiveForTheirOperationOnlyUnlessFilledUnderThePreviousOne() throws Exception {
        Setup s = setup("ethos-u55-128", "Ethos_U55_High_End_Embedded", "Shared_Sram", 4L << 20);
        Schedule max = s.scheduler().maxSchedule();
        List<OpSchedule> ops = new ArrayList<>(max.ops());
        OpSchedule c = ops.get(1);
        // Three slices alternate buffers 0, 1, 0... so with [0, 16, 32] the last slice uses buffer 1 and buffer
        // 0 is free once the operation starts; pre-buffering moves buffer 0 one slot earlier.
        ops.set(1, new OpSchedule(c.blockConfig(), c.stripeInput(), c.stripeInput2(), c.stripe(), 0,
                List.of(0, 16, 32), c.weights(), List.of(1024L, 2048L), true, true, c.cycles(), 0, 0, 0));
        long[] usage = LiveRanges.of(s.graph(), Schedule.of("BUFFERED", ops), s.target(), LiveRanges.unplaced())
                .snapshot().usage();
        long[] plain = LiveRanges.of(s.graph(), max, s.target(), LiveRanges.unplaced()).snapshot().usage();
        assertEquals(plain[0], usage[0]);
        assertEquals(plain[1] + 1024, usage[1]);
        assertEquals(plain[2] + 1024 + 2048, usage[2]);
        assertEquals(plain[3] + 2048, usage[3]);
        assertEquals(plain[4], usage[4]);
    }

    @Test
    void ofTwoCompetingMapsFastStorageKeepsTheOneAccessedMore() throws Exception {
        // Dedicated SRAM of 200 KiB: either 128 KiB map fits, both do not, and they overlap at the middle
        // convolution.
        Setup s = setup("ethos-u65-256", "Ethos_U65_High_End", "Dedicated_Sram", 200 * 1024);
        Schedule max = s.scheduler().maxSchedule();
        FastStoragePlacement.Placement p = FastStoragePlacement.place(s.graph(), max, s.scheduler(), s.target(),
                200 * 1024, LiveRanges.unplaced());
        List<SchedulerOperation> ops = s.graph().ops();
        TensorInfo first = ops.get(0).ofm().tensor();
        TensorInfo second = ops.get(1).ofm().tensor();
        long firstAccess = access(s, ops.get(0)).ofmWrite() + access(s, ops.get(1)).ifmRead();
        long secondAccess = access(s, ops.get(1)).ofmWrite() + access(s, ops.get(2)).ifmRead();
        TensorInfo kept = firstAccess >= secondAccess ? first : second;
        assertEquals(1, p.moved().size());
        assertTrue(p.moved().contains(kept), "kept the map with more element accesses");
        assertEquals(1, p.evicted().size());
        assertFalse(p.evicted().get(0).tensors().contains(kept));
    }

    private static ElementAccess access(Setup s, SchedulerOperation op) {
        return s.scheduler().elementAccess(op, s.scheduler().maxSchedule().get(op).blockConfig(),
                op.ofm().shape().depth());
    }
}
