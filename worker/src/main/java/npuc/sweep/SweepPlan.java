package npuc.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.stream.Collectors;

import npuc.arch.ConfigException;
import npuc.arch.ConfigFile;
import npuc.arch.TargetOptions;
import npuc.arch.Targets;
import npuc.worker.TargetSpec;

/**
 * A sweep to run: models × targets × arena sizes, compiled with one set of compiler options.
 *
 * @param arenaSizes bytes, ascending; empty for each target's own arena cache size (a target that names its
 *     size is compiled at that size only)
 * @param options compiler options by the worker's names (its extra options, e.g. {@code tensor-allocator})
 * @param configFile the text of a Vela configuration file defining further system configs and memory modes
 * @param perLayer whether each point keeps Vela's per-layer table
 */
public record SweepPlan(List<SweepModel> models, List<SweepTarget> targets, List<Long> arenaSizes,
        Map<String, String> options, Optional<String> configFile, boolean perLayer) {

    /** The worker's extra option that makes a compile write the per-layer table. */
    static final String PER_LAYER_OPTION = "verbose-performance";

    public SweepPlan {
        models = List.copyOf(models);
        targets = List.copyOf(targets);
        arenaSizes = List.copyOf(arenaSizes);
        options = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(options));
        Objects.requireNonNull(configFile, "configFile");
    }

    /** The points, model by model (so that a model's shared work stays warm), then target, then size. */
    public List<SweepPoint> points() throws ConfigException {
        List<SweepPoint> points = new ArrayList<>();
        for (SweepModel model : models) {
            for (SweepTarget target : targets) {
                List<Long> sizes = target.arenaSize().isPresent() ? List.of(target.arenaSize().getAsLong())
                    : arenaSizes.isEmpty() ? List.of(ownArenaSize(target)) : arenaSizes;
                for (long size : sizes) {
                    points.add(new SweepPoint(model, target, size));
                }
            }
        }
        return points;
    }

    /** The options as the sweep's {@code options} column writes them: {@code name=value;...}, sorted. */
    public String optionsText() {
        return options.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(";"));
    }

    /** The target's arena cache size when the sweep gives none: its memory mode's, as compile would use. */
    public long ownArenaSize(SweepTarget target) throws ConfigException {
        return Targets.resolve(TargetOptions.of(target.accelerator(), target.systemConfig(), target.memoryMode()),
            parsedConfig()).arenaCacheSize();
    }

    /** Checks that the compiler knows the target; ConfigException naming what it does not know. */
    public void check(SweepTarget target) throws ConfigException {
        ownArenaSize(target);
    }

    private ConfigFile parsedConfig() throws ConfigException {
        return configFile.isPresent() ? ConfigFile.parse("configuration file of the sweep", configFile.get()) : null;
    }

    /**
     * The name a point's target has in the worker, the same in a local and a farm run (the compiler's errors
     * name it): the device, strategy and arena size, in the characters a job's target names allow.
     */
    public static String targetName(SweepPoint point) {
        String name = (point.target().device().replace(':', '.') + "." + point.target().strategy() + "."
            + point.arenaSize()).replaceAll("[^A-Za-z0-9._=+-]", "_");
        return (name.length() > 128 ? name.substring(name.length() - 128) : name).replaceFirst("^[^A-Za-z0-9]+", "");
    }

    /** The worker's description of a point. */
    public TargetSpec spec(SweepPoint point) {
        String name = targetName(point);
        Map<String, String> extra = new TreeMap<>(options);
        if (perLayer) {
            extra.put(PER_LAYER_OPTION, "true");
        }
        SweepTarget t = point.target();
        return new TargetSpec(name, t.accelerator(), t.systemConfig(), t.memoryMode(), OptionalLong.of(point.arenaSize()),
            t.optimizationStrategy(), extra, configFile);
    }
}
