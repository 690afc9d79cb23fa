package npuc.bench;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Sweeps in one JVM on all cores, one session per sweep: {@code standardTargets} compiles the rows of
 * summary.csv (every model of the shared folder on the five standard targets), {@code arenaSizes} those of
 * dse.csv (eight arena sizes from 32 KiB to 2 MiB, four models, two targets). The time of one whole sweep.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SweepBenchmark {
    @Param("")
    public String shared;
    /** Only the rows of these models (comma-separated); all rows when empty. */
    @Param("")
    public String models;

    private Sweep standard;
    private Sweep arena;

    @Setup
    public void setUp() {
        int threads = Runtime.getRuntime().availableProcessors();
        standard = new Sweep(ReferenceRows.summary(Path.of(shared)).only(models), threads);
        arena = new Sweep(ReferenceRows.arenaSweep(Path.of(shared)).only(models), threads);
    }

    @Benchmark
    public int standardTargets() throws Exception {
        return standard.run();
    }

    @Benchmark
    public int arenaSizes() throws Exception {
        return arena.run();
    }

    @TearDown
    public void tearDown() {
        standard.close();
        arena.close();
    }
}
