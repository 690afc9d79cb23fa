package npuc.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

import npuc.messages.CompileTarget;
import npuc.schedule.OptimizationStrategy;
import npuc.worker.StandardTargets;

/**
 * A target of a sweep without its arena size: the accelerator, system config and memory mode a device is,
 * and the strategy the compiler schedules with. Sweeps cross these with arena sizes.
 *
 * @param strategy the name of an {@link OptimizationStrategy}, as {@code --optimise} takes it
 * @param arenaSize the one arena size this target is compiled at, when its description gave one; empty for
 *     the sweep's sizes
 */
public record SweepTarget(String accelerator, String systemConfig, String memoryMode, String strategy,
        OptionalLong arenaSize) {

    public SweepTarget {
        Objects.requireNonNull(accelerator, "accelerator");
        Objects.requireNonNull(systemConfig, "systemConfig");
        Objects.requireNonNull(memoryMode, "memoryMode");
        strategy = strategy(strategy);
        Objects.requireNonNull(arenaSize, "arenaSize");
    }

    public SweepTarget(String accelerator, String systemConfig, String memoryMode, String strategy) {
        this(accelerator, systemConfig, memoryMode, strategy, OptionalLong.empty());
    }

    /** The device, as the sweep's {@code target} column writes it: {@code ACCEL:SYSTEM:MEMORY}. */
    public String device() {
        return accelerator + ":" + systemConfig + ":" + memoryMode;
    }

    public SweepTarget withStrategy(String other) {
        return new SweepTarget(accelerator, systemConfig, memoryMode, other, arenaSize);
    }

    public OptimizationStrategy optimizationStrategy() {
        return OptimizationStrategy.valueOf(strategy);
    }

    /** {@code ACCEL:SYSTEM:MEMORY[:STRATEGY[:ARENA_SIZE]]}, as {@code submit --target} takes it. */
    public static SweepTarget parse(String text) {
        String[] parts = text.split(":", -1);
        if (parts.length < 3 || parts.length > 5 || List.of(parts).contains("")) {
            throw new IllegalArgumentException("'" + text + "': expected ACCEL:SYSTEM:MEMORY[:STRATEGY[:ARENA_SIZE]]");
        }
        OptionalLong arena = parts.length == 5 ? OptionalLong.of(ByteSize.parse(parts[4])) : OptionalLong.empty();
        return new SweepTarget(parts[0], parts[1], parts[2], parts.length >= 4 ? parts[3] : "Performance", arena);
    }

    /** The five standard targets, with their own strategies. */
    public static List<SweepTarget> standard() {
        List<SweepTarget> targets = new ArrayList<>();
        for (CompileTarget t : StandardTargets.five()) {
            targets.add(new SweepTarget(t.getAccelerator(), t.getSystemConfig(), t.getMemoryMode(), t.getStrategy().name()));
        }
        return targets;
    }

    /** The strategy's canonical name, whatever its case; IllegalArgumentException listing the choices. */
    static String strategy(String name) {
        Objects.requireNonNull(name, "strategy");
        for (OptimizationStrategy s : OptimizationStrategy.values()) {
            if (s.name().equalsIgnoreCase(name.trim())) {
                return s.name();
            }
        }
        throw new IllegalArgumentException("strategy '" + name + "': choose one of " + List.of(OptimizationStrategy.values()));
    }
}
