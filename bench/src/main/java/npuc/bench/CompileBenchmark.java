package npuc.bench;

import java.nio.file.Files;
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

import npuc.BadInputException;
import npuc.CompileResult;
import npuc.CompileSession;
import npuc.Compiler;
import npuc.graph.Graph;
import npuc.tflite.TfliteReader;

/**
 * A whole compile of one model for one standard target, warm (JIT-compiled), on one thread: the parsed
 * model in, the optimised model's bytes out. {@code alone} starts every compile with an empty session, as a
 * single {@code npuc compile} does; {@code inSweep} shares one session across compiles, as the targets of a
 * sweep share the work that does not depend on the arena or strategy.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CompileBenchmark {
    @Param("")
    public String shared;
    @Param("mobilenet_v2_1.0_224_quant")
    public String model;
    @Param("ethos-u55-128")
    public String accelerator;

    private Graph graph;
    private ReferenceRows.Row row;
    private CompileSession sweep;

    @Setup
    public void setUp() throws Exception {
        Path root = Path.of(shared);
        row = ReferenceRows.summary(root).find(model, accelerator)
                .orElseThrow(() -> new IllegalArgumentException("no reference row " + model + " " + accelerator));
        graph = TfliteReader.read(Files.readAllBytes(row.modelFile(root)));
        sweep = CompileSession.create();
    }

    @Benchmark
    public byte[] alone() throws BadInputException {
        return compile(CompileSession.create());
    }

    @Benchmark
    public byte[] inSweep() throws BadInputException {
        return compile(sweep);
    }

    private byte[] compile(CompileSession session) throws BadInputException {
        CompileResult r = Compiler.compile(model, graph, row.target(), row.options(), session);
        return Sweep.outputOf(r, graph);
    }
}
