package npuc.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The training run the build makes the class-data archive (or ahead-of-time cache) from: the command lines a
 * user runs, on the example models the project builds, so the classes they load are archived. Run by the
 * package phase as {@code java -XX:ArchiveClassesAtExit=npuc.jsa -cp npuc.jar npuc.cli.CdsTraining DIR}.
 * A failing training compile is reported and does not stop the build: the archive then holds fewer classes.
 */
public final class CdsTraining {
    private CdsTraining() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "cds-training");
        Files.createDirectories(dir);
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream(), false, "UTF-8");
        List<String> failed = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : ExampleCommand.builtModels().entrySet()) {
            Path model = dir.resolve(e.getKey() + ".tflite");
            Files.write(model, e.getValue());
            String out = dir.resolve("out").toString();
            List<List<String>> commands = List.of(
                    List.of(model.toString(), "--output-dir", out),
                    List.of(model.toString(), "--output-dir", out, "--verbose-all", "--enable-debug-db", "--timing",
                            "--show-subgraph-io-summary", "--show-cpu-operations"),
                    List.of(model.toString(), "--output-dir", out, "--accelerator-config", "ethos-u55-128",
                            "--system-config", "Ethos_U55_High_End_Embedded", "--memory-mode", "Shared_Sram"),
                    List.of(model.toString(), "--output-dir", out, "--optimise", "Size"));
            for (List<String> command : commands) {
                int code = VelaMain.run(command, quiet, quiet, dir);
                if (code != 0) {
                    failed.add("vela " + String.join(" ", command) + " exited " + code);
                }
            }
            PrintWriter none = new PrintWriter(OutputStream.nullOutputStream());
            Main.run(new String[] {"compile", model.toString(), "--output-dir", out}, none, none);
        }
        VelaMain.run(List.of("--help"), quiet, quiet, dir);
        VelaMain.run(List.of("--bogus"), quiet, quiet, dir);
        failed.forEach(f -> System.err.println("training: " + f));
    }
}
