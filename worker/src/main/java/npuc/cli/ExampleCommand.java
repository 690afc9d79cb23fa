package npuc.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import npuc.BadInputException;
import npuc.graph.DataType;
import npuc.tflite.ModelBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code npuc example NAME}: writes one of the networks the project builds, to try the compiler on. */
@Command(name = "example", mixinStandardHelpOptions = true,
        description = "Write an example network the project builds as NAME.tflite (kws, mobilenet-block, every-operator).")
final class ExampleCommand implements Callable<Integer> {

    /** The example networks by command-line name, in the order --help lists them. */
    static final Map<String, Supplier<ModelBuilder>> EXAMPLES = examples();

    @Parameters(index = "0", paramLabel = "NAME", description = "kws, mobilenet-block or every-operator")
    String name;

    @Option(names = "--output-dir", paramLabel = "DIR", defaultValue = ".",
            description = "Directory to write NAME.tflite to (default: ${DEFAULT-VALUE})")
    Path outputDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Supplier<ModelBuilder> example = EXAMPLES.get(name);
        if (example == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "unknown example '" + name + "'; choose one of " + String.join(", ", EXAMPLES.keySet()));
        }
        Path file = outputDir.resolve(name + ".tflite");
        try {
            Files.createDirectories(outputDir);
            Files.write(file, example.get().toBytes());
        } catch (IOException e) {
            throw new BadInputException("cannot write " + file + ": " + e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("wrote " + file);
        out.flush();
        return Main.EXIT_OK;
    }

    /** Every example network as model bytes by name, for the demo's sweep. */
    static Map<String, byte[]> builtModels() {
        Map<String, byte[]> models = new LinkedHashMap<>();
        EXAMPLES.forEach((name, example) -> models.put(name, example.get().toBytes()));
        return models;
    }

    private static Map<String, Supplier<ModelBuilder>> examples() {
        Map<String, Supplier<ModelBuilder>> m = new LinkedHashMap<>();
        m.put("kws", ModelBuilder::keywordSpotting);
        m.put("mobilenet-block", ModelBuilder::mobileNetBlock);
        m.put("every-operator", () -> ModelBuilder.everyOperator(DataType.INT8));
        return java.util.Collections.unmodifiableMap(m);
    }
}
