package npuc.generator;

import java.util.List;

import npuc.CompileOptions;
import npuc.arch.Target;
import npuc.arch.TargetOptions;
import npuc.arch.Targets;
import npuc.schedule.OptimizationStrategy;

/** The five targets the project measures itself on (accelerator, system config, memory mode, strategy). */
record StandardTarget(String accelerator, String systemConfig, String memoryMode, OptimizationStrategy strategy) {

    static final List<StandardTarget> ALL = List.of(
            new StandardTarget("ethos-u55-128", "Ethos_U55_High_End_Embedded", "Shared_Sram",
                    OptimizationStrategy.Performance),
            new StandardTarget("ethos-u65-256", "Ethos_U65_High_End", "Dedicated_Sram", OptimizationStrategy.Performance),
            new StandardTarget("ethos-u55-64", "Ethos_U55_Deep_Embedded", "Sram_Only", OptimizationStrategy.Performance),
            new StandardTarget("ethos-u65-512", "Ethos_U65_Mid_End", "Dedicated_Sram_512KB",
                    OptimizationStrategy.Performance),
            new StandardTarget("ethos-u55-256", "Ethos_U55_High_End_Embedded", "Shared_Sram", OptimizationStrategy.Size));

    Target target() {
        try {
            return Targets.resolve(TargetOptions.of(accelerator, systemConfig, memoryMode));
        } catch (npuc.BadInputException e) {
            throw new IllegalStateException("a standard target is built in: " + this, e);
        }
    }

    CompileOptions options() {
        return CompileOptions.defaults().withStrategy(strategy);
    }

    /** Vela's command-line arguments for this target. */
    List<String> velaArguments() {
        return List.of("--accelerator-config", accelerator, "--system-config", systemConfig, "--memory-mode",
                memoryMode, "--optimise", strategy.name());
    }

    /** A short name: ethos-u55-256/Shared_Sram/Size. */
    @Override
    public String toString() {
        return accelerator + "/" + memoryMode + "/" + strategy;
    }
}
