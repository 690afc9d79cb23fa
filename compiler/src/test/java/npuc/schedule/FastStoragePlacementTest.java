package npuc.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

import npuc.schedule.FastStoragePlacement.Candidate;
import npuc.schedule.FastStoragePlacement.Decision;

class FastStoragePlacementTest {
    @Test
    void alwaysFittingMapsStayAndTheBetterScoringOfTwoRivalsWins() {
        // a and b overlap at slot 1 where both together need 120 of 100 bytes; c fits in any case. Keeping b
        // (score 10) beats keeping a (score 5).
        List<Candidate> candidates = List.of(
                new Candidate(0, 1, 60, 5),
                new Candidate(1, 2, 60, 10),
                new Candidate(3, 3, 50, 1));
        Decision d = FastStoragePlacement.decide(candidates, new long[4], 100);
        assertEquals(List.of(2, 1), d.kept());
        assertEquals(List.of(0), d.evicted());
        assertEquals(List.of(), d.leftOut());
        assertEquals(60, d.peakUsage());
        assertFalse(d.exceedsLimit());
    }

    @Test
    void everythingStaysWhenEverythingFits() {
        List<Candidate> candidates = List.of(new Candidate(0, 1, 40, 1), new Candidate(1, 2, 40, 1));
        Decision d = FastStoragePlacement.decide(candidates, new long[] {10, 20, 10}, 100);
        assertEquals(List.of(0, 1), d.kept());
        assertEquals(List.of(), d.evicted());
        assertEquals(100, d.peakUsage());
    }

    @Test
    void equalScoresKeepTheEarlierRange() {
        List<Candidate> candidates = List.of(new Candidate(0, 1, 60, 7), new Candidate(1, 2, 60, 7));
        Decision d = FastStoragePlacement.decide(candidates, new long[3], 100);
        assertEquals(List.of(0), d.kept());
        assertEquals(List.of(1), d.evicted());
    }

    @Test
    void fixedUsageOverTheLimitEvictsWhatItCrossesAndIsReported() {
        // Slot 1 holds 150 bytes that cannot move: a, live there, is evicted; b elsewhere still stays.
        List<Candidate> candidates = List.of(new Candidate(0, 1, 10, 100), new Candidate(2, 2, 50, 1));
        Decision d = FastStoragePlacement.decide(candidates, new long[] {0, 150, 0}, 100);
        assertEquals(List.of(1), d.kept());
        assertEquals(List.of(0), d.evicted());
        assertEquals(150, d.peakUsage());
        assertTrue(d.exceedsLimit());
        // Nothing competed (a never fits, b always does): the reference does not check the limit then.
        assertFalse(d.searched());
    }

    @Test
    void overTheLimitAfterASearchIsWhereTheReferenceStops() {
        // Slot 0 holds 150 fixed bytes; a and b compete for slots 1 and 2, where only one of them fits.
        List<Candidate> candidates = List.of(new Candidate(1, 2, 40, 5), new Candidate(1, 2, 40, 3));
        Decision d = FastStoragePlacement.decide(candidates, new long[] {150, 50, 50}, 100);
        assertEquals(List.of(0), d.kept());
        assertEquals(List.of(1), d.evicted());
        assertTrue(d.searched());
        assertTrue(d.exceedsLimit());
    }

    @Test
    void longRangesAmongManyCompetitorsAreLeftOutWithoutCountingAsEvicted() {
        // 21 short ranges stacked at slots 1..3 plus one range living 0..60: more than 20 compete, and the long one,
        // first in time order, ends more than 20 slots after the one 20 places later.
        List<Candidate> candidates = new ArrayList<>();
        candidates.add(new Candidate(0, 60, 10, 1000));
        for (int i = 0; i < 21; i++) {
            candidates.add(new Candidate(1, 2 + i % 2, 10, 1));
        }
        Decision d = FastStoragePlacement.decide(candidates, new long[61], 100);
        assertEquals(List.of(0), d.leftOut());
        assertFalse(d.kept().contains(0));
        assertFalse(d.evicted().contains(0));
        assertEquals(10, d.kept().size());
        assertEquals(100, d.peakUsage());
    }

    @Test
    void withAFeasibleFixedUsageTheChoiceNeverExceedsTheLimit() {
        Random rnd = new Random(1234);
        for (int c = 0; c < 3000; c++) {
            int slots = 1 + rnd.nextInt(30);
            long limit = 100 + rnd.nextInt(1000);
            long[] fixed = randomFixed(rnd, slots, limit);
            List<Candidate> candidates = randomCandidates(rnd, slots, 1 + rnd.nextInt(c % 10 == 0 ? 30 : 14), limit);
            Decision d = FastStoragePlacement.decide(candidates, fixed, limit);
            String context = "case " + c;
            assertPartition(candidates, d, context);
            long[] usage = usage(fixed, candidates, d.kept());
            for (int t = 0; t < slots; t++) {
                assertTrue(usage[t] <= limit, context + ": slot " + t + " holds " + usage[t] + " > " + limit);
            }
            assertEquals(peak(usage), d.peakUsage(), context);
            assertFalse(d.exceedsLimit(), context);
        }
    }

    @Test
    void whenFixedUsageAloneExceedsTheLimitEverythingCrossingItIsEvictedAndTheRestStillFits() {
        Random rnd = new Random(5678);
        int overLimitCases = 0;
        for (int c = 0; c < 2000; c++) {
            int slots = 2 + rnd.nextInt(30);
            long limit = 100 + rnd.nextInt(1000);
            long[] fixed = randomFixed(rnd, slots, limit);
            for (int k = 1 + rnd.nextInt(3); k > 0; k--) {
                fixed[rnd.nextInt(slots)] = limit + 1 + rnd.nextInt(500);
            }
            List<Candidate> candidates = randomCandidates(rnd, slots, 1 + rnd.nextInt(14), limit);
            Decision d = FastStoragePlacement.decide(candidates, fixed, limit);
            String context = "case " + c;
            assertPartition(candidates, d, context);
            for (int i = 0; i < candidates.size(); i++) {
                Candidate cand = candidates.get(i);
                boolean crossesOverLimit = false;
                for (int t = cand.start(); t <= cand.end(); t++) {
                    crossesOverLimit |= fixed[t] > limit;
                }
                if (crossesOverLimit) {
                    assertTrue(d.evicted().contains(i), context + ": candidate " + i + " crosses an over-limit slot");
                }
            }
            long[] usage = usage(fixed, candidates, d.kept());
            for (int t = 0; t < slots; t++) {
                long allowed = Math.max(limit, fixed[t]);
                assertTrue(usage[t] <= allowed, context + ": slot " + t);
            }
            assertEquals(peak(fixed), d.peakUsage(), context);
            assertTrue(d.exceedsLimit(), context);
            overLimitCases++;
        }
        assertEquals(2000, overLimitCases);
    }

    @Test
    void onSmallSetsTheChoiceScoresAsHighAsTheBestFeasibleSubset() {
        Random rnd = new Random(91011);
        for (int c = 0; c < 3000; c++) {
            int slots = 1 + rnd.nextInt(16);
            long limit = 100 + rnd.nextInt(1000);
            long[] fixed = randomFixed(rnd, slots, limit);
            List<Candidate> candidates = randomCandidates(rnd, slots, 1 + rnd.nextInt(12), limit);
            Decision d = FastStoragePlacement.decide(candidates, fixed, limit);
            long chosen = 0;
            for (int i : d.kept()) {
                chosen += candidates.get(i).score();
            }
            assertEquals(bestFeasibleScore(candidates, fixed, limit), chosen, "case " + c);
        }
    }

    /** Every subset of the candidates that fits beside the fixed usage, by brute force: the best total score. */
    private static long bestFeasibleScore(List<Candidate> candidates, long[] fixed, long limit) {
        int n = candidates.size();
        long best = -1;
        for (int mask = 0; mask < 1 << n; mask++) {
            long[] usage = fixed.clone();
            long score = 0;
            for (int i = 0; i < n; i++) {
                if ((mask & 1 << i) != 0) {
                    Candidate c = candidates.get(i);
                    score += c.score();
                    for (int t = c.start(); t <= c.end(); t++) {
                        usage[t] += c.size();
                    }
                }
            }
            if (peak(usage) <= limit) {
                best = Math.max(best, score);
            }
        }
        return best;
    }

    private static void assertPartition(List<Candidate> candidates, Decision d, String context) {
        Set<Integer> seen = new HashSet<>();
        for (List<Integer> part : List.of(d.kept(), d.evicted(), d.leftOut())) {
            for (int i : part) {
                assertTrue(seen.add(i), context + ": candidate " + i + " decided twice");
            }
        }
        assertEquals(candidates.size(), seen.size(), context + ": every candidate is decided");
    }

    private static long[] randomFixed(Random rnd, int slots, long limit) {
        long[] fixed = new long[slots];
        for (int t = 0; t < slots; t++) {
            fixed[t] = rnd.nextInt(3) == 0 ? 0 : rnd.nextLong(limit + 1);
        }
        return fixed;
    }

    private static List<Candidate> randomCandidates(Random rnd, int slots, int n, long limit) {
        List<Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int start = rnd.nextInt(slots);
            int end = Math.min(slots - 1, start + (rnd.nextInt(5) == 0 ? rnd.nextInt(slots) : rnd.nextInt(3)));
            long size = 1 + rnd.nextLong(limit / 2);
            long score = rnd.nextInt(6) == 0 ? 0 : rnd.nextInt(100000);
            candidates.add(new Candidate(start, end, size, score));
        }
        return candidates;
    }

    private static long[] usage(long[] fixed, List<Candidate> candidates, List<Integer> kept) {
        long[] usage = fixed.clone();
        for (int i : kept) {
            Candidate c = candidates.get(i);
            for (int t = c.start(); t <= c.end(); t++) {
                usage[t] += c.size();
            }
        }
        return usage;
    }

    private static long peak(long[] usage) {
        long max = 0;
        for (long u : usage) {
            max = Math.max(max, u);
        }
        return max;
    }
}
