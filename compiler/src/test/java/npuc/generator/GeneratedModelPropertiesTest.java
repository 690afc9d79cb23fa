package npuc.generator;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import npuc.BadInputException;
import npuc.CompileResult;
import npuc.Compiler;
import npuc.InternalCompilerError;
import npuc.frontend.FrontEndResult.OperationInfo;
import npuc.graph.Graph;
import npuc.tflite.OptimisedModelException;
import npuc.tflite.TfliteReader;

/**
 * Properties every generated model must have, with no reference compiler needed: the compile ends, within a
 * time and allocation budget, with a result or an error the user can act on (never an internal error); every
 * operator left on the CPU is named in a warning with Vela's reason; the optimised model reads back as TFLite;
 * and each NPU call's command stream decodes and addresses only its flash and arena. A broken property is
 * reduced to the smallest script that still breaks it, printed as ModelBuilder code.
 *
 * <p>Each model is compiled for one of the five standard targets in turn. {@code -Dnpuc.generated.models=N}
 * (default {@value #DEFAULT_MODELS}) and {@code -Dnpuc.generated.seed=S} (default 0) choose the seeds;
 * {@code -Dnpuc.generated.allTargets=true} compiles each model for all five.
 */
class GeneratedModelPropertiesTest {
    static final int DEFAULT_MODELS = 2500;
    /** Far above any generated model's compile time on a loaded machine; a compile this long is a hang. */
    static final long TIMEOUT_SECONDS = 60;
    /** Bytes a compile may allocate; generated models stay under 2 Mi elements a tensor. */
    static final long ALLOCATION_BUDGET = 4L << 30;
    /** Candidates the reducer may try for each kind of broken property. */
    static final int REDUCTION_BUDGET = 200;

    private static ExecutorService compiles;

    /** How one compile ended: its kind, and for a broken property what broke (a stable key) and the details. */
    record Outcome(String kind, String broken, String detail) {
        static Outcome ok(String kind) {
            return new Outcome(kind, null, null);
        }
    }

    @BeforeAll
    static void startCompileThread() {
        compiles = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "generated-model-compile");
            t.setDaemon(true);
            return t;
        });
    }

    @AfterAll
    static void stopCompileThread() {
        compiles.shutdownNow();
    }

    @Test
    void everyGeneratedModelCompilesOrFailsWithAReasonAndItsStreamsStayInTheirRegions() {
        int models = Integer.getInteger("npuc.generated.models", DEFAULT_MODELS);
        long first = Long.getLong("npuc.generated.seed", 0L);
        boolean allTargets = Boolean.getBoolean("npuc.generated.allTargets");
        Map<String, Integer> kinds = new TreeMap<>();
        Map<String, List<String>> broken = new LinkedHashMap<>();
        int compiled = 0;
        for (long seed = first; seed < first + models; seed++) {
            ModelScript script = ModelGenerator.generate(seed);
            List<StandardTarget> targets = allTargets ? StandardTarget.ALL
                    : List.of(StandardTarget.ALL.get((int) Math.floorMod(seed, 5L)));
            for (StandardTarget target : targets) {
                Outcome o = evaluate(script, target);
                kinds.merge(o.kind(), 1, Integer::sum);
                compiled++;
                if (o.broken() != null) {
                    List<String> seen = broken.computeIfAbsent(o.broken(), k -> new ArrayList<>());
                    if (seen.isEmpty()) {
                        seen.add(reduced(script, target, o));
                    }
                    seen.add("seed " + seed + " on " + target);
                }
            }
        }
        StringBuilder report = new StringBuilder(compiled + " compiles of generated models from seed " + first
                + ": " + kinds + "; " + broken.size() + " kinds of broken property\n");
        broken.forEach((key, seen) -> report.append("\n").append(key).append(" (").append(seen.size() - 1)
                .append(" compiles, e.g. ").append(String.join(", ", seen.subList(1, Math.min(seen.size(), 4))))
                .append(")\n").append(seen.get(0)));
        System.out.println(report);
        assertTrue(broken.isEmpty(), report.toString());
    }

    /** The smallest script that breaks the same property, as the ModelBuilder code that builds it. */
    private static String reduced(ModelScript script, StandardTarget target, Outcome o) {
        ModelScript small = ScriptReducer.reduce(script, s -> o.broken().equals(evaluate(s, target).broken()),
                REDUCTION_BUDGET);
        return o.detail() + "\nreduced to " + small.operatorCount() + " of " + script.operatorCount()
                + " operators:\n" + small.javaSource();
    }

    /** Compiles {@code script}'s model for {@code target} on the compile thread, within the time limit. */
    static Outcome evaluate(ModelScript script, StandardTarget target) {
        Graph model = script.build();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Future<Object[]> future = compiles.submit(() -> {
            long before = threads.getCurrentThreadAllocatedBytes();
            Object outcome;
            try {
                CompileResult r = Compiler.compile(script.header().name(), model, target.target(), target.options());
                outcome = new Object[] {r, r.optimisedModel(model)};
            } catch (BadInputException | InternalCompilerError | OptimisedModelException e) {
                outcome = e;
            }
            return new Object[] {outcome, threads.getCurrentThreadAllocatedBytes() - before};
        });
        Object[] done;
        try {
            done = future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("no answer within " + TIMEOUT_SECONDS + " s on " + target + ":\n"
                    + script.javaSource());
        } catch (ExecutionException e) {
            return new Outcome("exception", "exception " + e.getCause().getClass().getSimpleName(),
                    e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        long allocated = (Long) done[1];
        if (allocated > ALLOCATION_BUDGET) {
            return new Outcome("over budget", "allocation over budget", allocated + " bytes allocated");
        }
        Object outcome = done[0];
        if (outcome instanceof InternalCompilerError e) {
            return new Outcome("internal error", "internal error [" + e.signature() + "]", e.getMessage());
        }
        if (outcome instanceof OptimisedModelException e) {
            return new Outcome("no optimised model", "optimised model not written", e.getMessage());
        }
        if (outcome instanceof BadInputException e) {
            String m = e.getMessage();
            if (m.contains("does not fit: it needs ") && m.contains("the arena cache size is")) {
                return Outcome.ok("does not fit");
            }
            if (m.contains("Vela 3.10 stops here") && m.contains("avoids it")) {
                return Outcome.ok("Vela's limit");
            }
            return new Outcome("error", "an error that names no remedy", m);
        }
        Object[] result = (Object[]) outcome;
        return checkResult((CompileResult) result[0], (byte[]) result[1]);
    }

    private static Outcome checkResult(CompileResult r, byte[] optimised) {
        for (OperationInfo op : r.frontEnd().cpuOperators()) {
            if (r.warnings().stream().noneMatch(w -> w.contains("'" + op.name() + "'"))) {
                return new Outcome("ok", "CPU operator without a reason", op.type() + " '" + op.name() + "'");
            }
        }
        try {
            TfliteReader.read(optimised);
            List<NpuCall> calls = NpuCall.of(optimised);
            if (calls.size() != r.streams().size()) {
                return new Outcome("ok", "NPU calls missing from the optimised model", calls.size() + " calls, "
                        + r.streams().size() + " command streams");
            }
            for (NpuCall call : calls) {
                List<String> problems = StreamChecks.problems(call);
                if (!problems.isEmpty()) {
                    return new Outcome("ok", "command stream " + problems.get(0).replaceAll("[0-9]+", "N"),
                            String.join("\n", problems.subList(0, Math.min(3, problems.size()))));
                }
            }
        } catch (npuc.tflite.ModelFormatException | RuntimeException e) {
            return new Outcome("ok", "optimised model does not read back", e.toString());
        }
        return Outcome.ok("ok");
    }
}
