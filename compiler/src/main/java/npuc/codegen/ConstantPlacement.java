package npuc.codegen;

import java.util.IdentityHashMap;
import java.util.Map;

import npuc.frontend.FrontEndResult.TensorInfo;
import npuc.schedule.NetworkSchedule;
import npuc.schedule.ScheduledOp;
import npuc.schedule.ScheduledSubgraph;
import npuc.schedule.SchedulerOperation;
import npuc.serialise.NpuConstantLayout;
import npuc.weights.EncodedWeights;

/**
 * Addresses in the model's constant data, as the NPU-constant layout placed it: each operation's encoded weights,
 * its lookup table and constant feature maps. Feature maps in the arena and weight buffers are the arena
 * allocation's ({@link ArenaPlacement}).
 */
public final class ConstantPlacement implements MemoryPlacement {
    private final NpuConstantLayout layout;
    private final Map<SchedulerOperation, EncodedWeights> weights = new IdentityHashMap<>();

    private ConstantPlacement(NpuConstantLayout layout) {
        this.layout = layout;
    }

    public static ConstantPlacement of(NpuConstantLayout layout, NetworkSchedule schedule) {
        ConstantPlacement p = new ConstantPlacement(layout);
        for (ScheduledSubgraph sg : schedule.subgraphs()) {
            for (ScheduledOp op : sg.ops()) {
                if (op.schedule().weights() != null) {
                    p.weights.put(op.op(), op.schedule().weights());
                }
            }
        }
        return p;
    }

    @Override
    public Address featureMap(TensorInfo tensor) {
        return new Address(Address.PERMANENT, layout.offsetOf(tensor));
    }

    @Override
    public Address weights(SchedulerOperation op) {
        EncodedWeights w = weights.get(op);
        if (w == null) {
            throw new IllegalArgumentException(op.name() + " has no encoded weights in the schedule");
        }
        return new Address(Address.PERMANENT, layout.offsetOf(w));
    }

    @Override
    public Address lookupTable(SchedulerOperation op) {
        return new Address(Address.PERMANENT, layout.lookupTableOffset(op.pass()));
    }

    @Override
    public Address weightBuffer(SchedulerOperation op, int index) {
        throw new IllegalArgumentException("weight buffers of " + op.name() + " are in the arena, not the constant data");
    }
}
