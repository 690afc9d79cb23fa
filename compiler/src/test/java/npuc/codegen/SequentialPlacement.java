package npuc.codegen;

import java.util.IdentityHashMap;
import java.util.Map;

import npuc.frontend.FrontEndResult.TensorInfo;
import npuc.schedule.SchedulerOperation;

/** Every feature map, weight stream, weight buffer and table at its own 16-byte aligned offset, in order of request. */
final class SequentialPlacement implements MemoryPlacement {
    private static final long SPACING = 1 << 20;
    private final Map<Object, Address> placed = new IdentityHashMap<>();
    private long nextArena;
    private long nextConstant;

    private Address place(Object key, int region) {
        return placed.computeIfAbsent(key, k -> {
            if (region == Address.PERMANENT) {
                nextConstant += SPACING;
                return new Address(region, nextConstant - SPACING);
            }
            nextArena += SPACING;
            return new Address(region, nextArena - SPACING);
        });
    }

    @Override
    public Address featureMap(TensorInfo tensor) {
        return place(tensor, tensor.values() != null ? Address.PERMANENT : Address.SCRATCH);
    }

    @Override
    public Address weights(SchedulerOperation op) {
        return place(op, Address.PERMANENT);
    }

    @Override
    public Address lookupTable(SchedulerOperation op) {
        return place(op.primary(), Address.PERMANENT);
    }

    @Override
    public Address weightBuffer(SchedulerOperation op, int index) {
        return place(op.name() + "#" + index, Address.SCRATCH);
    }
}
