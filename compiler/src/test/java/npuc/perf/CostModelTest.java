package npuc.perf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import npuc.arch.MemoryArea;
import npuc.arch.Target;
import npuc.arch.TargetOptions;
import npuc.arch.Targets;
import npuc.frontend.FrontEndResult.Kernel;
import npuc.frontend.NpuBlockType;
import npuc.frontend.OpType;
import npuc.frontend.Shape4;
import npuc.frontend.TensorFormat;

/**
 * The block search and cycle model on a 16-bit 4x3 convolution with stride 2 across (IFM 3x12x64, OFM 1x5x64),
 * the worked example of the scheduler notes, whose figures were traced through the reference implementation.
 */
class CostModelTest {
    private static final Kernel KERNEL = new Kernel(4, 3, 2, 1, 1, 1);
    private static final Shape4 IFM = new Shape4(1, 3, 12, 64);
    private static final Shape4 OFM = new Shape4(1, 1, 5, 64);

    private static Target u55() throws Exception {
        return Targets.resolve(TargetOptions.of("ethos-u55-128", "Ethos_U55_High_End_Embedded", "Shared_Sram"));
    }

    private static BlockConfig config(Target t) {
        return BlockConfigSearch.find(t.accelerator(), new BlockConfigQuery(NpuBlockType.CONVOLUTION_MXN, OFM, IFM,
                null, false, 16, KERNEL, false, true, Resampling.NONE));
    }

    private static PerformanceQuery query(BlockConfig c) {
        return new PerformanceQuery(NpuBlockType.CONVOLUTION_MXN, OpType.Conv2DBias, null,
                new FeatureMapAccess(IFM, MemoryArea.SRAM, 16, TensorFormat.NHWC), null,
                new FeatureMapAccess(OFM, MemoryArea.SRAM, 16, TensorFormat.NHWC), 64, MemoryArea.SRAM, KERNEL, c);
    }

    @Test
    void blockConfigOfA16BitConvolution() throws Exception {
        BlockConfig c = config(u55());
        assertArrayEquals(new int[] {1, 6, 16, 64}, c.oldStyle());
        assertEquals(new Shape4(1, 3, 14, 16), c.ifmBlock());
        assertTrue(c.accumulator40(), "16-bit scaled convolutions accumulate in 40 bits");
        assertFalse(c.partKernel(), "64 IFM channels fill the depth-first traversal");
        assertEquals(new ShramLayout(2, 6, 6, 10, 22), c.layout());
    }

    @Test
    void cyclesAtFullAndPartialDepth() throws Exception {
        Target t = u55();
        CostModel m = new CostModel(t);
        PerformanceQuery q = query(config(t));
        CycleCost full = m.cycleCost(q);
        assertEquals(15464, full.cycles());
        assertEquals(12L * 64 * 5 * 64, full.macs());
        assertEquals(11606, m.cycleCost(q.withOfmDepth(48)).cycles());
    }

    @Test
    void dmaCyclesFromFlashIntoSram() throws Exception {
        CostModel m = new CostModel(u55());
        // 1 byte per cycle from off-chip flash plus its 64-cycle read latency; SRAM takes 8 bytes per cycle.
        assertEquals(52336, m.mem2memCycles(MemoryArea.OFF_CHIP_FLASH, MemoryArea.SRAM, 52272));
        assertEquals(13136, m.mem2memCycles(MemoryArea.OFF_CHIP_FLASH, MemoryArea.SRAM, 13072));
    }

    @Test
    void elementAccessOfTheConvolution() throws Exception {
        Target t = u55();
        ElementAccess a = new CostModel(t).elementAccess(query(config(t)));
        assertEquals(3 * 12 * 64, a.ifmRead());
        assertEquals(5 * 64, a.ofmWrite());
        assertEquals(12 * 64 * 64, a.weightRead());
        assertEquals(64, a.scaleRead());
    }
}
