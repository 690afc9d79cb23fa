package npuc.generator;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * An installed Vela run in-process by a Python driver ({@code vela_driver.py}), many compiles per process. Where
 * Vela is comes from settings: {@code NPUC_VELA_HOME} (or {@code -Dnpuc.vela.home}), a directory holding the
 * {@code ethosu} package, is put on the driver's {@code PYTHONPATH}; {@code NPUC_VELA_PYTHON} (or
 * {@code -Dnpuc.vela.python}, default {@code python3}) is the interpreter. Without either setting there is no
 * Vela to compare with.
 */
final class VelaDriver implements AutoCloseable {
    /** The reference version: differences from any other Vela are not npuc's to fix. */
    static final String REFERENCE_VERSION = "3.10";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What one Vela compile answered. */
    record Answer(int rc, double seconds, String output, Optional<String> crash) {
    }

    private final Process process;
    private final BufferedWriter requests;
    private final BufferedReader answers;
    private final String version;

    private VelaDriver(Process process, String version) {
        this.process = process;
        this.requests = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.version = version;
    }

    private static String setting(String property, String variable) {
        String v = System.getProperty(property);
        return v != null && !v.isBlank() ? v : System.getenv(variable);
    }

    /** Why no Vela can be run here, or empty when the settings name one. */
    static Optional<String> unavailable() {
        if (setting("npuc.vela.home", "NPUC_VELA_HOME") == null
                && setting("npuc.vela.python", "NPUC_VELA_PYTHON") == null) {
            return Optional.of("no Vela " + REFERENCE_VERSION + " to compare with: set NPUC_VELA_HOME to a directory "
                    + "holding its ethosu package, or NPUC_VELA_PYTHON to a Python that imports ethosu.vela");
        }
        return Optional.empty();
    }

    /** Starts a driver; throws with the driver's reason when Vela does not import or is not the reference. */
    static VelaDriver start(Path workDir) throws IOException {
        Path script = workDir.resolve("vela_driver.py");
        try (InputStream in = VelaDriver.class.getResourceAsStream("/npuc/difftest/vela_driver.py")) {
            Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        String python = setting("npuc.vela.python", "NPUC_VELA_PYTHON");
        ProcessBuilder pb = new ProcessBuilder(python != null ? python : "python3", script.toString());
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        String home = setting("npuc.vela.home", "NPUC_VELA_HOME");
        if (home != null) {
            Map<String, String> env = pb.environment();
            String path = env.get("PYTHONPATH");
            env.put("PYTHONPATH", path == null || path.isEmpty() ? home : home + java.io.File.pathSeparator + path);
        }
        Process p = pb.start();
        VelaDriver driver = new VelaDriver(p, null);
        JsonNode hello = driver.read(120);
        if (hello == null || !hello.path("ready").asBoolean()) {
            driver.close();
            throw new IOException("Vela does not start: " + (hello == null ? "no answer" : hello.path("reason").asText()));
        }
        String version = hello.path("version").asText();
        if (!version.startsWith(REFERENCE_VERSION)) {
            driver.close();
            throw new IOException("Vela " + version + " is installed; the reference is Vela " + REFERENCE_VERSION);
        }
        return new VelaDriver(p, version);
    }

    String version() {
        return version;
    }

    /** Runs Vela with these command-line arguments; null when the driver died or stopped answering. */
    Answer compile(List<String> args, int timeoutSeconds) throws IOException {
        requests.write(JSON.writeValueAsString(Map.of("args", args, "timeout", timeoutSeconds)));
        requests.newLine();
        requests.flush();
        JsonNode a = read(timeoutSeconds + 30);
        if (a == null) {
            return null;
        }
        JsonNode crash = a.path("crash");
        Optional<String> crashed = crash.isObject()
                ? Optional.of(crash.path("type").asText() + "@" + crash.path("site").asText() + ": "
                        + crash.path("message").asText())
                : Optional.empty();
        return new Answer(a.path("rc").asInt(), a.path("seconds").asDouble(), a.path("output").asText(), crashed);
    }

    private JsonNode read(int timeoutSeconds) throws IOException {
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return answers.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        try {
            String text = line.get(timeoutSeconds, TimeUnit.SECONDS);
            return text == null ? null : JSON.readTree(text);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
