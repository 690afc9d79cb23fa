package npuc.worker;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

import npuc.schedule.OptimizationStrategy;

/**
 * One compile target of a job: the Vela options that select accelerator, system config and memory mode,
 * plus the job's configuration file text when it defines configs of its own.
 *
 * @param name unique within the job; names the artifact folder
 * @param arenaCacheSize bytes; empty keeps the memory mode's own
 * @param extraOptions further compiler options by CLI name without dashes, sorted for a stable order
 * @param configFile text of a vela.ini-style file, when the job carries one
 */
public record TargetSpec(
    String name,
    String accelerator,
    String systemConfig,
    String memoryMode,
    OptionalLong arenaCacheSize,
    OptimizationStrategy strategy,
    Map<String, String> extraOptions,
    Optional<String> configFile) {

    public TargetSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(accelerator, "accelerator");
        Objects.requireNonNull(systemConfig, "systemConfig");
        Objects.requireNonNull(memoryMode, "memoryMode");
        Objects.requireNonNull(arenaCacheSize, "arenaCacheSize");
        Objects.requireNonNull(strategy, "strategy");
        extraOptions = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(extraOptions));
        Objects.requireNonNull(configFile, "configFile");
    }

    /** A target with Vela's defaults for everything but the four names. */
    public static TargetSpec of(String name, String accelerator, String systemConfig, String memoryMode,
            OptimizationStrategy strategy) {
        return new TargetSpec(name, accelerator, systemConfig, memoryMode, OptionalLong.empty(), strategy,
            Map.of(), Optional.empty());
    }
}
