package npuc.search;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import npuc.alloc.ArenaAllocation;
import npuc.arch.Target;
import npuc.frontend.FrontEndResult;
import npuc.perf.CycleKind;
import npuc.schedule.NetworkSchedule;
import npuc.schedule.OperationWeightEncoder;
import npuc.schedule.OptimizationStrategy;
import npuc.schedule.SchedulePolicy;
import npuc.schedule.SchedulePolicy.CascadeTarget;
import npuc.schedule.SchedulePolicy.FeatureMapScore;
import npuc.schedule.SchedulingException;
import npuc.schedule.WeightEncodingCache;

/**
 * The schedules the search chooses from for one model on one accelerator, system config and memory mode, each made
 * once and kept, so searches at several arena sizes (a sweep's) share them. Which schedules take part at an arena
 * size is {@link #admitted}; a schedule's cycles and arena need never depend on it.
 *
 * <p>Thread-safe: schedules are made one at a time under the space's lock (the weight encoder is not thread-safe).
 */
public final class CandidateSpace {
    /** A staging limit above any arena: Vela's Performance steps then make the fastest schedule they can. */
    static final long UNLIMITED = 1L << 32;
    /** With spilling Vela's schedule at a limit needs about that limit: the ladder starts low. */
    private static final long SPILLING_LADDER_START = 8 * 1024;

    private final FrontEndResult frontEnd;
    private final Target target;
    private final ArenaAllocation.Settings settings;
    private final OperationWeightEncoder encoder;
    private final Map<SchedulePolicy, Optional<Candidate>> made = new LinkedHashMap<>();
    private final Set<SchedulePolicy> unschedulable = new LinkedHashSet<>();

    private CandidateSpace(FrontEndResult frontEnd, Target target, ArenaAllocation.Settings settings,
            WeightEncodingCache weights) {
        this.frontEnd = frontEnd;
        this.target = target;
        this.settings = settings;
        this.encoder = new OperationWeightEncoder(target.accelerator(), weights);
    }

    /**
     * @param target   the accelerator, system config and memory mode; its arena cache size plays no part
     * @param settings the arena allocator the needs are measured with
     */
    public static CandidateSpace of(FrontEndResult frontEnd, Target target, ArenaAllocation.Settings settings,
            WeightEncodingCache weights) {
        return new CandidateSpace(frontEnd, target, settings, weights);
    }

    public FrontEndResult frontEnd() {
        return frontEnd;
    }

    /**
     * The schedule {@code policy} makes, with its cycles and need. Empty for a policy beyond Vela's that the
     * scheduler cannot follow on this model; Vela's own policies throw instead, as they would for Vela's
     * strategies.
     */
    public synchronized Optional<Candidate> candidate(SchedulePolicy policy) {
        Optional<Candidate> c = made.get(policy);
        if (c == null) {
            c = make(policy);
            made.put(policy, c);
        }
        return c;
    }

    private Optional<Candidate> make(SchedulePolicy policy) {
        NetworkSchedule schedule;
        try {
            schedule = NetworkSchedule.of(frontEnd, target, policy, encoder);
        } catch (SchedulingException e) {
            if (policy.isVelas()) {
                throw e;
            }
            unschedulable.add(policy);
            return Optional.empty();
        }
        return Optional.of(new Candidate(policy, schedule, schedule.performance().cycles(CycleKind.TOTAL),
                ArenaAllocation.need(frontEnd, schedule, target, settings)));
    }

    /** Every schedule made so far, in the order they were made. */
    public synchronized List<Candidate> made() {
        return made.values().stream().flatMap(Optional::stream).toList();
    }

    /** Policies beyond Vela's the scheduler could not follow on this model, so far. */
    public synchronized List<SchedulePolicy> unschedulable() {
        return List.copyOf(unschedulable);
    }

    /** Vela's Performance schedule at an arena cache size. */
    static SchedulePolicy velaPerformance(long arenaCacheSize) {
        return SchedulePolicy.vela(OptimizationStrategy.Performance, arenaCacheSize);
    }

    static SchedulePolicy velaSize() {
        return SchedulePolicy.vela(OptimizationStrategy.Size, 0);
    }

    /**
     * Schedules that take part at every arena size: Vela's Size schedule, Size's steps with the deepest cascades and
     * with weights read in place, and the fastest schedule Vela's Performance steps make without a limit, also with
     * weights read in place.
     */
    static List<SchedulePolicy> core() {
        SchedulePolicy size = velaSize();
        SchedulePolicy max = velaPerformance(UNLIMITED);
        return List.of(size, size.withCascades(CascadeTarget.NOTHING), size.withWeightBuffers(0), max,
                max.withWeightBuffers(0));
    }

    /**
     * The schedules made at one rung of the ladder: Vela's Performance steps at that staging limit, with cascades as
     * small as Size's, with cascades as deep as they save memory, with weights read in place, and (when spilling)
     * with the feature maps in fast storage chosen by the cycles they save.
     */
    List<SchedulePolicy> atRung(long rung) {
        SchedulePolicy p = velaPerformance(rung);
        List<SchedulePolicy> out = new ArrayList<>(List.of(p, p.withCascades(CascadeTarget.LEAST_REQUIRED),
                p.withCascades(CascadeTarget.NOTHING), p.withWeightBuffers(0)));
        if (target.isSpillingEnabled()) {
            out.add(p.withFeatureMapScore(FeatureMapScore.CYCLES));
        }
        return out;
    }

    /**
     * The ladder's rungs this model uses, up to {@code arenaCacheSize}: from the rung below what Vela's Size schedule
     * needs (from 8 KiB when spilling, where a smaller limit keeps a smaller schedule) to the first rung at or above
     * what the unlimited schedule needs, beyond which Vela's schedule no longer changes. Both ends depend on the
     * model and target alone.
     */
    List<Long> rungs(long arenaCacheSize) {
        long lo = target.isSpillingEnabled() ? SPILLING_LADDER_START
                : StagingLadder.floor(require(velaSize()).need().bytes());
        long hi = StagingLadder.ceiling(require(velaPerformance(UNLIMITED)).need().bytes());
        return StagingLadder.between(lo, Math.min(hi, arenaCacheSize));
    }

    /**
     * A policy taking part at an arena size, and the smallest arena size from which it does.
     *
     * @param from 0 for the core, the rung for the ladder's schedules, the arena size itself for Vela's
     *             Performance schedule at an arena size off the ladder
     */
    record Admitted(SchedulePolicy policy, long from) {
    }

    /**
     * Every policy taking part at {@code arenaCacheSize}: the core, each rung's schedules up to the arena size, and
     * Vela's Performance schedule at the arena size itself. Without that last one, which is on the ladder whenever
     * the size is a rung, this set only grows with the arena size.
     */
    List<Admitted> admitted(long arenaCacheSize) {
        List<Admitted> out = new ArrayList<>();
        Set<SchedulePolicy> seen = new LinkedHashSet<>();
        SchedulePolicy vela = velaPerformance(arenaCacheSize);
        out.add(new Admitted(vela, arenaCacheSize));
        seen.add(vela);
        for (SchedulePolicy p : core()) {
            if (seen.add(p)) {
                out.add(new Admitted(p, 0));
            }
        }
        for (long rung : rungs(arenaCacheSize)) {
            for (SchedulePolicy p : atRung(rung)) {
                if (seen.add(p)) {
                    out.add(new Admitted(p, rung));
                }
            }
        }
        return out;
    }

    Candidate require(SchedulePolicy velas) {
        return candidate(velas).orElseThrow();
    }

    public Target target() {
        return target;
    }
}
