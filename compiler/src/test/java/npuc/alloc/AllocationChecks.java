package npuc.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/** The reference's allocation verification as test assertions, and random live-range sets to run it on. */
final class AllocationChecks {
    private AllocationChecks() {
    }

    /**
     * No two ranges live in a common time slot share a byte, unless they share data and the address; every
     * address is a multiple of its alignment.
     */
    static void assertValid(List<LiveRange> ranges, Allocation a, String context) {
        assertEquals(ranges.size(), a.addresses().size(), context);
        for (int i = 0; i < ranges.size(); i++) {
            LiveRange r = ranges.get(i);
            assertEquals(0, a.address(i) % r.alignment(), context + ": " + r.name() + " misaligned at " + a.address(i));
            assertTrue(a.address(i) >= 0, context);
            for (int j = i + 1; j < ranges.size(); j++) {
                LiveRange o = ranges.get(j);
                if (!r.overlapsInTime(o)) {
                    continue;
                }
                boolean overlap = Math.max(a.address(i), a.address(j))
                        < Math.min(a.address(i) + r.size(), a.address(j) + o.size());
                boolean shared = r.sharingKey() != null && Objects.equals(r.sharingKey(), o.sharingKey())
                        && a.address(i) == a.address(j);
                if (overlap && !shared) {
                    fail(context + ": " + r + " at " + a.address(i) + " overlaps " + o + " at " + a.address(j));
                }
            }
        }
        assertTrue(a.size() >= a.lowerBound(), context + ": size " + a.size() + " below " + a.lowerBound());
    }

    static long highestEnd(List<LiveRange> ranges, Allocation a) {
        long end = 0;
        for (int i = 0; i < ranges.size(); i++) {
            end = Math.max(end, a.address(i) + ranges.get(i).size());
        }
        return end;
    }

    /**
     * A random set: up to maxRanges ranges over a short time axis, sizes mixing tiny, odd and aligned values,
     * alignments of 1 to 64 bytes and a few repeated names.
     */
    static List<LiveRange> randomRanges(Random rnd, int maxRanges) {
        int n = 1 + rnd.nextInt(maxRanges);
        int horizon = 1 + rnd.nextInt(40);
        int[] alignments = {1, 16, 16, 16, 32, 64};
        List<LiveRange> ranges = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int start = rnd.nextInt(horizon + 1);
            int length = rnd.nextInt(4) == 0 ? rnd.nextInt(25) : rnd.nextInt(3);
            long size = switch (rnd.nextInt(5)) {
                case 0 -> rnd.nextInt(3);
                case 1 -> 16L * (1 + rnd.nextInt(200));
                default -> 1 + rnd.nextInt(5000);
            };
            int alignment = alignments[rnd.nextInt(alignments.length)];
            String name = rnd.nextInt(3) == 0 ? "t" + rnd.nextInt(3) : "t" + i;
            ranges.add(new LiveRange(start, start + length, size, alignment, name));
        }
        return ranges;
    }
}
