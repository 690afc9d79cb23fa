package npuc;

import npuc.alloc.TensorAllocator;
import npuc.arch.Target;
import npuc.schedule.OptimizationStrategy;

/**
 * Compiler options that are not part of the target, with Vela 3.10's command-line defaults.
 *
 * @param cpuTensorAlignment byte alignment of tensors the CPU sees, including the NPU operator's
 *                           inputs and outputs
 * @param maxBlockDependency largest block dependency between NPU kernel operations (0 to 3)
 * @param showCpuOperations  list every CPU and NPU operator under the operator counts, as Vela's
 *                           {@code --show-cpu-operations} does
 * @param verboseAllocation  list the arena allocations with their lower bounds, as Vela's
 *                           {@code --verbose-allocation} does
 * @param reportMinimumArena find the smallest arena cache size the FastestFit search fits, whatever the strategy
 */
public record CompileOptions(OptimizationStrategy strategy, TensorAllocator tensorAllocator, int maxBlockDependency,
                             int cpuTensorAlignment, int recursionLimit, int hillclimbMaxIterations,
                             boolean forceSymmetricIntWeights, boolean verbosePerformance,
                             boolean showCpuOperations, boolean verboseAllocation, boolean reportMinimumArena) {

    /** Options without the minimum arena. */
    public CompileOptions(OptimizationStrategy strategy, TensorAllocator tensorAllocator, int maxBlockDependency,
                          int cpuTensorAlignment, int recursionLimit, int hillclimbMaxIterations,
                          boolean forceSymmetricIntWeights, boolean verbosePerformance, boolean showCpuOperations,
                          boolean verboseAllocation) {
        this(strategy, tensorAllocator, maxBlockDependency, cpuTensorAlignment, recursionLimit, hillclimbMaxIterations,
                forceSymmetricIntWeights, verbosePerformance, showCpuOperations, verboseAllocation, false);
    }

    /** Options without the allocation listing. */
    public CompileOptions(OptimizationStrategy strategy, TensorAllocator tensorAllocator, int maxBlockDependency,
                          int cpuTensorAlignment, int recursionLimit, int hillclimbMaxIterations,
                          boolean forceSymmetricIntWeights, boolean verbosePerformance, boolean showCpuOperations) {
        this(strategy, tensorAllocator, maxBlockDependency, cpuTensorAlignment, recursionLimit, hillclimbMaxIterations,
                forceSymmetricIntWeights, verbosePerformance, showCpuOperations, false);
    }

    /** The most the hardware allows; the default, as in Vela. */
    public static final int MAX_BLOCK_DEPENDENCY = Target.MAX_BLOCK_DEPENDENCY;

    public CompileOptions {
        // Messages name Vela's options: the CLI and job messages set these by those names.
        if (maxBlockDependency < 0 || maxBlockDependency > MAX_BLOCK_DEPENDENCY) {
            throw new IllegalArgumentException("--max-block-dependency " + maxBlockDependency + ": choose 0 to "
                    + MAX_BLOCK_DEPENDENCY);
        }
        if (cpuTensorAlignment < 16 || Integer.bitCount(cpuTensorAlignment) != 1) {
            throw new IllegalArgumentException("--cpu-tensor-alignment " + cpuTensorAlignment
                    + ": must be a power of 2 of at least 16");
        }
        if (hillclimbMaxIterations < 0) {
            throw new IllegalArgumentException("--hillclimb-max-iterations must not be negative");
        }
    }

    public static CompileOptions defaults() {
        return new CompileOptions(OptimizationStrategy.Performance, TensorAllocator.HillClimb, MAX_BLOCK_DEPENDENCY,
                16, 4000, 99999, false, false, false);
    }

    /** These options with another strategy. */
    public CompileOptions withStrategy(OptimizationStrategy other) {
        return new CompileOptions(other, tensorAllocator, maxBlockDependency, cpuTensorAlignment, recursionLimit,
                hillclimbMaxIterations, forceSymmetricIntWeights, verbosePerformance, showCpuOperations,
                verboseAllocation, reportMinimumArena);
    }

    /** These options with or without the allocation listing. */
    public CompileOptions withVerboseAllocation(boolean on) {
        return new CompileOptions(strategy, tensorAllocator, maxBlockDependency, cpuTensorAlignment, recursionLimit,
                hillclimbMaxIterations, forceSymmetricIntWeights, verbosePerformance, showCpuOperations, on,
                reportMinimumArena);
    }

    /** These options with or without the search for the smallest arena that fits. */
    public CompileOptions withReportMinimumArena(boolean on) {
        return new CompileOptions(strategy, tensorAllocator, maxBlockDependency, cpuTensorAlignment, recursionLimit,
                hillclimbMaxIterations, forceSymmetricIntWeights, verbosePerformance, showCpuOperations,
                verboseAllocation, on);
    }

    /** How the arena allocator runs with these options. */
    public npuc.alloc.ArenaAllocation.Settings allocationSettings() {
        return new npuc.alloc.ArenaAllocation.Settings(tensorAllocator, cpuTensorAlignment, hillclimbMaxIterations);
    }
}
