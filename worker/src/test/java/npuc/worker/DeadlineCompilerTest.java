package npuc.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import npuc.schedule.OptimizationStrategy;
import npuc.worker.ops.WorkerMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A target over its deadline fails with its reason at the deadline, and a cooperative compile gives its thread back. */
class DeadlineCompilerTest {
    private static final TargetSpec TARGET = TargetSpec.of("u55", "ethos-u55-128", "Ethos_U55_High_End_Embedded",
        "Shared_Sram", OptimizationStrategy.Performance);

    private final ExecutorService pool = Executors.newFixedThreadPool(1);
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor();
    private final WorkerMetrics metrics = new WorkerMetrics();

    @AfterEach
    void stop() {
        pool.shutdownNow();
        watchdog.shutdownNow();
    }

    private static ModelBytes model(String name) {
        return ModelBytes.of(name, SimulatedCompiler.model(name, 256));
    }

    private static JobRun run() {
        return new JobRun(new CompletableFuture<>());
    }

    @Test
    void aCompileThatWouldNeverEndFailsAtTheDeadlineAndItsThreadComesBack() throws Exception {
        DeadlineCompiler compiler = new DeadlineCompiler(new SimulatedCompiler(Duration.ofMillis(10)), pool, watchdog,
            Duration.ofMillis(300), metrics);
        long start = System.nanoTime();

        DeadlineCompiler.Compiled hung = compiler.compile(run(), "j", model("hang-forever"), TARGET).get(10, TimeUnit.SECONDS);

        assertTrue(hung.outcome().isEmpty());
        assertEquals("compiling hang-forever for target u55 took longer than the target deadline of 0 s", hung.failure());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos());
        // The single compile thread is free again: the next target compiles.
        DeadlineCompiler.Compiled next = compiler.compile(run(), "j", model("kws"), TARGET).get(10, TimeUnit.SECONDS);
        assertTrue(next.outcome().isPresent(), next.failure());
        assertEquals(0, compiler.stuck());
    }

    @Test
    void aCompileThatIgnoresItsCancellationStillFailsAtTheDeadlineAndCountsAsStuck() throws Exception {
        DeadlineCompiler compiler = new DeadlineCompiler(new SimulatedCompiler(Duration.ofMillis(10)), pool, watchdog,
            Duration.ofMillis(200), metrics, Duration.ofMillis(400));

        DeadlineCompiler.Compiled stubborn = compiler.compile(run(), "j", model("stubborn"), TARGET)
            .get(10, TimeUnit.SECONDS);

        assertTrue(stubborn.failure().contains("took longer than the target deadline"), stubborn.failure());
        Thread.sleep(600);
        assertEquals(1, compiler.stuck());
    }

    @Test
    void aJobHandedBackCancelsItsRunningCompileAndSkipsTheOnesNotStarted() throws Exception {
        DeadlineCompiler compiler = new DeadlineCompiler(new SimulatedCompiler(Duration.ofMillis(10)), pool, watchdog,
            Duration.ofMinutes(5), metrics);
        JobRun run = run();
        CompletableFuture<DeadlineCompiler.Compiled> running = compiler.compile(run, "j", model("hang-forever"), TARGET);
        CompletableFuture<DeadlineCompiler.Compiled> queued = compiler.compile(run, "j", model("kws"), TARGET);
        Thread.sleep(100);

        run.cancel("the partition moved");

        assertEquals("cancelled: the partition moved", running.get(10, TimeUnit.SECONDS).failure());
        assertEquals("cancelled", queued.get(10, TimeUnit.SECONDS).failure());
    }
}
