package npuc.generator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import npuc.BadInputException;
import npuc.CompileResult;
import npuc.Compiler;
import npuc.InternalCompilerError;
import npuc.SharedData;
import npuc.graph.Graph;
import npuc.tflite.OptimisedModelException;
import npuc.tflite.TfliteWriter;

/**
 * How one compiler compiled one model for one target, in the terms both compilers share: whether it completed,
 * why not (an error, or a crash with its signature), the CPU and NPU operator counts it printed, the summary CSV
 * row and the NPU calls of the optimised model it wrote.
 */
record CompileRun(Status status, String message, Integer cpuOperators, Integer npuOperators,
                  Map<String, String> summary, List<NpuCall> calls, boolean modelWritten) {

    enum Status { COMPLETED, ERROR, CRASH }

    private static final Pattern CPU = Pattern.compile("CPU operators = (\\d+)");
    private static final Pattern NPU = Pattern.compile("NPU operators = (\\d+)");

    static CompileRun error(String message) {
        return new CompileRun(Status.ERROR, message, null, null, Map.of(), List.of(), false);
    }

    static CompileRun crash(String signature) {
        return new CompileRun(Status.CRASH, signature, null, null, Map.of(), List.of(), false);
    }

    /** npuc, in this JVM. */
    static CompileRun npuc(String name, Graph model, StandardTarget target) {
        CompileResult r;
        try {
            r = Compiler.compile(name, model, target.target(), target.options());
        } catch (BadInputException e) {
            return error(e.getMessage());
        } catch (InternalCompilerError e) {
            return crash(e.signature().toString());
        }
        Map<String, String> summary = new LinkedHashMap<>();
        r.summary().values().keySet().forEach(c -> summary.put(c, r.summary().format(c)));
        List<NpuCall> calls = List.of();
        boolean written = true;
        try {
            calls = NpuCall.of(r.optimisedModel(model));
        } catch (OptimisedModelException e) {
            written = false;
        } catch (InternalCompilerError e) {
            return crash(e.signature().toString());
        } catch (npuc.tflite.ModelFormatException e) {
            return crash("optimised model does not read back: " + e.getMessage());
        }
        return new CompileRun(Status.COMPLETED, "", count(CPU, r.textSummary()), count(NPU, r.textSummary()), summary,
                calls, written);
    }

    /** Vela, through the driver: the model is written to {@code dir} and Vela's outputs read back from there. */
    static CompileRun vela(VelaDriver vela, Path velaIni, String name, Graph model, StandardTarget target, Path dir)
            throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(name + ".tflite");
        Files.write(file, TfliteWriter.write(model));
        List<String> args = new ArrayList<>(List.of(file.toString(), "--config", velaIni.toString(), "--output-dir",
                dir.toString()));
        args.addAll(target.velaArguments());
        VelaDriver.Answer a = vela.compile(args, 300);
        if (a == null) {
            return crash("no answer");
        }
        if (a.crash().isPresent()) {
            return crash(a.crash().get());
        }
        if (a.rc() != 0) {
            String error = a.output().lines().filter(l -> l.startsWith("Error:")).findFirst()
                    .orElse(a.output().strip().lines().reduce((x, y) -> y).orElse("exit " + a.rc()));
            return error(error);
        }
        Path csv = dir.resolve(name + "_summary_" + target.systemConfig() + ".csv");
        Map<String, String> summary = SharedData.readCsv(csv).get(0);
        Path optimised = dir.resolve(name + "_vela.tflite");
        List<NpuCall> calls;
        try {
            calls = NpuCall.of(Files.readAllBytes(optimised));
        } catch (npuc.tflite.ModelFormatException e) {
            return crash("Vela's optimised model does not read: " + e.getMessage());
        }
        return new CompileRun(Status.COMPLETED, "", count(CPU, a.output()), count(NPU, a.output()), summary, calls,
                true);
    }

    private static Integer count(Pattern p, String text) {
        Matcher m = p.matcher(text);
        return m.find() ? Integer.valueOf(m.group(1)) : null;
    }

    /** A short, stable description: the status and, for errors, the message with names and numbers taken out. */
    String kind() {
        return switch (status) {
            case COMPLETED -> "completed";
            case CRASH -> "crash " + message.replaceAll(":.*", "");
            case ERROR -> "error " + message.replaceAll("^.*? for [^:]*?: ", "").replaceAll("'[^']*'", "X")
                    .replaceAll("[0-9]+", "N");
        };
    }
}
