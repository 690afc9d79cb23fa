package npuc.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import npuc.CompileOptions;
import npuc.CompileResult;
import npuc.Compiler;
import npuc.alloc.ArenaAllocation.Region;
import npuc.arch.MemoryArea;
import npuc.arch.Target;
import npuc.arch.TargetOptions;
import npuc.arch.Targets;
import npuc.graph.Graph;
import npuc.schedule.LiveRanges;
import npuc.tflite.ModelBuilder;

/** The arena allocation of built networks, with each allocator and alignment. */
class ArenaAllocationTest {
    private static final Graph KWS = ModelBuilder.keywordSpotting().build();
    private static final Graph BLOCK = ModelBuilder.mobileNetBlock().build();

    private static CompileResult compile(Graph model, String accelerator, String system, String mode,
            CompileOptions options) throws Exception {
        Target target = Targets.resolve(TargetOptions.of(accelerator, system, mode));
        return Compiler.compile("net", model, target, options);
    }

    private static CompileOptions with(TensorAllocator allocator, int alignment) {
        CompileOptions d = CompileOptions.defaults();
        return new CompileOptions(d.strategy(), allocator, d.maxBlockDependency(), alignment, d.recursionLimit(),
                d.hillclimbMaxIterations(), false, false, false, true);
    }

    @Test
    void everyAllocatorPlacesBuffersLiveAtOnceApartAndReachesAtLeastTheLowerBound() throws Exception {
        for (Graph model : List.of(KWS, BLOCK)) {
            for (TensorAllocator allocator : TensorAllocator.values()) {
                CompileResult r = compile(model, "ethos-u65-256", "Ethos_U65_High_End", "Dedicated_Sram",
                        with(allocator, 16));
                for (Region region : r.arena().regions()) {
                    List<LiveRanges.Range> ranges = region.ranges().ranges();
                    assertTrue(region.size() >= region.lowerBound(), allocator + " " + region.scope());
                    for (int i = 0; i < ranges.size(); i++) {
                        for (int k = i + 1; k < ranges.size(); k++) {
                            LiveRanges.Range a = ranges.get(i);
                            LiveRanges.Range b = ranges.get(k);
                            boolean together = a.start() <= b.end() && b.start() <= a.end();
                            long a0 = region.allocation().address(i);
                            long b0 = region.allocation().address(k);
                            boolean apart = a0 + a.size() <= b0 || b0 + b.size() <= a0;
                            assertTrue(!together || apart || a.size() == 0 || b.size() == 0,
                                    allocator + ": " + a.name() + " and " + b.name() + " overlap");
                        }
                    }
                }
            }
        }
    }

    @Test
    void hillClimbReachesTheLowerBoundOnTheBuiltNetworksAndTheSummaryCountsIt() throws Exception {
        for (Graph model : List.of(KWS, BLOCK)) {
            CompileResult r = compile(model, "ethos-u55-128", "Ethos_U55_High_End_Embedded", "Shared_Sram",
                    CompileOptions.defaults());
            Region arena = r.arena().regions().get(0);
            assertEquals(MemoryArea.SRAM, arena.scope().area());
            assertEquals(arena.lowerBound(), arena.size());
            assertEquals(arena.size() / 1024.0, ((Number) r.summary().get("sram_memory_used")).doubleValue());
        }
    }

    @Test
    void cpuAlignmentAppliesToWhatTheCpuSees() throws Exception {
        CompileResult r = compile(KWS, "ethos-u55-128", "Ethos_U55_High_End_Embedded", "Shared_Sram",
                with(TensorAllocator.HillClimb, 256));
        Region arena = r.arena().regions().get(0);
        for (int i = 0; i < arena.ranges().ranges().size(); i++) {
            LiveRanges.Range range = arena.ranges().ranges().get(i);
            assertEquals(0, arena.allocation().address(i) % range.alignment(), range.name());
        }
        // The network's input and output are CPU tensors: aligned to 256.
        assertTrue(arena.ranges().ranges().stream().anyMatch(x -> x.alignment() == 256));
        // Flash holds the command stream then the flash tensor, each rounded up to the alignment.
        double flash = ((Number) r.summary().get("off_chip_flash_memory_used")).doubleValue() * 1024;
        assertEquals(0, flash % 256, String.valueOf(flash));
    }

    @Test
    void theAllocationListingGivesTheLowerBoundBesideTheSizeReached() throws Exception {
        CompileResult r = compile(BLOCK, "ethos-u65-256", "Ethos_U65_High_End", "Dedicated_Sram",
                with(TensorAllocator.Greedy, 16));
        String text = r.textSummary();
        assertTrue(text.contains("Tensor Allocation for mem_area Sram, of mem_type_set (Scratch_fast), using "
                + "allocator Greedy, in"), text);
        assertTrue(text.contains("Tensor Allocation for mem_area Dram, of mem_type_set (Scratch)"), text);
        for (Region region : r.arena().regions()) {
            assertTrue(text.contains(String.format("Allocation Peak Tensor Size:  %9d", region.lowerBound())), text);
            assertTrue(text.contains(String.format("Allocation Peak Memory Usage: %9d", region.size())), text);
        }
    }
}
