package npuc;

import npuc.alloc.TensorAllocator;
import npuc.schedule.OptimizationStrategy;

/**
 * Compiler options that are not part of the target, with Vela 3.10's command-line defaults.
 *
 * @param cpuTensorAlignment byte alignment of tensors the CPU sees, including the NPU operator's
 *                           inputs and outputs
 * @param maxBlockDependency largest block dependency between NPU kernel operations (0 to 3)
 * @param showCpuOperations  list every CPU and NPU operator under the operator counts, as Vela's
 *                           {@code --show-cpu-operations} does
 */
public record CompileOptions(OptimizationStrategy strategy, TensorAllocator tensorAllocator, int maxBlockDependency,
                             int cpuTensorAlignment, int recursionLimit, int hillclimbMaxIterations,
                             boolean forceSymmetricIntWeights, boolean verbosePerformance,
                             boolean showCpuOperations) {

    public static final int MAX_BLOCK_DEPENDENCY = 3;

    public CompileOptions {
        if (maxBlockDependency < 0 || maxBlockDependency > MAX_BLOCK_DEPENDENCY) {
            throw new IllegalArgumentException("max block dependency must be 0 to " + MAX_BLOCK_DEPENDENCY
                    + ", not " + maxBlockDependency);
        }
        if (cpuTensorAlignment < 16 || Integer.bitCount(cpuTensorAlignment) != 1) {
            throw new IllegalArgumentException("CPU tensor alignment must be a power of 2 of at least 16 bytes, not "
                    + cpuTensorAlignment);
        }
    }

    /** Options without the operator listing. */
    public CompileOptions(OptimizationStrategy strategy, TensorAllocator tensorAllocator, int maxBlockDependency,
                          int cpuTensorAlignment, int recursionLimit, int hillclimbMaxIterations,
                          boolean forceSymmetricIntWeights, boolean verbosePerformance) {
        this(strategy, tensorAllocator, maxBlockDependency, cpuTensorAlignment, recursionLimit, hillclimbMaxIterations,
                forceSymmetricIntWeights, verbosePerformance, false);
    }

    public static CompileOptions defaults() {
        return new CompileOptions(OptimizationStrategy.Performance, TensorAllocator.HillClimb, MAX_BLOCK_DEPENDENCY,
                16, 4000, 99999, false, false, false);
    }
}
