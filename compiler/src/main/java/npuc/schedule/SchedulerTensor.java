package npuc.schedule;

import npuc.arch.MemoryArea;
import npuc.frontend.FrontEndResult.TensorInfo;
import npuc.frontend.Shape4;
import npuc.frontend.TensorFormat;
import npuc.graph.DataType;

/**
 * One operand of a scheduled operation: the 4-D shape the operation sees, the tensor behind it, where it lives
 * before any fast-storage placement, and the layout the scheduler chose for it.
 *
 * @param id the tensor's number in its {@link SchedulerGraph}, from 0: operands of one tensor share it, and
 *           the scheduler's per-tensor facts are arrays indexed by it
 */
public record SchedulerTensor(int id, Shape4 shape, TensorInfo tensor, DataType type, MemoryArea area,
                              TensorFormat format) {
    public int bits() {
        return type.bits();
    }

    /** Bytes of the whole operand in its layout, 16-byte aligned (Vela's size for memory estimates). */
    public long sizeInBytes() {
        Shape4 s = format == TensorFormat.NHCWB16 ? shape.withDepth((shape.depth() + 15) / 16 * 16) : shape;
        return (s.elements() * type.bytes() + 15) / 16 * 16;
    }

    public SchedulerTensor withArea(MemoryArea a) {
        return new SchedulerTensor(id, shape, tensor, type, a, format);
    }
}
