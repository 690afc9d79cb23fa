package npuc.search;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import npuc.schedule.SchedulePolicy;

/**
 * npuc's FastestFit strategy: instead of taking the one schedule Vela's heuristics make for an arena cache size,
 * it makes many and keeps the fastest whose arena allocation fits. The schedules are Vela's Performance steps at
 * the arena size and at the rungs of a fixed ladder of smaller staging limits, Vela's Size steps, and schedules
 * between them: cascades as small as Size's or as deep as they save memory, weights read in place instead of
 * buffered, and (when spilling) the feature maps in fast storage chosen by the cycles they save rather than by
 * element accesses. Each is scored by the cost model's total cycles, which are the same for one schedule at any
 * arena size, and fits an arena size when its allocation does ({@link Candidate#need}).
 *
 * <h2>What is guaranteed</h2>
 * Call S(L) the schedules taking part at arena size L ({@link CandidateSpace#admitted}) and T(L) the cycles of
 * the fastest of them that fits L.
 * <ol>
 * <li>Never slower than Vela: S(L) holds Vela's Performance schedule at L and Vela's Size schedule, so whenever
 *     either fits L, T(L) is at most its cycles.</li>
 * <li>Monotone in the arena size: S(L) is the core (independent of L), the ladder's schedules at every rung up to
 *     L, and Vela's Performance schedule at L. A schedule, its cycles and its need do not depend on L, and one that
 *     fits L fits every larger size. So for arena sizes L1 &lt; L2 with L1 a rung of the ladder (every power of two
 *     and every size a quarter, half and three quarters of the way to the next: 32, 40, 48, 56, 64 KiB, ...,
 *     384 KiB, ...), S(L1) is a subset of S(L2): T(L2) &lt;= T(L1), and if the search fits L1 it fits L2. For L1
 *     off the ladder the only schedule of S(L1) missing from S(L2) is Vela's own at L1, so T(L2) is at most the
 *     cycles of every other schedule that fits L1.</li>
 * <li>The smallest fitting size ({@link #minimumArena}) is exact over the core and the ladder: the search fits it
 *     and every larger size; below it, no schedule of the core or the ladder fits.</li>
 * </ol>
 * Ties in cycles go to the schedule needing less of the arena, then to the order of {@link
 * CandidateSpace#admitted} (Vela's schedule first).
 */
public final class ScheduleSearch {
    private ScheduleSearch() {
    }

    /** The fastest schedule that fits {@code arenaCacheSize}, beside Vela's. */
    public static SearchOutcome run(CandidateSpace space, long arenaCacheSize) {
        Candidate best = null;
        int searched = 0;
        for (CandidateSpace.Admitted a : space.admitted(arenaCacheSize)) {
            Optional<Candidate> c = space.candidate(a.policy());
            if (c.isEmpty()) {
                continue;
            }
            searched++;
            if (c.get().fits(arenaCacheSize) && (best == null || faster(c.get(), best))) {
                best = c.get();
            }
        }
        return new SearchOutcome(arenaCacheSize, best, searched,
                space.require(CandidateSpace.velaPerformance(arenaCacheSize)),
                space.require(CandidateSpace.velaSize()));
    }

    private static boolean faster(Candidate c, Candidate than) {
        return c.cycles() < than.cycles() || (c.cycles() == than.cycles() && c.need().bytes() < than.need().bytes());
    }

    /**
     * The smallest arena cache size, in whole KiB, the search fits: each schedule of the core counts from its need,
     * each schedule of a rung from its need or the rung, whichever is larger. A rung at or above the best found so
     * far cannot do better, so only rungs below the core's best are made.
     */
    public static MinimumArena minimumArena(CandidateSpace space) {
        Candidate by = null;
        long exact = Long.MAX_VALUE;
        Candidate tightest = null;
        for (SchedulePolicyAt p : coreThenRungs(space)) {
            if (p.rung() >= exact) {
                break;
            }
            Optional<Candidate> made = space.candidate(p.policy());
            if (made.isEmpty()) {
                continue;
            }
            Candidate c = made.get();
            long from = Math.max(c.need().bytes(), p.rung());
            if (from < exact) {
                exact = from;
                by = c;
            }
            if (tightest == null || c.need().lowerBound() < tightest.need().lowerBound()) {
                tightest = c;
            }
        }
        long kib = (exact + 1023) / 1024 * 1024;
        return new MinimumArena(kib, exact, by, tightest.need().lowerBound(), tightest.need().peak());
    }

    private record SchedulePolicyAt(SchedulePolicy policy, long rung) {
    }

    /** The core at rung 0, then each rung's schedules, lowest rung first, up to what the core needs. */
    private static List<SchedulePolicyAt> coreThenRungs(CandidateSpace space) {
        List<SchedulePolicyAt> out = new ArrayList<>();
        long coreBest = Long.MAX_VALUE;
        for (SchedulePolicy p : CandidateSpace.core()) {
            out.add(new SchedulePolicyAt(p, 0));
            Optional<Candidate> c = space.candidate(p);
            if (c.isPresent()) {
                coreBest = Math.min(coreBest, c.get().need().bytes());
            }
        }
        for (long rung : space.rungs(coreBest)) {
            for (SchedulePolicy p : space.atRung(rung)) {
                out.add(new SchedulePolicyAt(p, rung));
            }
        }
        return out;
    }
}
