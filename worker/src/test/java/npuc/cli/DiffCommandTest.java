package npuc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import npuc.diff.DiffReports;
import npuc.sweep.PointResult;
import npuc.sweep.SweepCsv;
import npuc.sweep.SweepFolder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class DiffCommandTest {
    @TempDir
    static Path dir;

    /** Tonight's and last night's sweep of the same compiler and options. */
    static Path baseline;
    static Path same;

    @BeforeAll
    static void sweeps() throws Exception {
        Path models = SweepCommandTest.builtModels(dir);
        baseline = dir.resolve("baseline");
        same = dir.resolve("same");
        for (Path out : List.of(baseline, same)) {
            SweepCommandTest.Run r = SweepCommandTest.run(new SweepCommandTest.CountingCompiler(), "sweep",
                "--models", models.toString(), "--target", SweepCommandTest.U55, "--target", SweepCommandTest.U65_SIZE,
                "--arena-sizes", "64KiB,256KiB", "--per-layer", "--output-dir", out.toString());
            assertEquals(0, r.exitCode(), r.err());
        }
    }

    private static SweepCommandTest.Run diff(String... args) {
        List<String> all = new ArrayList<>(List.of("diff"));
        all.addAll(List.of(args));
        return SweepCommandTest.run(new SweepCommandTest.CountingCompiler(), all.toArray(String[]::new));
    }

    private static Document junit(Path folder) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(folder.resolve(DiffReports.JUNIT).toFile());
    }

    @Test
    void twoIdenticalSweepsPass() throws Exception {
        SweepCommandTest.Run r = diff(baseline.toString(), same.resolve("sweep.csv").toString(), "--per-layer");

        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("diff: 8 points matched: 0 regressions, 0 improvements, 8 unchanged"), r.out());
        Element suite = junit(same).getDocumentElement();
        assertEquals("8", suite.getAttribute("tests"));
        assertEquals("0", suite.getAttribute("failures"));
        assertTrue(Files.readString(same.resolve(DiffReports.MARKDOWN)).contains("0 regressions"));
        assertTrue(Files.readString(same.resolve(DiffReports.HTML)).contains("0 regressions"));
    }

    @Test
    void aRegressionPlantedByAChangedOptionFailsTheDiff() throws Exception {
        Path models = dir.resolve("models");
        Path linear = dir.resolve("linear");
        SweepCommandTest.Run sweep = SweepCommandTest.run(new SweepCommandTest.CountingCompiler(), "sweep",
            "--models", models.toString(), "--target", SweepCommandTest.U55, "--target", SweepCommandTest.U65_SIZE,
            "--arena-sizes", "64KiB,256KiB", "--option", "tensor-allocator=LinearAlloc", "--output-dir", linear.toString());
        assertEquals(0, sweep.exitCode(), sweep.err());
        Path reports = dir.resolve("reports");

        SweepCommandTest.Run r = diff(baseline.toString(), linear.toString(), "--output-dir", reports.toString());

        assertEquals(1, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("regression") && r.out().contains("sram +"), r.out());
        assertFalse(r.out().contains(" 0 regressions"), r.out());
        Document xml = junit(reports);
        NodeList failures = xml.getElementsByTagName("failure");
        assertTrue(failures.getLength() > 0);
        assertEquals(Integer.toString(failures.getLength()), xml.getDocumentElement().getAttribute("failures"));
        assertTrue(((Element) failures.item(0)).getAttribute("message").contains("sram"));
        assertTrue(Files.readString(reports.resolve(DiffReports.MARKDOWN)).contains("## Regressions"));
        assertTrue(Files.readString(reports.resolve(DiffReports.HTML)).contains("Regressions"));

        SweepCommandTest.Run lenient = diff(baseline.toString(), linear.toString(), "--threshold", "sram=1000%,dram=1000%",
            "--output-dir", reports.toString());
        assertEquals(0, lenient.exitCode(), "within a generous threshold: " + lenient.out());
    }

    @Test
    void perLayerNamesTheOperatorWhoseCyclesChanged() throws Exception {
        Path edited = dir.resolve("edited");
        copy(same, edited);
        // One operator's cycles planted in the current sweep's table, and the total with it.
        List<PointResult> rows = SweepCsv.read(edited.resolve("sweep.csv"));
        PointResult point = rows.get(0);
        Path table = SweepFolder.perLayerFile(edited, point.key());
        List<String> lines = new ArrayList<>(Files.readAllLines(table));
        String[] cells = lines.get(1).split(",", -1);
        String operator = cells[14];
        double cycles = Double.parseDouble(cells[4]);
        cells[4] = Double.toString(cycles + 5000);
        lines.set(1, String.join(",", cells));
        Files.write(table, lines);
        List<String> csv = new ArrayList<>(Files.readAllLines(edited.resolve("sweep.csv")));
        String total = point.metrics().get("cycles_total");
        csv.set(1, csv.get(1).replace("," + total + ",", "," + (Double.parseDouble(total) + 5000) + ","));
        Files.write(edited.resolve("sweep.csv"), csv);

        SweepCommandTest.Run r = diff(baseline.toString(), edited.toString(), "--per-layer");

        assertEquals(1, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains(operator) && r.out().contains(" -> "), r.out());
        assertTrue(r.out().contains("diff: 8 points matched: 1 regressions"), r.out());
    }

    @Test
    void aFolderWithoutASweepIsAClearError() {
        SweepCommandTest.Run r = diff(dir.resolve("nothing").toString(), same.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("no sweep here"), r.err());
    }

    private static void copy(Path from, Path to) throws Exception {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }
}
