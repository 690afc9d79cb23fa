package npuc.alloc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

import npuc.Cancellation;

/**
 * Vela's default allocator. A heuristic order (most urgent first) places each range at the lowest address clear of
 * the neighbours already placed; if that leaves a gap above the lower bound, a seeded random search swaps the
 * allocation turns of ranges that pushed the highest range up, keeping any order that is no worse. The search is
 * deterministic (Python's generator, seed 1), so the addresses equal the reference's.
 *
 * <p>The per-range state (address, end address, predecessor, turn) is deliberately not cleared between attempts: an
 * attempt that stops early, because it is already worse than the best, leaves stale values that the next bottleneck
 * search reads, and the reference's choices depend on them.
 */
final class HillClimbAllocator {
    /** Iterations the search runs at most while the best allocation is above the memory limit. */
    static final int DEFAULT_MAX_ITERATIONS = 99999;
    private static final long NOT_ALLOCATED = -1;
    private static final int NO_PREDECESSOR = -1;
    /** After this many iterations without improvement, each iteration makes a second, wider swap. */
    private static final int MAX_ITERATIONS_STUCK = 50;
    /** The search goes on at least this long after its last improvement, unless it reaches the lower bound. */
    private static final int MIN_ITERATIONS_IMPROVE = 500;
    /** Out of 101 equally likely draws, below this one the first swap partner comes from the non-neighbours. */
    private static final int NON_NEIGHBOUR_PERCENT = 30;

    private final int n;
    private final int[] start;
    private final int[] end;
    private final long[] size;
    private final int[] alignment;
    private final long[] urgency;
    private final int[][] neighbours;
    private final long[] address;
    private final long[] endAddress;
    private final int[] predecessor;
    private final int[] turn;
    private final long minRequiredSize;
    private final long memoryLimit;
    private final int maxIterations;
    private final PythonRandom random = new PythonRandom(1);
    private long bestSize = Long.MAX_VALUE;
    private long[] allocatedAddresses;

    private HillClimbAllocator(List<LiveRange> ranges, int maxIterations, long memoryLimit) {
        n = ranges.size();
        start = new int[n];
        end = new int[n];
        size = new long[n];
        alignment = new int[n];
        int slots = 0;
        for (int i = 0; i < n; i++) {
            LiveRange r = ranges.get(i);
            start[i] = r.start();
            end[i] = r.end();
            size[i] = r.size();
            alignment[i] = r.alignment();
            slots = Math.max(slots, r.end() + 1);
        }
        // Ranges live at each slot, in input order: neighbour lists are built in this order.
        List<List<Integer>> atTime = new ArrayList<>(slots);
        for (int t = 0; t < slots; t++) {
            atTime.add(new ArrayList<>());
        }
        long[] sizeAtTime = new long[slots];
        for (int i = 0; i < n; i++) {
            for (int t = start[i]; t <= end[i]; t++) {
                atTime.get(t).add(i);
                sizeAtTime[t] += size[i];
            }
        }
        minRequiredSize = Arrays.stream(sizeAtTime).max().orElse(0);
        urgency = new long[n];
        neighbours = new int[n][];
        boolean[] seen = new boolean[n];
        for (int i = 0; i < n; i++) {
            List<Integer> found = new ArrayList<>();
            for (int t = start[i]; t <= end[i]; t++) {
                urgency[i] = Math.max(urgency[i], sizeAtTime[t]);
                for (int other : atTime.get(t)) {
                    if (other != i && !seen[other]) {
                        seen[other] = true;
                        found.add(other);
                    }
                }
            }
            neighbours[i] = found.stream().mapToInt(Integer::intValue).toArray();
            for (int other : neighbours[i]) {
                seen[other] = false;
            }
        }
        address = new long[n];
        endAddress = new long[n];
        predecessor = new int[n];
        turn = new int[n];
        this.memoryLimit = memoryLimit;
        this.maxIterations = maxIterations;
    }

    static Allocation allocate(List<LiveRange> ranges, long memoryLimit, int maxIterations) {
        if (maxIterations < 0) {
            throw new IllegalArgumentException("hill-climb iteration limit must not be negative: " + maxIterations);
        }
        if (ranges.isEmpty()) {
            return Allocation.of(new long[0], 0, 0, List.of());
        }
        HillClimbAllocator a = new HillClimbAllocator(ranges, maxIterations, memoryLimit);
        List<AllocationWarning> warnings = memoryLimit < a.minRequiredSize
                ? List.of(new AllocationWarning(memoryLimit, a.minRequiredSize))
                : List.of();
        long[] addresses = a.run();
        long total = 0;
        for (int i = 0; i < addresses.length; i++) {
            total = Math.max(total, addresses[i] + a.size[i]);
        }
        return Allocation.of(addresses, total, a.minRequiredSize, warnings);
    }

    private long[] run() {
        int[] indices = IntStream.range(0, n).boxed().sorted(priority()).mapToInt(Integer::intValue).toArray();
        bestSize = allocateIndices(indices);
        allocatedAddresses = address.clone();
        if (bestSize > minRequiredSize) {
            search(indices);
        }
        return allocatedAddresses;
    }

    /** Most urgent first, then longest, earliest, largest; the input position makes the order total. */
    private Comparator<Integer> priority() {
        return Comparator.<Integer>comparingLong(i -> -urgency[i])
                .thenComparingInt(i -> -(end[i] - start[i]))
                .thenComparingInt(i -> start[i])
                .thenComparingLong(i -> -size[i])
                .thenComparingInt(i -> i);
    }

    /** Places range i at the lowest aligned address that overlaps no placed neighbour. */
    private void allocateRange(int i) {
        long addr = 0;
        int pred = NO_PREDECESSOR;
        boolean fits = false;
        while (!fits) {
            fits = true;
            for (int other : neighbours[i]) {
                if (address[other] == NOT_ALLOCATED || endAddress[other] <= addr) {
                    continue;
                }
                if (address[other] < addr + size[i] && addr < endAddress[other]) {
                    fits = false;
                    addr = Allocation.roundUp(endAddress[other], alignment[i]);
                    pred = other;
                }
            }
        }
        address[i] = addr;
        endAddress[i] = addr + size[i];
        predecessor[i] = pred;
    }

    /** Places the ranges in the given order; gives up as soon as the result is worse than the best so far. */
    private long allocateIndices(int[] indices) {
        Arrays.fill(address, NOT_ALLOCATED);
        long total = 0;
        for (int t = 0; t < indices.length; t++) {
            int i = indices[t];
            allocateRange(i);
            turn[i] = t;
            total = Math.max(total, endAddress[i]);
            if (total > bestSize) {
                break;
            }
        }
        return total;
    }

    private void search(int[] start) {
        int[] indices = start;
        int[] bestIndices = indices.clone();
        int lastImprovement = 0;
        int i = 0;
        while ((bestSize > memoryLimit && i < maxIterations) || i - lastImprovement < MIN_ITERATIONS_IMPROVE) {
            Cancellation.checkpoint();
            if (!attemptBottleneckFix(indices, i - lastImprovement)) {
                return;
            }
            long newSize = allocateIndices(indices);
            if (newSize <= bestSize) {
                if (newSize < bestSize) {
                    lastImprovement = i;
                }
                bestSize = newSize;
                bestIndices = indices.clone();
                allocatedAddresses = address.clone();
                if (bestSize <= minRequiredSize) {
                    return;
                }
            } else {
                indices = bestIndices.clone();
            }
            i++;
        }
    }

    /** Adds the turn of range i and of its chain of predecessors, each turn once, in discovery order. */
    private void addPredecessorTurns(boolean[] turnSeen, List<Integer> turns, int i) {
        if (!turnSeen[turn[i]]) {
            turnSeen[turn[i]] = true;
            turns.add(turn[i]);
        }
        int id = i;
        while (predecessor[id] != NO_PREDECESSOR) {
            id = predecessor[id];
            if (!turnSeen[turn[id]]) {
                turnSeen[turn[id]] = true;
                turns.add(turn[id]);
            }
        }
    }

    private boolean isNeighbour(int a, int b) {
        return start[a] <= end[b] && start[b] <= end[a];
    }

    /**
     * Swaps the turns of two ranges that influenced the placement of the range ending highest (its neighbours and
     * every predecessor chain below them); ranges not live with it caused the gaps and are favoured.
     *
     * @return false when there is nothing to swap: stale turns left by an abandoned attempt can make the bottleneck
     *         and all its neighbours report one turn. The reference fails there (an empty random range); the best
     *         allocation found so far stands instead.
     */
    private boolean attemptBottleneckFix(int[] indices, int iterationsStuck) {
        int bottleneck = 0;
        for (int i = 1; i < n; i++) {
            if (endAddress[i] > endAddress[bottleneck]) {
                bottleneck = i;
            }
        }
        boolean[] turnSeen = new boolean[n];
        List<Integer> turns = new ArrayList<>();
        addPredecessorTurns(turnSeen, turns, bottleneck);
        for (int other : neighbours[bottleneck]) {
            addPredecessorTurns(turnSeen, turns, other);
        }
        if (turns.size() < 2) {
            return false;
        }
        List<Integer> nonNeighbourTurns = new ArrayList<>();
        for (int t : turns) {
            if (!isNeighbour(bottleneck, indices[t])) {
                nonNeighbourTurns.add(t);
            }
        }
        // The draw happens whether or not there are non-neighbours: it advances the generator either way.
        int ix1;
        if (random.randint(0, 100) < NON_NEIGHBOUR_PERCENT && !nonNeighbourTurns.isEmpty()) {
            ix1 = nonNeighbourTurns.get(random.randint(0, nonNeighbourTurns.size() - 1));
        } else {
            ix1 = turns.get(random.randint(0, turns.size() - 1));
        }
        int ix2 = turns.get(random.randint(0, turns.size() - 2));
        if (ix1 == ix2) {
            ix2 = turns.get(turns.size() - 1);
        }
        swap(indices, ix1, ix2);
        if (iterationsStuck > MAX_ITERATIONS_STUCK) {
            for (int t : nonNeighbourTurns) {
                for (int other : neighbours[indices[t]]) {
                    if (!turnSeen[turn[other]]) {
                        turnSeen[turn[other]] = true;
                        turns.add(turn[other]);
                    }
                }
            }
            ix1 = turns.get(random.randint(0, turns.size() - 1));
            ix2 = turns.get(random.randint(0, turns.size() - 1));
            swap(indices, ix1, ix2);
        }
        return true;
    }

    private static void swap(int[] a, int i, int j) {
        int tmp = a[i];
        a[i] = a[j];
        a[j] = tmp;
    }
}
