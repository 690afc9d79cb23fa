package npuc.worker;

import java.time.Duration;

import npuc.cli.WorkerCommand;
import picocli.CommandLine;

/**
 * {@code npuc worker} in a JVM of its own with the simulated compiler in place of npuc's, as the chaos test runs
 * it: the arguments and {@code NPUC_*} variables are the worker command's; the system property
 * {@code npuc.chaos.compile-millis} is the simulated time per target.
 */
public final class ChaosWorker {
    private ChaosWorker() {
    }

    public static void main(String[] args) {
        Duration perTarget = Duration.ofMillis(Long.getLong("npuc.chaos.compile-millis", 100));
        System.exit(new CommandLine(new WorkerCommand(new SimulatedCompiler(perTarget))).execute(args));
    }
}
