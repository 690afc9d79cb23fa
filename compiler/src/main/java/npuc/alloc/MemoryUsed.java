package npuc.alloc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import npuc.arch.MemoryArea;

/**
 * Bytes each memory area holds, as Vela's {@code *_memory_used} columns and "Total ... used" lines count them: the
 * arena allocations, and in the permanent-storage area the constants the CPU hands the NPU (each NPU subgraph's
 * command stream and the flash tensor), placed one after another at the CPU's alignment. An area no allocation
 * placed anything in is absent.
 */
public record MemoryUsed(Map<MemoryArea, Long> bytes) {
    public MemoryUsed {
        bytes = Collections.unmodifiableMap(new EnumMap<>(bytes));
    }

    /**
     * @param cpuConstants sizes of the command streams and the flash tensor (nothing without NPU subgraphs)
     */
    public static MemoryUsed of(ArenaAllocation arena, MemoryArea permanentArea, List<Long> cpuConstants,
            int cpuAlignment) {
        Map<MemoryArea, Long> bytes = new EnumMap<>(MemoryArea.class);
        for (ArenaAllocation.Region r : arena.regions()) {
            if (!r.ranges().ranges().isEmpty()) {
                bytes.merge(r.scope().area(), r.size(), Long::sum);
            }
        }
        if (!cpuConstants.isEmpty()) {
            List<LiveRange> ranges = new ArrayList<>();
            for (int i = 0; i < cpuConstants.size(); i++) {
                ranges.add(new LiveRange(0, 1, cpuConstants.get(i), cpuAlignment, "constant " + i));
            }
            long size = TensorAllocator.LinearAlloc.allocate(ranges, Long.MAX_VALUE, 0, cpuAlignment).size();
            bytes.merge(permanentArea, size, Long::sum);
        }
        return new MemoryUsed(bytes);
    }

    public long of(MemoryArea area) {
        return bytes.getOrDefault(area, 0L);
    }
}
