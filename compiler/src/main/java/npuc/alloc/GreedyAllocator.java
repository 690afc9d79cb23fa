package npuc.alloc;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Vela's greedy allocator: ranges in order of start time (longest first among equal starts); before each one, the
 * ranges that ended earlier are freed, and the new one goes into the tightest gap between live allocations that
 * holds its aligned size, or on top of them.
 */
final class GreedyAllocator {
    private GreedyAllocator() {
    }

    /** The reference's live-range order (start, end, size, name); input position decides exact duplicates. */
    private static Comparator<Integer> rangeOrder(List<LiveRange> ranges) {
        return Comparator.<Integer>comparingInt(i -> ranges.get(i).start())
                .thenComparingInt(i -> ranges.get(i).end())
                .thenComparingLong(i -> ranges.get(i).size())
                .thenComparing(i -> ranges.get(i).name())
                .thenComparingInt(i -> i);
    }

    private record Placed(long address, int range) {
    }

    static Allocation allocate(List<LiveRange> ranges) {
        Comparator<Integer> byRange = rangeOrder(ranges);
        List<Integer> order = IntStream.range(0, ranges.size()).boxed()
                .sorted(Comparator.<Integer>comparingInt(i -> ranges.get(i).start())
                        .thenComparingInt(i -> -ranges.get(i).end())
                        .thenComparing(byRange))
                .toList();
        // Live allocations by address; equal addresses (empty ranges) fall back to the range order.
        Comparator<Placed> byAddress = Comparator.comparingLong(Placed::address)
                .thenComparing(Placed::range, byRange);
        List<Placed> live = new ArrayList<>();
        long[] addresses = new long[ranges.size()];
        long required = 0;
        for (int index : order) {
            LiveRange r = ranges.get(index);
            live.removeIf(p -> ranges.get(p.range()).end() < r.start());
            long top = 0;
            for (Placed p : live) {
                top = Math.max(top, p.address() + ranges.get(p.range()).size());
            }
            long best = Allocation.roundUp(top, r.alignment());
            long bestFit = Long.MAX_VALUE;
            long alignedSize = Allocation.roundUp(r.size(), r.alignment());
            long offset = 0;
            for (Placed p : live) {
                long aligned = Allocation.roundUp(offset, r.alignment());
                if (aligned + alignedSize <= p.address() && p.address() - aligned < bestFit) {
                    best = aligned;
                    bestFit = p.address() - aligned;
                }
                offset = p.address() + ranges.get(p.range()).size();
            }
            addresses[index] = best;
            required = Math.max(required, best + alignedSize);
            live.add(new Placed(best, index));
            live.sort(byAddress);
        }
        return Allocation.of(addresses, required, Allocation.lowerBound(ranges), List.of());
    }
}
