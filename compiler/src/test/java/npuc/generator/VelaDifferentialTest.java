package npuc.generator;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import npuc.SharedData;
import npuc.graph.Graph;

/**
 * Generated models compiled by npuc and by Vela 3.10 on the five standard targets, compared on completion, CPU
 * and NPU operator counts, every summary column, the flash tensor (encoded weights, biases, tables) and the
 * command stream word by word. Each class of difference is reduced, on its first model, to the smallest script
 * that still differs; {@code target/difftest/} gets every row ({@code rows.csv}) and each class with its
 * reduced ModelBuilder code ({@code differences.md}).
 *
 * <p>Skipped, saying why, where no Vela is installed (see {@link VelaDriver}). {@code -Dnpuc.difftest.models=N}
 * (default {@value #DEFAULT_MODELS}), {@code -Dnpuc.difftest.seed=S} and {@code -Dnpuc.difftest.workers=W}
 * (default 1, each with its own Vela process) size a campaign.
 */
class VelaDifferentialTest {
    static final int DEFAULT_MODELS = 40;
    static final int REDUCTION_BUDGET = 150;

    /** What a worker keeps between models: its Vela process and scratch folder. */
    private record Worker(VelaDriver vela, Path dir) {
    }

    /** One compared (model, target). */
    record Row(long seed, StandardTarget target, String npuc, String vela, Optional<Differences> difference) {
    }

    @Test
    void npucEqualsVelaOnGeneratedModels() throws Exception {
        Optional<String> missing = VelaDriver.unavailable();
        Assumptions.assumeTrue(missing.isEmpty(), missing.orElse(""));
        int models = Integer.getInteger("npuc.difftest.models", DEFAULT_MODELS);
        long first = Long.getLong("npuc.difftest.seed", 1_000_000L);
        int workers = Integer.getInteger("npuc.difftest.workers", 1);
        Path out = SharedData.repositoryRoot().resolve("compiler").resolve("target").resolve("difftest");
        Files.createDirectories(out);
        Path velaIni = out.resolve("vela.ini");
        try (InputStream in = getClass().getResourceAsStream("/npuc/arch/vela.ini")) {
            Files.copy(in, velaIni, StandardCopyOption.REPLACE_EXISTING);
        }

        Map<String, String> reduced = new ConcurrentHashMap<>();
        List<Row> rows = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicLong next = new AtomicLong(first);
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        List<Future<?>> running = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            Path dir = Files.createDirectories(out.resolve("worker-" + w));
            running.add(pool.submit(() -> {
                Worker worker = new Worker(VelaDriver.start(dir), dir);
                try {
                    for (long seed = next.getAndIncrement(); seed < first + models; seed = next.getAndIncrement()) {
                        compare(seed, worker, velaIni, rows, reduced);
                    }
                } finally {
                    worker.vela().close();
                }
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        pool.shutdown();
        String report = write(out, rows, reduced);
        System.out.println(report);
        long differing = rows.stream().filter(r -> r.difference().isPresent() && !accepted(r)).count();
        assertTrue(differing == 0, report);
    }

    private static void compare(long seed, Worker worker, Path velaIni, List<Row> rows, Map<String, String> reduced)
            throws IOException {
        ModelScript script = ModelGenerator.generate(seed);
        Graph model = script.build();
        for (StandardTarget target : StandardTarget.ALL) {
            CompileRun npuc = CompileRun.npuc(script.header().name(), model, target);
            CompileRun vela = CompileRun.vela(worker.vela(), velaIni, script.header().name(), model, target,
                    worker.dir());
            Optional<Differences> d = Differences.of(npuc, vela);
            Row row = new Row(seed, target, npuc.kind(), vela.kind(), d);
            rows.add(row);
            if (d.isPresent() && !accepted(row)) {
                // One reduction per class: the first target it is met on.
                if (reduced.putIfAbsent(d.get().kind(), "") == null) {
                    reduced.put(d.get().kind(), "on " + target + ": " + reduce(script, target, d.get(), worker,
                            velaIni));
                }
            }
        }
    }

    /**
     * Differences that are npuc's documented choice, not a mismatch: where Vela stops with an error a user cannot
     * act on, npuc compiles (with a warning) or stops with a clear error; where Vela crashes, npuc completes or
     * stops with a clear error.
     */
    static boolean accepted(Row r) {
        boolean npucClear = !r.npuc().startsWith("crash");
        return npucClear && (r.vela().startsWith("crash") || r.vela().startsWith("error"));
    }

    private static String reduce(ModelScript script, StandardTarget target, Differences d, Worker worker,
            Path velaIni) {
        ModelScript small = ScriptReducer.reduce(script, s -> {
            Graph g = s.build();
            try {
                Optional<Differences> e = Differences.of(CompileRun.npuc(s.header().name(), g, target),
                        CompileRun.vela(worker.vela(), velaIni, s.header().name(), g, target, worker.dir()));
                return e.isPresent() && e.get().kind().equals(d.kind());
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }, REDUCTION_BUDGET);
        return d.detail() + "\n\nreduced to " + small.operatorCount() + " of " + script.operatorCount()
                + " operators:\n```java\n" + small.javaSource() + "```\n";
    }

    private static String write(Path out, List<Row> rows, Map<String, String> reduced) throws IOException {
        List<Row> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparingLong(Row::seed).thenComparing(r -> r.target().toString()));
        StringBuilder csv = new StringBuilder("seed,target,npuc,vela,difference,accepted\n");
        Map<String, List<Row>> classes = new LinkedHashMap<>();
        for (Row r : sorted) {
            String kind = r.difference().map(Differences::kind).orElse("");
            csv.append(r.seed()).append(',').append(r.target()).append(',').append(q(r.npuc())).append(',')
                    .append(q(r.vela())).append(',').append(q(kind)).append(',').append(accepted(r)).append('\n');
            if (!kind.isEmpty()) {
                classes.computeIfAbsent((accepted(r) ? "accepted: " : "") + kind, k -> new ArrayList<>()).add(r);
            }
        }
        Files.writeString(out.resolve("rows.csv"), csv);
        long models = sorted.stream().map(Row::seed).distinct().count();
        StringBuilder md = new StringBuilder("# npuc against Vela on " + models + " generated models, "
                + sorted.size() + " compiles\n\n");
        classes.entrySet().stream().sorted((a, b) -> b.getValue().size() - a.getValue().size()).forEach(e -> {
            List<Row> rs = e.getValue();
            md.append("## ").append(e.getKey()).append(": ").append(rs.size()).append(" compiles, ")
                    .append(rs.stream().map(Row::seed).distinct().count()).append(" models\n\n");
            md.append("e.g. ").append(String.join(", ", rs.stream().limit(5).map(r -> r.seed() + " " + r.target())
                    .toList())).append("\n\n");
            String text = reduced.get(e.getKey());
            if (text != null && !text.isEmpty()) {
                md.append(text).append('\n');
            }
            if (e.getKey().startsWith("accepted")) {
                md.append(rs.get(0).difference().get().detail()).append("\n\n");
            }
        });
        Files.writeString(out.resolve("differences.md"), md);
        long differing = sorted.stream().filter(r -> r.difference().isPresent() && !accepted(r)).count();
        return "compared " + models + " models, " + sorted.size() + " compiles: " + differing + " differ, "
                + sorted.stream().filter(r -> r.difference().isPresent() && accepted(r)).count()
                + " differ as npuc documents; " + classes.size() + " classes (see " + out.resolve("differences.md")
                + ")";
    }

    private static String q(String s) {
        return "\"" + s.replace("\"", "\"\"").replace("\n", " ") + "\"";
    }
}
