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
import org.openjdk.jmh.infra.Blackhole;

import npuc.weights.WeightEncodingException;

/**
 * Weight encoding of one model: every operation's weights ordered into bricks and compressed (see
 * {@link WeightWorkload}), on one thread. The time of one pass over the model; weights per second follow from
 * the model's weight count, which {@link BenchMain} prints beside the result.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class WeightEncodingBenchmark {
    @Param("")
    public String shared;
    @Param("mobilenet_v2_1.0_224_quant")
    public String model;

    private WeightWorkload workload;

    @Setup
    public void setUp() throws Exception {
        workload = WeightWorkload.of(ReferenceRows.summary(Path.of(shared)), model);
    }

    @Benchmark
    public void encodeModel(Blackhole bh) throws WeightEncodingException {
        for (WeightWorkload.Encoding e : workload.encodings()) {
            bh.consume(e.encode());
        }
    }
}
