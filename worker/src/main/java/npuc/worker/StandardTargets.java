package npuc.worker;

import java.util.List;
import java.util.Map;

import npuc.messages.CompileTarget;
import npuc.messages.Strategy;

/** The five targets the project compares against Vela throughout; the default sweep of demo and submit. */
public final class StandardTargets {
    private StandardTargets() {
    }

    public static List<CompileTarget> five() {
        return List.of(
            target("u55-128-high-end-shared", "ethos-u55-128", "Ethos_U55_High_End_Embedded", "Shared_Sram", Strategy.Performance),
            target("u65-256-high-end-dedicated", "ethos-u65-256", "Ethos_U65_High_End", "Dedicated_Sram", Strategy.Performance),
            target("u55-64-deep-embedded-sram-only", "ethos-u55-64", "Ethos_U55_Deep_Embedded", "Sram_Only", Strategy.Performance),
            target("u65-512-mid-end-dedicated-512k", "ethos-u65-512", "Ethos_U65_Mid_End", "Dedicated_Sram_512KB", Strategy.Performance),
            target("u55-256-high-end-shared-size", "ethos-u55-256", "Ethos_U55_High_End_Embedded", "Shared_Sram", Strategy.Size));
    }

    public static CompileTarget target(String name, String accelerator, String systemConfig, String memoryMode,
            Strategy strategy) {
        return CompileTarget.newBuilder()
            .setName(name)
            .setAccelerator(accelerator)
            .setSystemConfig(systemConfig)
            .setMemoryMode(memoryMode)
            .setArenaCacheSize(null)
            .setStrategy(strategy)
            .setExtraOptions(Map.of())
            .build();
    }
}
