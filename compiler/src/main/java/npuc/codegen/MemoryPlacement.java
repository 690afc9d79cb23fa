package npuc.codegen;

import npuc.frontend.FrontEndResult.TensorInfo;
import npuc.schedule.SchedulerOperation;

/**
 * Where tensor allocation put what the command stream addresses: every feature map an operation reads or
 * writes, the encoded weights of every operation with weights, and its fast-storage weight buffers.
 */
public interface MemoryPlacement {
    /** The first byte of a feature map (for a constant feature map, its copy in the constant data). */
    Address featureMap(TensorInfo tensor);

    /** The first byte of {@code op}'s encoded weights (bias/scale records and weight streams) where they are stored. */
    Address weights(SchedulerOperation op);

    /** The first byte of {@code op}'s activation lookup table in the constant data. */
    Address lookupTable(SchedulerOperation op);

    /** The first byte of {@code op}'s fast-storage weight buffer {@code index} (0, or 0 and 1 when double buffered). */
    Address weightBuffer(SchedulerOperation op, int index);
}
