package npuc.alloc;

import java.util.List;

/**
 * Addresses chosen for a list of live ranges, indexed like that list.
 *
 * @param addresses  start address of each range
 * @param size       memory the allocation occupies, as the allocator that made it counts it (the hill climb counts
 *                   the highest range end; the greedy allocator counts ends with sizes rounded up to the alignment;
 *                   the linear allocator counts every new address's size rounded up to its granularity)
 * @param lowerBound the most bytes live in any one time slot: no allocation can be smaller
 * @param warnings   conditions the reference reports while allocating
 */
public record Allocation(List<Long> addresses, long size, long lowerBound, List<AllocationWarning> warnings) {
    public Allocation {
        addresses = List.copyOf(addresses);
        warnings = List.copyOf(warnings);
    }

    public long address(int index) {
        return addresses.get(index);
    }

    static Allocation of(long[] addresses, long size, long lowerBound, List<AllocationWarning> warnings) {
        Long[] boxed = new Long[addresses.length];
        for (int i = 0; i < addresses.length; i++) {
            boxed[i] = addresses[i];
        }
        return new Allocation(List.of(boxed), size, lowerBound, warnings);
    }

    /** The most bytes live in one time slot. */
    static long lowerBound(List<LiveRange> ranges) {
        int slots = 0;
        for (LiveRange r : ranges) {
            slots = Math.max(slots, r.end() + 1);
        }
        long[] usage = new long[slots];
        for (LiveRange r : ranges) {
            for (int t = r.start(); t <= r.end(); t++) {
                usage[t] += r.size();
            }
        }
        long max = 0;
        for (long u : usage) {
            max = Math.max(max, u);
        }
        return max;
    }

    static long roundUp(long value, long multiple) {
        return (value + multiple - 1) / multiple * multiple;
    }
}
