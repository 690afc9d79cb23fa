package npuc.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import npuc.cli.Main;
import npuc.tflite.ModelBuilder;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The sweep report as a person opens it: from disk, in a real Chromium (the OS's package, driven through
 * its chromedriver), with no network. It must load without a console error, and its charts must hold the
 * sweep's figures. Skipped, saying why, where no browser is installed.
 */
class ReportBrowserTest {
    @TempDir
    Path dir;

    /** An executable named by a system property or environment variable, else the first name on the PATH. */
    static Optional<Path> executable(String property, String variable, String... names) {
        for (String given : new String[] {System.getProperty(property), System.getenv(variable)}) {
            if (given != null && Files.isExecutable(Path.of(given))) {
                return Optional.of(Path.of(given));
            }
        }
        String path = System.getenv("PATH");
        for (String name : names) {
            for (String folder : path == null ? new String[0] : path.split(java.io.File.pathSeparator)) {
                Path candidate = Path.of(folder, name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    private Path sweep() throws Exception {
        Path models = Files.createDirectories(dir.resolve("models"));
        Files.write(models.resolve("kws.tflite"), ModelBuilder.keywordSpotting().toBytes());
        Files.write(models.resolve("mobilenet_block.tflite"), ModelBuilder.mobileNetBlock().toBytes());
        Files.write(models.resolve("broken.tflite"), "not a flatbuffer".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Path out = dir.resolve("sweep");
        StringWriter text = new StringWriter();
        int exit = Main.run(new String[] {"sweep", "--models", models.toString(),
            "--target", "ethos-u55-128:Ethos_U55_High_End_Embedded:Shared_Sram",
            "--target", "ethos-u65-256:Ethos_U65_High_End:Dedicated_Sram:Size",
            "--target", "ethos-u65-256:Ethos_U65_High_End:Dedicated_Sram:Performance",
            "--arena-sizes", "16KiB..256KiB*4", "--output-dir", out.toString()},
            new PrintWriter(text, true), new PrintWriter(text, true));
        assertEquals(1, exit, "the broken model's points fail: " + text);
        return out;
    }

    @Test
    void theReportLoadsWithoutConsoleErrorsAndItsChartsHoldTheSweep() throws Exception {
        Optional<Path> chromium = executable("npuc.chromium", "NPUC_CHROMIUM", "chromium", "chromium-browser", "google-chrome");
        Optional<Path> chromedriver = executable("npuc.chromedriver", "NPUC_CHROMEDRIVER", "chromedriver");
        Assumptions.assumeTrue(chromium.isPresent() && chromedriver.isPresent(),
            "skipped: no Chromium and chromedriver (Debian: apt-get install chromium chromium-driver; or set "
                + "NPUC_CHROMIUM and NPUC_CHROMEDRIVER)");
        Path out = sweep();
        List<PointResult> points = SweepCsv.read(out.resolve(SweepCsv.FILE_NAME));

        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.get().toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--window-size=1400,1800", "--user-data-dir=" + Files.createDirectories(dir.resolve("profile")));
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, java.util.logging.Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
            .usingDriverExecutable(chromedriver.get().toFile()).usingAnyFreePort().build();
        ChromeDriver browser = new ChromeDriver(service, options);
        try {
            browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
            browser.get(out.resolve(SweepReport.FILE_NAME).toUri().toString());
            JavascriptExecutor js = browser;
            js.executeScript("npucReport.renderAll();");

            List<String> errors = new ArrayList<>();
            for (LogEntry entry : browser.manage().logs().get(LogType.BROWSER)) {
                if (entry.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
                    errors.add(entry.getLevel() + " " + entry.getMessage());
                }
            }
            assertEquals(List.of(), errors, "console errors and warnings");

            @SuppressWarnings("unchecked")
            List<Map<String, Object>> charts = (List<Map<String, Object>>) js.executeScript(
                "return npucReport.data.panels.map(function (p) {"
                    + "  var option = echarts.getInstanceByDom(document.getElementById('chart-' + p.id)).getOption();"
                    + "  return {model: p.model, target: p.target, series: option.series.map(function (s) {"
                    + "    return {name: s.name, data: s.data.map(function (d) { return Array.isArray(d) ? d : d.value; })};"
                    + "  })};"
                    + "});");
            assertEquals(6, charts.size(), "three models × two devices, the two strategies of one device in one chart");
            for (PointResult p : points) {
                Map<String, Object> chart = charts.stream()
                    .filter(c -> c.get("model").equals(p.key().model()) && c.get("target").equals(p.key().target()))
                    .findFirst().orElseThrow(() -> new AssertionError("no chart for " + p.key()));
                double arenaKib = p.key().arenaSize() / 1024.0;
                if (p.status() == PointStatus.OK) {
                    assertTrue(holds(chart, "time · " + p.key().strategy(), arenaKib,
                        p.metric(Curve.INFERENCE_TIME).getAsDouble() * 1000), p.key() + " time in " + chart);
                    assertTrue(holds(chart, "SRAM · " + p.key().strategy(), arenaKib,
                        p.metric(Curve.SRAM_USED).getAsDouble()), p.key() + " SRAM in " + chart);
                } else {
                    String series = (p.status() == PointStatus.DOES_NOT_FIT ? "does not fit · " : "failed · ")
                        + p.key().strategy();
                    assertTrue(holds(chart, series, arenaKib, 0), p.key() + " " + p.status() + " in " + chart);
                }
            }

            List<WebElement> rows = browser.findElements(By.cssSelector("#headline-table tbody tr"));
            assertEquals(Curve.of(points).size(), rows.size(), "one headline row per model × target × strategy");
            WebElement bestTime = browser.findElements(By.cssSelector("#headline-table th")).stream()
                .filter(th -> th.getText().startsWith("best time")).findFirst().orElseThrow();
            bestTime.click();
            List<Double> sorted = new ArrayList<>();
            for (WebElement row : browser.findElements(By.cssSelector("#headline-table tbody tr"))) {
                String v = row.findElements(By.tagName("td")).get(10).getAttribute("data-value");
                if (!v.isEmpty()) {
                    sorted.add(Double.parseDouble(v));
                }
            }
            assertEquals(sorted.stream().sorted().toList(), sorted, "sorted by best time");
            String failures = browser.findElement(By.id("failure-list")).getText();
            assertTrue(failures.contains("FAILED") && failures.contains("broken"), failures);

            Path screenshot = Path.of("target", "report-browser-test.png");
            Files.createDirectories(screenshot.getParent());
            Files.write(screenshot, browser.getScreenshotAs(OutputType.BYTES));
        } finally {
            browser.quit();
        }
    }

    /** Whether the chart's series of that name has a point at (x, y). */
    private static boolean holds(Map<String, Object> chart, String series, double x, double y) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> all = (List<Map<String, Object>>) chart.get("series");
        return all.stream().filter(s -> s.get("name").equals(series)).flatMap(s -> {
            @SuppressWarnings("unchecked")
            List<List<Number>> data = (List<List<Number>>) s.get("data");
            return data.stream();
        }).anyMatch(d -> Math.abs(d.get(0).doubleValue() - x) < 1e-9
            && Math.abs(d.get(1).doubleValue() - y) <= 1e-9 * Math.max(1, Math.abs(y)));
    }
}
