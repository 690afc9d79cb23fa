package npuc.schedule;

/**
 * What one network schedule is made with: the steps of one of Vela's strategies, the fast-storage budget they aim
 * at, and three choices Vela makes one way that a search may make another. {@link #vela} gives Vela's own. The
 * scheduler reads nothing else that depends on the arena size, so one policy gives one schedule (and one cycle
 * count) whatever arena cache size the target names.
 *
 * @param strategy        Vela's order of steps the schedule follows: Performance or Size
 * @param stagingLimit    fast-storage bytes the schedule aims to keep within (Vela's arena cache size; the Size
 *                        steps set their own from the cascades they build and ignore it)
 * @param cascades        the memory the cascade builder aims at
 * @param weightBuffers   most fast-storage buffers for one operation's weights: 2 (Vela: double buffered where both
 *                        fit), 1, or 0 (weights read where they are stored)
 * @param featureMapScore what keeping a feature map in fast storage is worth when feature maps compete for it
 */
public record SchedulePolicy(OptimizationStrategy strategy, long stagingLimit, CascadeTarget cascades,
                             int weightBuffers, FeatureMapScore featureMapScore) {

    /** The memory the cascade builder aims at: cascades grow until the operations fit it, or stop saving memory. */
    public enum CascadeTarget {
        /** Vela's: the staging limit for the Performance steps, the most any one operation needs whole for Size. */
        VELA,
        /** The most any one operation needs whole, also for the Performance steps. */
        LEAST_REQUIRED,
        /** Nothing: cascades grow as long as they save memory (when spilling: no cascade needs fast storage). */
        NOTHING
    }

    /** How competing feature maps are valued when fast storage cannot hold them all (spilling). */
    public enum FeatureMapScore {
        /** Vela's: the elements operations read and write in it. */
        ELEMENT_ACCESS,
        /** The cycles the network saves when that feature map alone moves into fast storage. */
        CYCLES
    }

    public SchedulePolicy {
        if (strategy != OptimizationStrategy.Performance && strategy != OptimizationStrategy.Size) {
            throw new IllegalArgumentException("a schedule follows Vela's Performance or Size steps, not " + strategy);
        }
        if (stagingLimit < 0) {
            throw new IllegalArgumentException("staging limit must not be negative: " + stagingLimit);
        }
        if (weightBuffers < 0 || weightBuffers > 2) {
            throw new IllegalArgumentException("weight buffers per operation: 0, 1 or 2, not " + weightBuffers);
        }
    }

    /** Vela's schedule for {@code strategy} within {@code arenaCacheSize}. */
    public static SchedulePolicy vela(OptimizationStrategy strategy, long arenaCacheSize) {
        return new SchedulePolicy(strategy, strategy == OptimizationStrategy.Size ? 0 : arenaCacheSize,
                CascadeTarget.VELA, 2, FeatureMapScore.ELEMENT_ACCESS);
    }

    /** Whether these are Vela's choices throughout (only the strategy and staging limit differ). */
    public boolean isVelas() {
        return cascades == CascadeTarget.VELA && weightBuffers == 2 && featureMapScore == FeatureMapScore.ELEMENT_ACCESS;
    }

    public SchedulePolicy withCascades(CascadeTarget c) {
        return new SchedulePolicy(strategy, stagingLimit, c, weightBuffers, featureMapScore);
    }

    public SchedulePolicy withWeightBuffers(int n) {
        return new SchedulePolicy(strategy, stagingLimit, cascades, n, featureMapScore);
    }

    public SchedulePolicy withFeatureMapScore(FeatureMapScore s) {
        return new SchedulePolicy(strategy, stagingLimit, cascades, weightBuffers, s);
    }

    /** Words for a person: "Performance at 262144 bytes, cascades aimed at nothing, 1 weight buffer". */
    public String describe() {
        StringBuilder b = new StringBuilder(strategy == OptimizationStrategy.Size ? "Vela's Size steps"
                : "Vela's Performance steps at a staging limit of " + stagingLimit + " bytes");
        if (cascades == CascadeTarget.LEAST_REQUIRED) {
            b.append(", cascades as small as Size's");
        } else if (cascades == CascadeTarget.NOTHING) {
            b.append(", cascades as deep as they save memory");
        }
        if (weightBuffers < 2) {
            b.append(weightBuffers == 0 ? ", weights read in place" : ", weights single buffered");
        }
        if (featureMapScore == FeatureMapScore.CYCLES) {
            b.append(", feature maps in fast storage chosen by cycles");
        }
        return b.toString();
    }
}
