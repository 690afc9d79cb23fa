package npuc;

import java.util.ArrayList;
import java.util.List;

import npuc.alloc.ArenaAllocation;
import npuc.alloc.MemoryUsed;
import npuc.arch.MemoryArea;
import npuc.codegen.ArenaPlacement;
import npuc.codegen.CommandStream;
import npuc.codegen.CommandStreamException;
import npuc.codegen.CommandStreamGenerator;
import npuc.codegen.ConstantPlacement;
import npuc.arch.Target;
import npuc.arch.TargetSummary;
import npuc.frontend.FrontEnd;
import npuc.frontend.FrontEndException;
import npuc.frontend.FrontEndResult;
import npuc.graph.Graph;
import npuc.perf.CostModel;
import npuc.report.AllocationReport;
import npuc.report.NetworkSummary;
import npuc.report.PerLayerTable;
import npuc.report.PerformanceColumns;
import npuc.schedule.NetworkSchedule;
import npuc.schedule.OperationWeightEncoder;
import npuc.schedule.OptimizationStrategy;
import npuc.schedule.SchedulingException;
import npuc.schedule.SchedulePolicy;
import npuc.search.CandidateSpace;
import npuc.search.MinimumArena;
import npuc.search.ScheduleSearch;
import npuc.search.SearchOutcome;
import npuc.search.SearchReport;
import npuc.search.SearchSpaces;
import npuc.serialise.NpuConstantLayout;
import npuc.report.TextSummary;

/**
 * The compiler facade: one model, one target, one result. Stateless, so any number of compiles may run
 * side by side: front end, scheduler, arena allocation, NPU-constant layout, command streams, reports.
 */
public final class Compiler {
    private Compiler() {
    }

    public static CompileResult compile(String networkName, Graph model, Target target, CompileOptions options)
            throws BadInputException {
        return compile(networkName, model, target, options, CompileSession.create());
    }

    /**
     * A compile that takes the work it shares with other compiles (front end, encoded weights, block-config
     * searches, cycle costs, the FastestFit search's candidate schedules) from {@code session} and adds what it
     * makes there: pass one session to every compile of a job or sweep, from any number of threads. Results are
     * the same as without it.
     */
    public static CompileResult compile(String networkName, Graph model, Target target, CompileOptions options,
            CompileSession session) throws BadInputException {
        return compile(networkName, model, target, options, session, CompileTrace.none());
    }

    /**
     * A compile that shares encoded weights and, for the FastestFit search, the schedules it makes with the other
     * compiles given {@code spaces}: a sweep of one model over arena sizes makes each candidate schedule once (and
     * its front end once). Results are the same as without it.
     */
    public static CompileResult compile(String networkName, Graph model, Target target, CompileOptions options,
            SearchSpaces spaces) throws BadInputException {
        return compile(networkName, model, target, options, CompileSession.sharing(spaces), CompileTrace.none());
    }

    /**
     * A compile sharing {@code session} that records in {@code trace} what Vela's verbose outputs show beyond the
     * result. A trace that records the front end's graphs runs the front end itself rather than take its result
     * from the session.
     */
    public static CompileResult compile(String networkName, Graph model, Target target, CompileOptions options,
            CompileSession session, CompileTrace trace) throws BadInputException {
        return compile(networkName, model, target, options, session, trace, new Cancellation());
    }

    /**
     * A compile sharing {@code session}, recording in {@code trace}, that ends early with
     * {@link CompileCancelledException} once {@code cancellation} is cancelled: checked before every stage and
     * inside the long searches.
     */
    public static CompileResult compile(String networkName, Graph model, Target target, CompileOptions options,
            CompileSession session, CompileTrace trace, Cancellation cancellation) throws BadInputException {
        try (Cancellation.Scope bound = cancellation.bind()) {
            return run(networkName, model, target, options, session, trace);
        }
    }

    private static CompileResult run(String networkName, Graph model, Target target, CompileOptions options,
            CompileSession session, CompileTrace trace) throws BadInputException {
        SearchSpaces spaces = session.searchSpaces();
        List<String> warnings = new ArrayList<>(target.notices());
        boolean searching = !options.strategy().isVelas() || options.reportMinimumArena();
        CandidateSpace space = !searching ? null : stage("frontend", model, () -> {
            try {
                return spaces.of(model, target, options.allocationSettings(), options.forceSymmetricIntWeights(),
                        () -> FrontEnd.run(model, target.accelerator(), options.forceSymmetricIntWeights(), trace));
            } catch (FrontEndException e) {
                throw new BadInputException(networkName + " for " + target.acceleratorName() + ": " + e.getMessage(),
                        e);
            }
        });
        FrontEndResult frontEnd = searching ? space.frontEnd() : stage("frontend", model, () -> {
            try {
                if (trace.recordsFrontEnd()) {
                    return FrontEnd.run(model, target.accelerator(), options.forceSymmetricIntWeights(), trace);
                }
                return session.frontEnd(model, target.accelerator(), options.forceSymmetricIntWeights(),
                        () -> FrontEnd.run(model, target.accelerator(), options.forceSymmetricIntWeights(), trace));
            } catch (FrontEndException e) {
                throw new BadInputException(networkName + " for " + target.acceleratorName() + ": " + e.getMessage(),
                        e);
            }
        });
        warnings.addAll(frontEnd.warnings());
        long scheduling = System.nanoTime();
        Plan plan = options.strategy().isVelas()
                ? plan(networkName, model, frontEnd, target, options, session)
                : stage("search", model, () -> searchPlan(networkName, target, options, space));
        trace.scheduled(System.nanoTime() - scheduling);
        MinimumArena minimum = !options.reportMinimumArena() ? null
                : stage("search", model, () -> ScheduleSearch.minimumArena(space));
        warnings.addAll(plan.warnings());
        NetworkSchedule schedule = plan.schedule();
        ArenaAllocation arena = plan.arena();
        NpuConstantLayout constants = stage("constants", model, () -> NpuConstantLayout.of(frontEnd, schedule));
        List<CommandStream> streams = stage("codegen", model, () -> {
            try {
                return CommandStreamGenerator.generate(schedule, target,
                        ArenaPlacement.of(arena, schedule, target, ConstantPlacement.of(constants, schedule)));
            } catch (CommandStreamException e) {
                throw new BadInputException(networkName + " for " + target.describe() + ": " + e.getMessage(), e);
            }
        });
        return stage("report", model, () -> result(networkName, target, options, warnings, frontEnd, plan,
                minimum, constants, streams));
    }

    /** The summary columns, text summary and result of a compile whose stages have all run. */
    private static CompileResult result(String networkName, Target target, CompileOptions options,
            List<String> warnings, FrontEndResult frontEnd, Plan plan, MinimumArena minimum,
            NpuConstantLayout constants, List<CommandStream> streams) {
        NetworkSchedule schedule = plan.schedule();
        ArenaAllocation arena = plan.arena();
        // What the CPU hands the NPU from permanent storage: each command stream, then the one flash tensor.
        List<Long> cpuConstants = new ArrayList<>();
        streams.forEach(c -> cpuConstants.add((long) c.payload().length));
        if (!streams.isEmpty()) {
            cpuConstants.add(constants.size());
        }
        MemoryUsed memoryUsed = MemoryUsed.of(arena, target.permanentStorageArea(), cpuConstants,
                options.cpuTensorAlignment());
        NetworkSummary.Builder columns = targetColumns(networkName, target)
                .put("batch_size", frontEnd.batchSize())
                .put("passes_before_fusing", frontEnd.passesBeforeFusing())
                .put("passes_after_fusing", frontEnd.passesAfterFusing())
                .put("total_original_weights", frontEnd.totalOriginalWeights())
                .put("nn_macs", frontEnd.nnMacs());
        for (MemoryArea a : MemoryArea.PORT_AREAS) {
            columns.put(a.identifierName() + "_memory_used", memoryUsed.of(a) / 1024.0);
        }
        PerformanceColumns.put(columns, target, schedule);
        NetworkSummary summary = columns.build();
        StringBuilder text = new StringBuilder();
        if (options.verboseAllocation()) {
            text.append(AllocationReport.of(arena, options.tensorAllocator()));
        }
        if (options.verbosePerformance()) {
            text.append(PerLayerTable.of(schedule, target));
        }
        text.append(TextSummary.of(networkName, target, frontEnd, options.showCpuOperations(),
                schedule.performance(), memoryUsed));
        if (plan.search() != null) {
            text.append(SearchReport.of(plan.search(), target, arena));
        }
        if (minimum != null) {
            text.append(SearchReport.of(minimum));
        }
        return new CompileResult(networkName, target, summary, text.toString(), warnings, frontEnd, schedule, arena,
                constants, streams, plan.search(), minimum);
    }

    /** One stage of a compile: its result, or an error the input caused. */
    @FunctionalInterface
    interface Stage<T> {
        T run() throws BadInputException;
    }

    /**
     * Runs one stage of the compile of {@code model}, unless the compile has been cancelled. An error the input
     * caused and a cancellation pass as they are; anything else is a bug in npuc and leaves as an
     * {@link InternalCompilerError} whose signature names this stage.
     */
    static <T> T stage(String name, Graph model, Stage<T> stage) throws BadInputException {
        Cancellation.checkpoint();
        try {
            return stage.run();
        } catch (InternalCompilerError | CompileCancelledException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            throw new InternalCompilerError(FailureSignature.of(name, e, model), e);
        }
    }

    /**
     * The schedule and arena a compile goes on with, and what the user should know about the choice.
     *
     * @param search what the FastestFit search found, null for Vela's strategies
     */
    private record Plan(NetworkSchedule schedule, ArenaAllocation arena, List<String> warnings, SearchOutcome search) {
        Plan {
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * The FastestFit strategy: the fastest schedule of the search whose arena allocation fits. When none fits, the
     * compile fails giving the smallest arena cache size that would, and why no smaller one can.
     */
    private static Plan searchPlan(String networkName, Target target, CompileOptions options, CandidateSpace space)
            throws BadInputException {
        SearchOutcome outcome;
        try {
            outcome = ScheduleSearch.run(space, target.arenaCacheSize());
        } catch (SchedulingException e) {
            throw new BadInputException(networkName + " for " + target.describe() + ": " + e.getMessage(), e);
        }
        if (!outcome.fits()) {
            MinimumArena m = ScheduleSearch.minimumArena(space);
            throw new ArenaTooSmallException(networkName + " for " + target.describe() + " does not fit an arena "
                    + "cache size of " + target.arenaCacheSize() + " bytes with any schedule the search makes: the "
                    + "smallest that fits is " + m.bytes() + " bytes (" + m.kib() + " KiB rounded up); " + m.why(), m);
        }
        NetworkSchedule schedule = outcome.chosen().schedule();
        ArenaAllocation arena = ArenaAllocation.of(space.frontEnd(), schedule, target, options.allocationSettings());
        if (arena.used(target.fastStorageArea()) > target.arenaCacheSize()) {
            // The need is measured with the same allocator, which never ends above its limit once it got below.
            throw new IllegalStateException("the search's schedule for " + networkName + " needs "
                    + outcome.chosen().need().bytes() + " bytes, yet its allocation takes "
                    + arena.used(target.fastStorageArea()));
        }
        return new Plan(schedule, arena, arena.warnings(), outcome);
    }

    /**
     * Schedules and allocates the arena with the chosen strategy. Where Vela stops ("Allocation exceeds staging
     * limit": no spilling keeps the Performance schedule within the arena cache), the Size strategy's schedule is
     * used if it fits, else the compile fails saying how much SRAM it needs.
     */
    private static Plan plan(String networkName, Graph model, FrontEndResult frontEnd, Target target,
            CompileOptions options, CompileSession session) throws BadInputException {
        ArenaAllocation.Settings allocation = options.allocationSettings();
        NetworkSchedule performance = stage("scheduler", model,
                () -> schedule(networkName, frontEnd, target, options.strategy(), session));
        NetworkSchedule schedule = performance;
        ArenaAllocation arena = stage("allocation", model,
                () -> ArenaAllocation.of(frontEnd, performance, target, allocation));
        List<String> warnings = new ArrayList<>();
        if (options.strategy() == OptimizationStrategy.Performance && schedule.exceedsLimit()) {
            NetworkSchedule size = stage("scheduler", model,
                    () -> schedule(networkName, frontEnd, target, OptimizationStrategy.Size, session));
            schedule = size;
            arena = stage("allocation", model, () -> ArenaAllocation.of(frontEnd, size, target, allocation));
            MemoryArea fast = target.fastStorageArea();
            long needed = arena.used(fast);
            if (needed > target.arenaCacheSize()) {
                throw new BadInputException(networkName + " for " + target.describe() + " does not fit: it needs "
                        + needed + " bytes of " + fast.displayName() + ", the arena cache size is "
                        + target.arenaCacheSize() + " bytes");
            }
            warnings.add("Warning: no Performance schedule of " + networkName + " keeps the "
                    + fast.displayName() + " it needs within the arena cache size of " + target.arenaCacheSize()
                    + " bytes; using the Size strategy's schedule, which needs " + needed + " bytes");
        }
        warnings.addAll(arena.warnings());
        long sramUsed = arena.used(MemoryArea.SRAM);
        if (options.strategy() == OptimizationStrategy.Performance && sramUsed > target.arenaCacheSize()) {
            warnings.add("Warning: SRAM target for arena memory area exceeded. Target = " + target.arenaCacheSize()
                    + " Bytes, Actual = " + sramUsed + " Bytes");
        }
        return new Plan(schedule, arena, warnings, null);
    }

    private static NetworkSchedule schedule(String networkName, FrontEndResult frontEnd, Target target,
            OptimizationStrategy strategy, CompileSession session) throws BadInputException {
        try {
            return NetworkSchedule.of(frontEnd, target, SchedulePolicy.vela(strategy, target.arenaCacheSize()),
                    new OperationWeightEncoder(target.accelerator(), session.weights()),
                    new CostModel(target, session.performance()));
        } catch (SchedulingException e) {
            throw new BadInputException(networkName + " for " + target.describe() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The network name Vela uses in reports and output file names: the model file's name, without any folder
     * (or object-key prefix) and without its .tflite extension.
     */
    public static String networkName(String modelFileName) {
        String base = modelFileName.substring(Math.max(modelFileName.lastIndexOf('/'), modelFileName.lastIndexOf('\\')) + 1);
        return base.endsWith(".tflite") ? base.substring(0, base.length() - ".tflite".length()) : base;
    }

    /** The columns that depend on the target alone. */
    static NetworkSummary.Builder targetColumns(String networkName, Target target) {
        TargetSummary t = target.summary();
        return NetworkSummary.builder()
                .put("experiment", "default")
                .put("network", networkName)
                .put("accelerator_configuration", t.acceleratorConfiguration())
                .put("system_config", t.systemConfig())
                .put("memory_mode", t.memoryMode())
                .put("core_clock", t.coreClock())
                .put("arena_cache_size", t.arenaCacheSize())
                .put("sram_bandwidth", t.sramBandwidth())
                .put("dram_bandwidth", t.dramBandwidth())
                .put("on_chip_flash_bandwidth", t.onChipFlashBandwidth())
                .put("off_chip_flash_bandwidth", t.offChipFlashBandwidth())
                .put("weights_storage_area", t.weightsStorageArea())
                .put("feature_map_storage_area", t.featureMapStorageArea());
    }
}
