package npuc.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import npuc.BadInputException;
import npuc.CompileOptions;
import npuc.CompileResult;
import npuc.Compiler;
import npuc.alloc.TensorAllocator;
import npuc.arch.Target;
import npuc.arch.TargetOptions;
import npuc.arch.Targets;
import npuc.graph.Graph;
import npuc.schedule.OptimizationStrategy;
import npuc.tflite.OptimisedModelException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code npuc compile MODEL [options]}: Vela's command line. Options, defaults and output file names are
 * Vela 3.10's, so scripts written around vela keep working.
 */
@Command(name = "compile", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Compile a TFLite model for an Ethos-U NPU (vela's options and defaults).")
final class CompileCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "NETWORK", description = "TFLite model to compile")
    Path network;

    @Option(names = "--output-dir", paramLabel = "DIR", defaultValue = "output",
            description = "Output directory to write files to (default: ${DEFAULT-VALUE})")
    Path outputDir;

    @Option(names = "--config", paramLabel = "FILE.ini",
            description = "Vela configuration file (.ini); may be given more than once")
    List<Path> configFiles = new ArrayList<>();

    @Option(names = "--accelerator-config", paramLabel = "NAME",
            description = "Accelerator configuration: ethos-u55-32, ethos-u55-64, ethos-u55-128, ethos-u55-256, "
                    + "ethos-u65-256, ethos-u65-512 (default: " + TargetOptions.DEFAULT_ACCELERATOR + ")")
    String acceleratorConfig;

    @Option(names = "--system-config", paramLabel = "NAME",
            description = "System configuration from the configuration file (default: internal-default)")
    String systemConfig;

    @Option(names = "--memory-mode", paramLabel = "NAME",
            description = "Memory mode from the configuration file (default: internal-default)")
    String memoryMode;

    @Option(names = "--optimise", paramLabel = "STRATEGY", defaultValue = "Performance",
            description = "Performance or Size (Vela's), or FastestFit (npuc's: searches schedules and keeps the "
                    + "fastest whose arena fits; never slower with more SRAM) (default: ${DEFAULT-VALUE})")
    OptimizationStrategy optimise;

    @Option(names = "--report-min-arena",
            description = "Also find the smallest arena cache size, to 1 KiB, that the FastestFit search fits, "
                    + "and why no smaller one fits")
    boolean reportMinArena;

    @Option(names = "--arena-cache-size", paramLabel = "BYTES",
            description = "Size of the arena cache memory area in bytes; overrides the memory mode's value "
                    + "(default: " + TargetOptions.DEFAULT_ARENA_CACHE_SIZE + ")")
    Long arenaCacheSize;

    @Option(names = "--tensor-allocator", paramLabel = "NAME", defaultValue = "HillClimb",
            description = "LinearAlloc, Greedy or HillClimb (default: ${DEFAULT-VALUE})")
    TensorAllocator tensorAllocator;

    @Option(names = "--max-block-dependency", paramLabel = "N", defaultValue = "3",
            description = "Largest block dependency between NPU kernel operations, 0 to 3 (default: ${DEFAULT-VALUE})")
    int maxBlockDependency;

    @Option(names = {"--cpu-tensor-alignment", "--allocation-alignment"}, paramLabel = "BYTES", defaultValue = "16",
            description = "Alignment of tensors the CPU sees (arena feature maps, the command stream and flash "
                    + "tensors), a power of 2 of at least 16 (default: ${DEFAULT-VALUE})")
    int cpuTensorAlignment;

    @Option(names = "--recursion-limit", paramLabel = "N", defaultValue = "4000",
            description = "Accepted for compatibility with vela, which needs it for deep graphs (default: ${DEFAULT-VALUE})")
    int recursionLimit;

    @Option(names = "--hillclimb-max-iterations", paramLabel = "N", defaultValue = "99999",
            description = "Most iterations of the hill-climb tensor allocator (default: ${DEFAULT-VALUE})")
    int hillclimbMaxIterations;

    @Option(names = "--force-symmetric-int-weights", description = "Force zero points of signed integer weights to 0")
    boolean forceSymmetricIntWeights;

    @Option(names = "--verbose-performance", description = "Print the per-layer performance table")
    boolean verbosePerformance;

    @Option(names = "--show-cpu-operations", description = "List the operators that run on the CPU")
    boolean showCpuOperations;

    @Option(names = "--verbose-allocation",
            description = "List each arena allocation: every buffer's lifetime and addresses, the lower bound (the "
                    + "most bytes live at one time) and the size the allocator reached")
    boolean verboseAllocation;

    @Option(names = {"--verbose-all", "--verbose-config", "--verbose-graph", "--verbose-quantization",
            "--verbose-packing", "--verbose-tensor-purpose", "--verbose-tensor-format", "--verbose-schedule",
            "--verbose-high-level-command-stream", "--verbose-register-command-stream",
            "--verbose-operators", "--verbose-weights", "--verbose-progress", "--show-subgraph-io-summary",
            "--timing", "--enable-debug-db", "--subgraph-output"},
            description = "Accepted for compatibility with vela's command line")
    boolean[] otherVelaFlags = new boolean[0];

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        CompileOptions options = compileOptions();
        Target target = Targets.resolve(targetOptions());
        Graph model = ModelFiles.read(network);
        String name = ModelFiles.networkName(network);

        CompileResult result = Compiler.compile(name, model, target, options);

        PrintWriter out = spec.commandLine().getOut();
        result.warnings().forEach(out::println);
        out.print(result.textSummary());
        writeOutputs(result, model).ifPresent(out::println);
        out.flush();
        return Main.EXIT_OK;
    }

    private TargetOptions targetOptions() {
        if (configFiles.size() > 1) {
            throw new ParameterException(spec.commandLine(),
                    "npuc reads one --config file; merge " + configFiles + " into one");
        }
        // Null values take Vela's defaults (TargetOptions knows them); the .ini check is Targets'.
        Path config = configFiles.isEmpty() ? null : configFiles.get(0);
        return new TargetOptions(acceleratorConfig, systemConfig, memoryMode, config, arenaCacheSize);
    }

    private CompileOptions compileOptions() {
        try {
            return new CompileOptions(optimise, tensorAllocator, maxBlockDependency, cpuTensorAlignment,
                    recursionLimit, hillclimbMaxIterations, forceSymmetricIntWeights, verbosePerformance,
                    showCpuOperations, verboseAllocation, reportMinArena);
        } catch (IllegalArgumentException e) {
            // CompileOptions knows the valid ranges and says which option is out of range.
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /**
     * Writes the optimised model and the summary CSV, as Vela does. A model the writer cannot lay out (the
     * message says why) still gets its summary; the returned warning says the model was left out.
     */
    private Optional<String> writeOutputs(CompileResult result, Graph model) throws BadInputException {
        try {
            Files.createDirectories(outputDir);
            Optional<String> warning = Optional.empty();
            try {
                Files.write(outputDir.resolve(result.optimisedModelFileName()), result.optimisedModel(model));
            } catch (OptimisedModelException e) {
                warning = Optional.of("Warning: " + result.optimisedModelFileName() + " was not written: "
                        + e.getMessage());
            }
            Files.writeString(outputDir.resolve(result.summaryFileName()), result.summary().toCsv());
            return warning;
        } catch (IOException e) {
            throw new BadInputException("cannot write to output directory " + outputDir + ": " + e.getMessage(), e);
        }
    }
}
