package npuc.schedule;

import npuc.frontend.FrontEndResult.Kernel;
import npuc.frontend.FrontEndResult.OperationInfo;
import npuc.frontend.FrontEndResult.PassInfo;
import npuc.frontend.NpuBlockType;
import npuc.frontend.OpType;
import npuc.frontend.Shape4;
import npuc.perf.Resampling;

/**
 * One NPU pass as the scheduler sees it: its primary operation, its operands (IFM and IFM2 swapped when a
 * constant or scalar first operand would stop cascading), what must be held whole in memory, and the shapes
 * the operation actually reads and writes. Immutable.
 *
 * @param index          position in the subgraph's schedule order
 * @param ifm2           null without a second IFM
 * @param ifmReadShape   the part of the IFM read (a slice for split reads), else the whole IFM
 * @param ofmWriteShape  the part of the OFM written (a concat slice), else the whole OFM
 * @param requiresFullIfm the IFM must be whole in memory (a subgraph input or a linear-format tensor)
 * @param requiresFullOfm the OFM must be whole (a subgraph output, linear layout, concat write, several readers)
 * @param ofmConsumers   operations of this subgraph reading the OFM, in order (no entry for readers outside)
 */
public record SchedulerOperation(int index, String name, OpType type, NpuBlockType blockType, PassInfo pass,
                                 OperationInfo primary, SchedulerTensor ifm, SchedulerTensor ifm2,
                                 SchedulerTensor ofm, Shape4 ifmReadShape, Shape4 ifm2ReadShape, Shape4 ofmWriteShape,
                                 Kernel kernel, Resampling resampling, boolean usesScalar, boolean reversedOperands,
                                 boolean requiresFullIfm, boolean requiresFullIfm2, boolean requiresFullOfm,
                                 boolean usesLut, boolean scaled, boolean ifmIsConstant, boolean ifm2IsConstant) {

    public boolean hasWeights() {
        return primary.weights() != null;
    }

    public boolean hasBias() {
        return primary.bias() != null;
    }

    public OpType activation() {
        return primary.activation() == null ? null : primary.activation().type();
    }
}
