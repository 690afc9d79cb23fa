package npuc.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import npuc.BadInputException;
import npuc.CompileOptions;
import npuc.CompileResult;
import npuc.CompileSession;
import npuc.CompileTrace;
import npuc.Compiler;
import npuc.alloc.TensorAllocator;
import npuc.arch.ConfigException;
import npuc.arch.Target;
import npuc.arch.TargetOptions;
import npuc.arch.Targets;
import npuc.frontend.GraphStage;
import npuc.graph.Graph;
import npuc.listing.DebugDatabase;
import npuc.listing.NpuSubgraphFiles;
import npuc.listing.VelaListings;
import npuc.schedule.OptimizationStrategy;
import npuc.tflite.OptimisedModelException;

/**
 * One compile as the {@code vela} command runs it: the checks Vela makes of its arguments, the compile, every
 * verbose output asked for in Vela's order, and the files Vela writes into the output folder.
 */
final class VelaCompile {
    /** What Vela reports as {@code Error: <message>} on standard output, exiting 1. */
    static final class VelaError extends Exception {
        VelaError(String message) {
            super(message);
        }
    }

    private final VelaArguments.Parsed args;
    private final PrintStream out;

    VelaCompile(VelaArguments.Parsed args, PrintStream out) {
        this.args = args;
        this.out = out;
    }

    int run() throws VelaError, VelaArguments.UsageError {
        List<String> configs = args.all("config");
        for (String c : configs) {
            if (!c.endsWith(".ini")) {
                throw new VelaError("Reading input file '" + c + "': Configuration files must use the .ini extension");
            }
        }
        if (configs.size() > 1) {
            throw new VelaError("npuc reads one --config file; merge " + String.join(", ", configs) + " into one");
        }
        int alignment = intValue("cpu-tensor-alignment", 16);
        if (alignment < 16 || Integer.bitCount(alignment) != 1) {
            throw new VelaArguments.UsageError("Invalid argument to --cpu-tensor-alignment = " + alignment
                    + " (must be greater than or equal to 16 and a power of 2)");
        }
        Target target = target(configs);
        target.notices().forEach(out::println);
        if (args.verbose("verbose-config")) {
            out.print(npuc.listing.ConfigListing.of(target, configs.isEmpty() ? null : configs));
        }
        Path network = Path.of(args.network());
        Path outputDir = Path.of(args.value("output-dir") == null ? "output" : args.value("output-dir"));
        createOutputDir(outputDir);

        long readStart = System.nanoTime();
        if (!args.network().endsWith(".tflite")) {
            throw new VelaError("Reading input file '" + args.network()
                    + "': Unsupported file extension. Only .tflite files are supported");
        }
        Graph model = read(network);
        String name = ModelFiles.networkName(network);
        double readSeconds = (System.nanoTime() - readStart) / 1e9;
        CompileOptions options = options(alignment);
        VelaListings listings = new VelaListings(this::verbose, args.flag("timing"), model, readSeconds,
                options.tensorAllocator());
        CompileTrace trace = new CompileTrace(wantedGraphs(), verbose("verbose-packing"));

        long compileStart = System.nanoTime();
        CompileResult result;
        try {
            result = Compiler.compile(name, model, target, options, CompileSession.create(), trace);
        } catch (BadInputException e) {
            throw new VelaError(e.getMessage());
        }
        out.print(listings.compiled(result, trace));
        writeOutputs(outputDir, result, trace);
        out.print(listings.summary(result));
        byte[] written = writeOptimisedModel(outputDir, result, model);
        if (args.flag("enable-debug-db")) {
            writeFile(outputDir.resolve(name + "_debug.xml"), DebugDatabase.xml(result,
                    trace.graph(GraphStage.BEFORE_OPTIMISATION), args.network(),
                    outputDir.resolve(result.optimisedModelFileName()).toString(), written));
        }
        out.print(listings.finished((System.nanoTime() - compileStart) / 1e9));
        if (args.flag("show-subgraph-io-summary")) {
            out.print(listings.subgraphIoSummary(result));
        }
        return Main.EXIT_OK;
    }

    private boolean verbose(String flag) {
        return args.verbose(flag);
    }

    private Set<GraphStage> wantedGraphs() {
        Set<GraphStage> stages = EnumSet.noneOf(GraphStage.class);
        if (verbose("verbose-operators") || verbose("verbose-graph") || args.flag("enable-debug-db")
                || args.flag("subgraph-output")) {
            stages.add(GraphStage.BEFORE_OPTIMISATION);
        }
        if (verbose("verbose-graph") || verbose("verbose-quantization")) {
            stages.add(GraphStage.AFTER_OPTIMISATION);
        }
        if (verbose("verbose-tensor-purpose")) {
            stages.add(GraphStage.TENSOR_PURPOSE);
        }
        return stages;
    }

    private int intValue(String key, int defaultValue) {
        Integer v = args.integer(key);
        return v == null ? defaultValue : v;
    }

    private Target target(List<String> configs) throws VelaError {
        Long arena = args.value("arena-cache-size") == null ? null
                : Long.valueOf(args.value("arena-cache-size").strip().replace("_", ""));
        Path config = configs.isEmpty() ? null : Path.of(configs.get(0));
        TargetOptions options = new TargetOptions(args.value("accelerator-config"), args.value("system-config"),
                args.value("memory-mode"), config, arena);
        try {
            return Targets.resolve(options);
        } catch (ConfigException e) {
            throw new VelaError(e.getMessage());
        }
    }

    private CompileOptions options(int alignment) {
        String allocator = args.value("tensor-allocator");
        String strategy = args.value("optimise");
        return new CompileOptions(strategy == null ? OptimizationStrategy.Performance
                : OptimizationStrategy.valueOf(strategy),
                allocator == null ? TensorAllocator.HillClimb : TensorAllocator.valueOf(allocator),
                intValue("max-block-dependency", CompileOptions.MAX_BLOCK_DEPENDENCY), alignment,
                intValue("recursion-limit", 4000), intValue("hillclimb-max-iterations", 99999),
                args.flag("force-symmetric-int-weights"), false, args.flag("show-cpu-operations"), false);
    }

    private static Graph read(Path network) throws VelaError {
        if (!Files.exists(network)) {
            throw new VelaError("Reading input file '" + network + "': No such file");
        }
        try {
            return ModelFiles.read(network);
        } catch (BadInputException e) {
            throw new VelaError("Reading input file '" + network + "': " + e.getMessage());
        }
    }

    private static void createOutputDir(Path dir) throws VelaError {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new VelaError("Creating the output directory '" + dir + "': " + e.getMessage());
        }
    }

    /** The summary CSV, and with --verbose-performance the per-layer CSV, as Vela writes them before its summary. */
    private void writeOutputs(Path dir, CompileResult result, CompileTrace trace) throws VelaError {
        writeFile(dir.resolve(result.summaryFileName()), result.summary().toCsv());
        if (verbose("verbose-performance")) {
            writeFile(dir.resolve(result.networkName() + "_per-layer.csv"),
                    npuc.report.PerLayerTable.csv(result.schedule(), result.target()));
        }
        if (args.flag("subgraph-output")) {
            List<npuc.frontend.GraphSnapshot> read = trace.graph(GraphStage.BEFORE_OPTIMISATION);
            writeFile(dir.resolve(result.networkName() + "_ethos_u_subgraph.csv"), NpuSubgraphFiles.operations(read));
            writeFile(dir.resolve(result.networkName() + "_ethos_u_subgraph_values.txt"),
                    NpuSubgraphFiles.values(read));
        }
    }

    /** Writes the optimised model and returns its bytes; null (with Vela's kind of warning) when it cannot be laid out. */
    private byte[] writeOptimisedModel(Path dir, CompileResult result, Graph model) throws VelaError {
        try {
            byte[] bytes = result.optimisedModel(model);
            Files.write(dir.resolve(result.optimisedModelFileName()), bytes);
            return bytes;
        } catch (OptimisedModelException e) {
            out.println("Warning: " + result.optimisedModelFileName() + " was not written: " + e.getMessage());
            return null;
        } catch (IOException e) {
            throw new VelaError("Writing '" + dir.resolve(result.optimisedModelFileName()) + "': " + e.getMessage());
        }
    }

    private static void writeFile(Path file, String text) throws VelaError {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new VelaError("Writing '" + file + "': " + e.getMessage());
        }
    }
}
