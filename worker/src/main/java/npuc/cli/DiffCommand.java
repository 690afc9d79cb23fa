package npuc.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import npuc.diff.DiffReports;
import npuc.diff.SweepDiff;
import npuc.diff.Thresholds;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code npuc diff BASELINE CURRENT}: two sweeps compared, exit 1 on any regression. */
@Command(name = "diff", mixinStandardHelpOptions = true,
    description = "Compare two sweeps (output folders or their sweep.csv): print the changes, write diff.md, "
        + "diff.html and JUnit XML, and exit 1 on any regression.")
public final class DiffCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "BASELINE", description = "The sweep to compare against.")
    Path baseline;

    @Parameters(index = "1", paramLabel = "CURRENT", description = "The sweep to check.")
    Path current;

    @Option(names = "--threshold", split = ",", paramLabel = "METRIC=AMOUNT",
        description = "How far a figure may move before it counts: cycles, time (ms), sram, dram (KiB), npu_ops, cpu_ops; "
            + "an amount in the unit or a percentage, e.g. cycles=1%,sram=0. Default: any change counts.")
    Map<String, String> thresholds = new LinkedHashMap<>();

    @Option(names = "--per-layer", description = "Name the operators whose cycles changed, where both sweeps kept per-layer tables.")
    boolean perLayer;

    @Option(names = "--output-dir", paramLabel = "DIR",
        description = "Where diff.md, diff.html and diff-junit.xml go; default: CURRENT's folder.")
    Path outputDir;

    @Override
    public Integer call() throws Exception {
        Thresholds limits;
        try {
            limits = Thresholds.of(thresholds);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--threshold: " + e.getMessage());
        }
        SweepDiff.Side before = SweepDiff.Side.read(baseline);
        SweepDiff.Side after = SweepDiff.Side.read(current);
        SweepDiff diff = SweepDiff.compare(before, after, limits, perLayer);
        Path dir = outputDir != null ? outputDir : after.folder();
        Files.createDirectories(dir);
        DiffReports.markdown(diff, dir.resolve(DiffReports.MARKDOWN));
        DiffReports.html(diff, dir.resolve(DiffReports.HTML));
        DiffReports.junit(diff, dir.resolve(DiffReports.JUNIT));
        PrintWriter out = spec.commandLine().getOut();
        DiffReports.print(diff, out);
        out.printf("diff: wrote %s, %s and %s%n", dir.resolve(DiffReports.MARKDOWN), dir.resolve(DiffReports.HTML),
            dir.resolve(DiffReports.JUNIT));
        out.flush();
        return diff.hasRegressions() ? Main.EXIT_BAD_INPUT : Main.EXIT_OK;
    }
}
