package npuc.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Installed Vela releases, run side by side with the benchmarks. Each is found through a setting, a system
 * property or else an environment variable naming its command: {@code npuc.vela} / {@code NPUC_VELA} for
 * Vela 3.10 and {@code npuc.vela5} / {@code NPUC_VELA5} for Vela 5.1. Their encoders are imported from the
 * folder holding the release's {@code ethosu} package: {@code npuc.vela.home} / {@code NPUC_VELA_HOME} (and
 * {@code ...5...}), by default the command's own folder when it holds one.
 */
record VelaCommands(Optional<Release> vela3, Optional<Release> vela5) {

    /** One installed release: its command and the folder of its Python package, if found. */
    record Release(String name, Path command, Optional<Path> home) {
    }

    static VelaCommands fromSettings() {
        return new VelaCommands(release("vela-3.10", "npuc.vela", "NPUC_VELA"),
                release("vela-5.1", "npuc.vela5", "NPUC_VELA5"));
    }

    private static Optional<Release> release(String name, String property, String variable) {
        Optional<Path> command = setting(property, variable).map(Path::of).filter(Files::isExecutable);
        if (command.isEmpty()) {
            return Optional.empty();
        }
        String homeProperty = property + ".home";
        String homeVariable = variable + "_HOME";
        Optional<Path> home = setting(homeProperty, homeVariable).map(Path::of)
                .or(() -> Optional.ofNullable(command.get().toAbsolutePath().getParent()))
                .filter(p -> Files.isDirectory(p.resolve("ethosu")));
        return Optional.of(new Release(name, command.get(), home));
    }

    private static Optional<String> setting(String property, String variable) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            v = System.getenv(variable);
        }
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v);
    }

    List<Release> installed() {
        List<Release> out = new ArrayList<>();
        vela3.ifPresent(out::add);
        vela5.ifPresent(out::add);
        return out;
    }

    /** Seconds of each row and of the whole run, with {@code parallel} Vela processes at a time. */
    record Run(Map<ReferenceRows.Row, Double> rowSeconds, double wallSeconds, int failures) {
    }

    /** Runs {@code release} on every row, {@code parallel} processes at a time, each into its own folder. */
    static Run run(Release release, ReferenceRows rows, int parallel, Path scratch) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        try {
            Map<ReferenceRows.Row, Future<Double>> futures = new LinkedHashMap<>();
            long start = System.nanoTime();
            int index = 0;
            for (ReferenceRows.Row row : rows.rows()) {
                Path out = scratch.resolve(release.name() + "-" + index++);
                futures.put(row, pool.submit(() -> runOne(release, rows.shared(), row, out)));
            }
            Map<ReferenceRows.Row, Double> seconds = new LinkedHashMap<>();
            int failures = 0;
            for (Map.Entry<ReferenceRows.Row, Future<Double>> e : futures.entrySet()) {
                double s = e.getValue().get();
                failures += s < 0 ? 1 : 0;
                seconds.put(e.getKey(), Math.abs(s));
            }
            return new Run(seconds, (System.nanoTime() - start) / 1e9, failures);
        } finally {
            pool.shutdownNow();
        }
    }

    /** The seconds one process took; negative when it failed. */
    private static double runOne(Release release, Path shared, ReferenceRows.Row row, Path out)
            throws IOException, InterruptedException {
        Files.createDirectories(out);
        List<String> command = new ArrayList<>();
        command.add(release.command().toString());
        command.addAll(row.velaArguments(shared, out));
        long start = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(out.resolve("output.txt").toFile()).start();
        int exit = p.waitFor();
        double seconds = (System.nanoTime() - start) / 1e9;
        return exit == 0 ? seconds : -seconds;
    }
}
