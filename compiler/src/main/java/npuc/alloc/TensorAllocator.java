package npuc.alloc;

import java.util.List;

/** Vela's --tensor-allocator choice; the names are the ones Vela accepts on its command line. */
public enum TensorAllocator {
    LinearAlloc, Greedy, HillClimb;

    /** Addresses for the ranges with the reference's defaults (99999 hill-climb iterations, 16-byte granularity). */
    public Allocation allocate(List<LiveRange> ranges, long memoryLimit) {
        return allocate(ranges, memoryLimit, HillClimbAllocator.DEFAULT_MAX_ITERATIONS,
                LinearAllocator.DEFAULT_GRANULARITY);
    }

    /**
     * Addresses for the ranges, indexed like them.
     *
     * @param memoryLimit            the size the hill climb tries to get under (it only steers the search; the
     *                               other allocators ignore it)
     * @param hillClimbMaxIterations Vela's --hillclimb-max-iterations: how long the hill climb searches while
     *                               above the limit
     * @param linearGranularity      the rounding of each new linear address (Vela's CPU tensor alignment)
     */
    public Allocation allocate(List<LiveRange> ranges, long memoryLimit, int hillClimbMaxIterations,
            int linearGranularity) {
        return switch (this) {
            case HillClimb -> HillClimbAllocator.allocate(ranges, memoryLimit, hillClimbMaxIterations);
            case Greedy -> GreedyAllocator.allocate(ranges);
            case LinearAlloc -> LinearAllocator.allocate(ranges, linearGranularity);
        };
    }
}
