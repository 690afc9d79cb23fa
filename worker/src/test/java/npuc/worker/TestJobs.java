package npuc.worker;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import npuc.messages.CompileJob;
import npuc.messages.CompileTarget;
import npuc.messages.Strategy;

/** Jobs for tests: the five targets used throughout the project, or any number of variations on them. */
final class TestJobs {
    private TestJobs() {
    }

    static List<CompileTarget> fiveTargets() {
        return List.of(
            target("u55-128-shared", "ethos-u55-128", "Ethos_U55_High_End_Embedded", "Shared_Sram", Strategy.Performance),
            target("u65-256-dedicated", "ethos-u65-256", "Ethos_U65_High_End", "Dedicated_Sram", Strategy.Performance),
            target("u55-64-sram-only", "ethos-u55-64", "Ethos_U55_Deep_Embedded", "Sram_Only", Strategy.Performance),
            target("u65-512-dedicated-512k", "ethos-u65-512", "Ethos_U65_Mid_End", "Dedicated_Sram_512KB", Strategy.Performance),
            target("u55-256-shared-size", "ethos-u55-256", "Ethos_U55_High_End_Embedded", "Shared_Sram", Strategy.Size));
    }

    /** {@code count} targets differing by arena cache size, as a design-space sweep has them. */
    static List<CompileTarget> arenaSweep(int count) {
        List<CompileTarget> targets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            CompileTarget target = target("arena-" + i, "ethos-u55-128", "Ethos_U55_High_End_Embedded", "Shared_Sram",
                Strategy.Performance);
            target.setArenaCacheSize((long) (i + 1) * 64 * 1024);
            targets.add(target);
        }
        return targets;
    }

    static CompileTarget target(String name, String accelerator, String system, String memoryMode, Strategy strategy) {
        return CompileTarget.newBuilder()
            .setName(name)
            .setAccelerator(accelerator)
            .setSystemConfig(system)
            .setMemoryMode(memoryMode)
            .setArenaCacheSize(null)
            .setStrategy(strategy)
            .setExtraOptions(Map.of())
            .build();
    }

    static CompileJob job(String jobId, String modelUri, List<CompileTarget> targets) {
        return CompileJob.newBuilder()
            .setJobId(jobId)
            .setModelUri(modelUri)
            .setModelSha256(null)
            .setOutputPrefix("s3://artifacts/runs")
            .setTargets(targets)
            .setConfigFile(null)
            .setSubmittedAt(Instant.ofEpochMilli(1_700_000_000_000L))
            .build();
    }
}
