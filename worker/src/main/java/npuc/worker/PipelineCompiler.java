package npuc.worker;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;

import npuc.BadInputException;
import npuc.Cancellation;
import npuc.CompileOptions;
import npuc.CompileResult;
import npuc.CompileTrace;
import npuc.CompileSession;
import npuc.Compiler;
import npuc.alloc.ArenaAllocation;
import npuc.alloc.TensorAllocator;
import npuc.arch.ConfigFile;
import npuc.arch.Target;
import npuc.arch.TargetOptions;
import npuc.arch.Targets;
import npuc.graph.Graph;
import npuc.report.PerLayerTable;
import npuc.tflite.OptimisedModelException;
import npuc.tflite.TfliteReader;

/**
 * The worker's compiler: npuc's pipeline behind the {@link TargetCompiler} interface. A job's targets
 * share one parsed model and one {@link CompileSession}: the front end, encoded weights, block-config searches,
 * cycle costs and FastestFit schedules, which do not depend on the arena size, are made once per model and
 * accelerator, not once per target, and are safe across threads. A model's session goes with the model. A
 * target whose extra options ask for {@code verbose-performance} gets Vela's per-layer CSV as well.
 */
public final class PipelineCompiler implements TargetCompiler {

    /** The summary metrics after Vela's columns: operators left on the CPU and placed on the NPU. */
    public static final String CPU_OPERATORS = "cpu_operators";
    public static final String NPU_OPERATORS = "npu_operators";
    /**
     * The smallest arena cache size, in bytes, the FastestFit search fits the model in on the target;
     * a metric of the compiles that ask for it (extra option report-min-arena).
     */
    public static final String MIN_ARENA = "min_arena_size";

    /** Parsed models kept for the targets still to come; a sweep rarely has more models in flight. */
    private static final int PARSED_MODELS_KEPT = 8;

    /** Bytes of shared work each kept model's session holds at most. */
    private static final long SESSION_BYTES = CompileSession.DEFAULT_BYTES / 4;

    /** A parsed model and the work its compiles share. */
    private record ParsedModel(Graph graph, CompileSession session) {
    }

    /** What the sessions of models no longer kept had counted. */
    private final Map<String, CompileSession.Statistics> retired = new LinkedHashMap<>();

    private final Map<String, ParsedModel> parsed = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, ParsedModel> eldest) {
                    boolean drop = size() > PARSED_MODELS_KEPT;
                    if (drop) {
                        eldest.getValue().session().statistics().forEach((kind, s) ->
                                retired.merge(kind, s.withoutBytes(), CompileSession.Statistics::plus));
                    }
                    return drop;
                }
            });

    /** Made on first use: the command line builds a compiler for every command, most never write a report. */
    private static final class Json {
        static final ObjectWriter WRITER = new ObjectMapper().writerWithDefaultPrettyPrinter();
    }

    @Override
    public TargetOutcome compile(ModelBytes model, TargetSpec spec, Cancellation cancellation)
            throws BadInputException {
        ParsedModel parsedModel = parse(model);
        Target target = resolve(spec);
        CompileOptions options = options(spec);
        CompileResult result = Compiler.compile(Compiler.networkName(model.name()), parsedModel.graph(), target,
                options, parsedModel.session(), CompileTrace.none(), cancellation);

        Map<String, String> metrics = new LinkedHashMap<>();
        for (String column : result.summary().values().keySet()) {
            metrics.put(column, result.summary().format(column));
        }
        // The operator counts of Vela's text summary, which its CSV lacks: a farm compares them across runs.
        metrics.put(CPU_OPERATORS, Integer.toString(result.frontEnd().cpuOperators().size()));
        metrics.put(NPU_OPERATORS, Integer.toString(result.frontEnd().npuOperators().size()));
        if (result.minimumArena() != null) {
            metrics.put(MIN_ARENA, Long.toString(result.minimumArena().bytes()));
        }
        Optional<byte[]> optimised;
        List<String> notes = new ArrayList<>(result.warnings());
        try {
            optimised = Optional.of(result.optimisedModel(parsedModel.graph()));
        } catch (OptimisedModelException e) {
            optimised = Optional.empty();
            notes.add("Warning: " + result.optimisedModelFileName() + " was not written: " + e.getMessage());
        }
        Optional<String> perLayer = options.verbosePerformance()
                ? Optional.of(PerLayerTable.csv(result.schedule(), result.target()))
                : Optional.empty();
        return new TargetOutcome(optimised, result.summary().toCsv(), perLayer,
                report(result, spec, metrics, notes), metrics);
    }

    private ParsedModel parse(ModelBytes model) throws BadInputException {
        ParsedModel known = parsed.get(model.sha256());
        if (known == null) {
            try {
                known = new ParsedModel(TfliteReader.read(model.bytes()), CompileSession.withLimit(SESSION_BYTES));
            } catch (BadInputException e) {
                throw new BadInputException(model.name() + ": not a valid TFLite model: " + e.getMessage(), e);
            }
            // Two targets may parse the same model at once; keep the first so they share one session.
            ParsedModel raced = parsed.putIfAbsent(model.sha256(), known);
            known = raced != null ? raced : known;
        }
        return known;
    }

    /** The shared work of every kept model's session and of those dropped, by kind. */
    @Override
    public Map<String, CompileSession.Statistics> sharedWorkStatistics() {
        synchronized (parsed) {
            Map<String, CompileSession.Statistics> total = new LinkedHashMap<>(retired);
            for (ParsedModel m : parsed.values()) {
                m.session().statistics().forEach((kind, s) -> total.merge(kind, s, CompileSession.Statistics::plus));
            }
            return total;
        }
    }

    private static Target resolve(TargetSpec spec) throws BadInputException {
        TargetOptions options = new TargetOptions(spec.accelerator(), spec.systemConfig(), spec.memoryMode(), null,
                spec.arenaCacheSize().isPresent() ? spec.arenaCacheSize().getAsLong() : null);
        ConfigFile configFile = spec.configFile().isPresent()
                ? ConfigFile.parse("configuration file of the job", spec.configFile().get())
                : null;
        return Targets.resolve(options, configFile);
    }

    /** Compiler options from the target's extra options, named as vela's flags without the dashes. */
    static CompileOptions options(TargetSpec spec) throws BadInputException {
        CompileOptions d = CompileOptions.defaults();
        TensorAllocator allocator = d.tensorAllocator();
        int maxBlockDependency = d.maxBlockDependency();
        int cpuTensorAlignment = d.cpuTensorAlignment();
        int hillclimbMaxIterations = d.hillclimbMaxIterations();
        boolean forceSymmetric = d.forceSymmetricIntWeights();
        boolean verbosePerformance = d.verbosePerformance();
        boolean showCpuOperations = d.showCpuOperations();
        boolean reportMinArena = d.reportMinimumArena();
        for (Map.Entry<String, String> option : spec.extraOptions().entrySet()) {
            String value = option.getValue();
            switch (option.getKey()) {
                case "tensor-allocator" -> allocator = choice(option.getKey(), value, TensorAllocator.class);
                case "max-block-dependency" -> maxBlockDependency = integer(option.getKey(), value);
                case "cpu-tensor-alignment" -> cpuTensorAlignment = integer(option.getKey(), value);
                case "hillclimb-max-iterations" -> hillclimbMaxIterations = integer(option.getKey(), value);
                case "force-symmetric-int-weights" -> forceSymmetric = flag(option.getKey(), value);
                case "verbose-performance" -> verbosePerformance = flag(option.getKey(), value);
                case "show-cpu-operations" -> showCpuOperations = flag(option.getKey(), value);
                case "report-min-arena" -> reportMinArena = flag(option.getKey(), value);
                default -> throw new BadInputException("target " + spec.name() + ": unknown extra option '"
                        + option.getKey() + "' (known: tensor-allocator, max-block-dependency, cpu-tensor-alignment, "
                        + "hillclimb-max-iterations, force-symmetric-int-weights, verbose-performance, show-cpu-operations, "
                        + "report-min-arena)");
            }
        }
        try {
            return new CompileOptions(spec.strategy(), allocator, maxBlockDependency, cpuTensorAlignment,
                    d.recursionLimit(), hillclimbMaxIterations, forceSymmetric, verbosePerformance, showCpuOperations,
                    false, reportMinArena);
        } catch (IllegalArgumentException e) {
            throw new BadInputException("target " + spec.name() + ": " + e.getMessage(), e);
        }
    }

    private static int integer(String name, String value) throws BadInputException {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new BadInputException("extra option " + name + "=" + value + ": not a whole number");
        }
    }

    private static boolean flag(String name, String value) throws BadInputException {
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "", "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw new BadInputException("extra option " + name + "=" + value + ": not true or false");
        };
    }

    private static <E extends Enum<E>> E choice(String name, String value, Class<E> type) throws BadInputException {
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(value.trim())) {
                return e;
            }
        }
        throw new BadInputException("extra option " + name + "=" + value + ": choose one of "
                + List.of(type.getEnumConstants()));
    }

    private String report(CompileResult result, TargetSpec spec, Map<String, String> metrics, List<String> warnings) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("network", result.networkName());
        root.put("target", spec.name());
        root.put("accelerator", result.target().acceleratorName());
        root.put("system_config", result.target().systemConfigName());
        root.put("memory_mode", result.target().memoryModeName());
        root.put("strategy", spec.strategy().name());
        root.put("summary", metrics);
        List<Map<String, Object>> allocations = new ArrayList<>();
        for (ArenaAllocation.Region r : result.arena().regions()) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("memory_area", r.scope().area().displayName());
            a.put("memory_types", r.scope().types().stream().sorted().map(Enum::name).toList());
            a.put("size", r.size());
            a.put("lower_bound", r.lowerBound());
            allocations.add(a);
        }
        root.put("allocations", allocations);
        if (result.search() != null) {
            root.put("search", SearchFigures.of(result.search()));
        }
        if (result.minimumArena() != null) {
            root.put("minimum_arena", SearchFigures.of(result.minimumArena()));
        }
        root.put("warnings", warnings);
        try {
            return Json.WRITER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a report of strings and maps always serialises", e);
        }
    }
}
