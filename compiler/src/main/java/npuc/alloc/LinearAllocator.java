package npuc.alloc;

import java.util.List;
import java.util.Objects;

/**
 * Vela's allocator for constant data: addresses increase in input order regardless of time, each new address
 * advancing by the range's size rounded up to the granularity; a range whose sharing key equals an earlier one's
 * takes that range's address and advances nothing.
 */
final class LinearAllocator {
    /** The granularity Vela rounds with unless told otherwise (its CPU tensor alignment, 16 bytes). */
    static final int DEFAULT_GRANULARITY = 16;

    private LinearAllocator() {
    }

    static Allocation allocate(List<LiveRange> ranges, int granularity) {
        if (granularity < 1) {
            throw new IllegalArgumentException("allocation granularity must be positive: " + granularity);
        }
        long[] addresses = new long[ranges.size()];
        long total = 0;
        for (int i = 0; i < ranges.size(); i++) {
            LiveRange r = ranges.get(i);
            long addr = total;
            int shared = firstSharing(ranges, i);
            if (shared >= 0) {
                addr = addresses[shared];
            }
            addresses[i] = addr;
            // A shared address equal to the running total (an empty first range) still advances it, as in the
            // reference, which compares addresses rather than asking whether the data was shared.
            if (addr == total) {
                total += Allocation.roundUp(r.size(), granularity);
            }
        }
        return Allocation.of(addresses, total, lowerBound(ranges), List.of());
    }

    /** The earliest range before i with i's sharing key, or -1. */
    private static int firstSharing(List<LiveRange> ranges, int i) {
        Object key = ranges.get(i).sharingKey();
        if (key == null) {
            return -1;
        }
        for (int j = 0; j < i; j++) {
            if (Objects.equals(ranges.get(j).sharingKey(), key)) {
                return j;
            }
        }
        return -1;
    }

    /**
     * The most bytes live in one slot when ranges that share data count once: a group of sharing ranges occupies
     * the largest of its sizes wherever any of its members is live.
     */
    private static long lowerBound(List<LiveRange> ranges) {
        int slots = 0;
        for (LiveRange r : ranges) {
            slots = Math.max(slots, r.end() + 1);
        }
        long[] usage = new long[slots];
        boolean[] counted = new boolean[ranges.size()];
        for (int i = 0; i < ranges.size(); i++) {
            if (counted[i]) {
                continue;
            }
            boolean[] live = new boolean[slots];
            long groupSize = 0;
            Object key = ranges.get(i).sharingKey();
            for (int j = i; j < ranges.size(); j++) {
                LiveRange r = ranges.get(j);
                if (j == i || (key != null && Objects.equals(r.sharingKey(), key))) {
                    counted[j] = true;
                    groupSize = Math.max(groupSize, r.size());
                    for (int t = r.start(); t <= r.end(); t++) {
                        live[t] = true;
                    }
                }
            }
            for (int t = 0; t < slots; t++) {
                if (live[t]) {
                    usage[t] += groupSize;
                }
            }
        }
        long max = 0;
        for (long u : usage) {
            max = Math.max(max, u);
        }
        return max;
    }
}
