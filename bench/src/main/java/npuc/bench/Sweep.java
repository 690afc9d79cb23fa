package npuc.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import npuc.BadInputException;
import npuc.CompileResult;
import npuc.CompileSession;
import npuc.Compiler;
import npuc.graph.Graph;
import npuc.tflite.OptimisedModelException;
import npuc.tflite.TfliteReader;

/**
 * Compiles reference rows in one JVM on a pool of threads, all sharing one {@link CompileSession}: a sweep
 * as {@code npuc sweep} or a worker runs one. Each compile produces what the command line writes (the
 * optimised model, else the summary); rows npuc rejects as bad input count as done, as a failed Vela run does.
 */
final class Sweep implements AutoCloseable {
    private final List<ReferenceRows.Row> rows;
    private final Map<String, Graph> graphs = new HashMap<>();
    private final ExecutorService pool;

    Sweep(ReferenceRows reference, int threads) {
        this.rows = reference.rows();
        for (String model : reference.models()) {
            Path file = reference.shared().resolve("models").resolve(model + ".tflite");
            try {
                graphs.put(model, TfliteReader.read(Files.readAllBytes(file)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (BadInputException e) {
                throw new IllegalStateException(file + ": " + e.getMessage(), e);
            }
        }
        pool = Executors.newFixedThreadPool(threads);
    }

    /** Runs every row once with a new session; returns how many compiled. */
    int run() throws InterruptedException, ExecutionException {
        CompileSession session = CompileSession.create();
        List<Future<Boolean>> done = new ArrayList<>();
        for (ReferenceRows.Row row : rows) {
            done.add(pool.submit(() -> compile(row, session)));
        }
        int ok = 0;
        for (Future<Boolean> f : done) {
            ok += f.get() ? 1 : 0;
        }
        return ok;
    }

    private boolean compile(ReferenceRows.Row row, CompileSession session) {
        Graph graph = graphs.get(row.model());
        try {
            outputOf(Compiler.compile(row.model(), graph, row.target(), row.options(), session), graph);
            return true;
        } catch (BadInputException e) {
            return false;
        }
    }

    /** What a compile writes: the optimised model, or the summary where the model cannot be laid out. */
    static byte[] outputOf(CompileResult result, Graph graph) {
        try {
            return result.optimisedModel(graph);
        } catch (OptimisedModelException e) {
            return result.summary().toCsv().getBytes(StandardCharsets.UTF_8);
        }
    }

    int size() {
        return rows.size();
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
