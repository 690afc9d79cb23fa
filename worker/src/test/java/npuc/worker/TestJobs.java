package npuc.worker;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import npuc.messages.CompileJob;
import npuc.messages.CompileTarget;
import npuc.messages.Strategy;

/** Jobs for tests: the five standard targets, or any number of variations on them. */
public final class TestJobs {
    private TestJobs() {
    }

    public static List<CompileTarget> fiveTargets() {
        return StandardTargets.five();
    }

    /** {@code count} targets differing by arena cache size, as a design-space sweep has them. */
    public static List<CompileTarget> arenaSweep(int count) {
        List<CompileTarget> targets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            CompileTarget target = target("arena-" + i, "ethos-u55-128", "Ethos_U55_High_End_Embedded", "Shared_Sram",
                Strategy.Performance);
            target.setArenaCacheSize((long) (i + 1) * 64 * 1024);
            targets.add(target);
        }
        return targets;
    }

    public static CompileTarget target(String name, String accelerator, String system, String memoryMode, Strategy strategy) {
        return StandardTargets.target(name, accelerator, system, memoryMode, strategy);
    }

    public static CompileJob job(String jobId, String modelUri, List<CompileTarget> targets) {
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
