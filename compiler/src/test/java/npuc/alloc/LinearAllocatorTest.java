package npuc.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class LinearAllocatorTest {
    @Test
    void addressesIncreaseInInputOrderAndSharedDataReusesTheFirstAddress() {
        // 10 -> 16 bytes, 20 -> 32 bytes; the third shares the second's key and advances nothing; 33 -> 48 bytes.
        List<LiveRange> ranges = List.of(
                new LiveRange(0, 0, 10, 16, "a"),
                new LiveRange(0, 0, 20, 16, "w", "stream-1"),
                new LiveRange(0, 0, 20, 16, "w_clone", "stream-1"),
                new LiveRange(0, 0, 33, 16, "b"));
        Allocation a = TensorAllocator.LinearAlloc.allocate(ranges, 0);
        assertEquals(List.of(0L, 16L, 16L, 48L), a.addresses());
        assertEquals(96, a.size());
        assertEquals(63, a.lowerBound());
    }

    @Test
    void sharingAnEmptyRangeAtTheRunningTotalStillAdvancesIt() {
        // The first range is empty, so the running total is still its address when the second shares it.
        List<LiveRange> ranges = List.of(
                new LiveRange(0, 0, 0, 16, "empty", "k"),
                new LiveRange(0, 0, 8, 16, "same", "k"),
                new LiveRange(0, 0, 8, 16, "next"));
        Allocation a = TensorAllocator.LinearAlloc.allocate(ranges, 0);
        assertEquals(List.of(0L, 0L, 16L), a.addresses());
        assertEquals(32, a.size());
    }

    @Test
    void granularityIsAParameter() {
        List<LiveRange> ranges = List.of(new LiveRange(0, 0, 10, 16, "a"), new LiveRange(0, 0, 10, 16, "b"));
        Allocation a = TensorAllocator.LinearAlloc.allocate(ranges, 0, HillClimbAllocator.DEFAULT_MAX_ITERATIONS, 32);
        assertEquals(List.of(0L, 32L), a.addresses());
        assertEquals(64, a.size());
    }

    @Test
    void randomSetsAreValid() {
        Random rnd = new Random(99);
        for (int c = 0; c < 3000; c++) {
            List<LiveRange> ranges = new ArrayList<>();
            for (LiveRange r : AllocationChecks.randomRanges(rnd, 40)) {
                String key = rnd.nextInt(4) == 0 ? "k" + rnd.nextInt(3) : null;
                ranges.add(new LiveRange(r.start(), r.end(), key == null ? r.size() : 100L * key.hashCode() % 997,
                        16, r.name(), key));
            }
            Allocation a = TensorAllocator.LinearAlloc.allocate(ranges, 0);
            String context = "case " + c;
            AllocationChecks.assertValid(ranges, a, context);
            long expected = 0;
            for (int i = 0; i < ranges.size(); i++) {
                boolean sharesEarlier = false;
                for (int j = 0; j < i; j++) {
                    if (ranges.get(i).sharingKey() != null
                            && ranges.get(i).sharingKey().equals(ranges.get(j).sharingKey())) {
                        assertEquals(a.address(j), a.address(i), context);
                        sharesEarlier = true;
                        break;
                    }
                }
                if (!sharesEarlier) {
                    assertEquals(expected, a.address(i), context);
                    expected += Allocation.roundUp(ranges.get(i).size(), 16);
                }
                assertTrue(i == 0 || sharesEarlier || a.address(i) >= a.address(i - 1), context);
            }
            assertEquals(expected, a.size(), context);
        }
    }
}
