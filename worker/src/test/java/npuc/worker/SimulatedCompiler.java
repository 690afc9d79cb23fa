package npuc.worker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import npuc.BadInputException;
import npuc.Cancellation;
import npuc.FailureSignature;
import npuc.InternalCompilerError;

/**
 * Stands in for the compiler in worker tests: deterministic figures derived from the model digest and the
 * target, a configurable time per target, and BadInputException for what a compiler would reject (no TFLite
 * file identifier, an accelerator it does not know), an internal error with its signature for a model named so.
 * A model named {@code hang...} compiles until its compile is cancelled, checking as the compiler does; one named
 * {@code stubborn...} never ends and ignores cancellation, as a compiler stuck outside its checkpoints would.
 */
public final class SimulatedCompiler implements TargetCompiler {
    private static final Set<String> ACCELERATORS = Set.of("ethos-u55-32", "ethos-u55-64", "ethos-u55-128",
        "ethos-u55-256", "ethos-u65-256", "ethos-u65-512");

    /** Models whose name contains this meet an internal compiler error, as a compiler bug would give. */
    public static final String INTERNAL_ERROR = "internal-error";
    /** Models whose name starts with this compile until cancelled. */
    public static final String HANG = "hang";
    /** Models whose name starts with this compile for ever, ignoring cancellation. */
    public static final String STUBBORN = "stubborn";

    private final Duration perTarget;

    public SimulatedCompiler(Duration perTarget) {
        this.perTarget = perTarget;
    }

    /** A model the simulated compiler accepts: the TFLite file identifier at offset 4, then filler. */
    public static byte[] model(String seed, int size) {
        byte[] bytes = new byte[Math.max(size, 16)];
        byte[] id = "TFL3".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(id, 0, bytes, 4, 4);
        byte[] fill = seed.getBytes(StandardCharsets.UTF_8);
        for (int i = 8; i < bytes.length; i++) {
            bytes[i] = fill[i % fill.length];
        }
        return bytes;
    }

    @Override
    public TargetOutcome compile(ModelBytes model, TargetSpec target, Cancellation cancellation)
            throws BadInputException {
        byte[] bytes = model.bytes();
        if (bytes.length < 8 || !"TFL3".equals(new String(bytes, 4, 4, StandardCharsets.US_ASCII))) {
            throw new BadInputException(model.name() + ": not a TFLite model (no TFL3 file identifier)");
        }
        if (!ACCELERATORS.contains(target.accelerator())) {
            throw new BadInputException(model.name() + ": unknown accelerator configuration " + target.accelerator()
                + " for target " + target.name());
        }
        if (model.name().contains(INTERNAL_ERROR)) {
            throw new InternalCompilerError(new FailureSignature("codegen", "RESIZE_BILINEAR",
                "IllegalArgumentException", "ArenaPlacement"),
                new IllegalArgumentException("no arena address for tensor 'resize'"));
        }
        long end = System.nanoTime() + perTarget.toNanos();
        boolean forever = model.name().startsWith(HANG) || model.name().startsWith(STUBBORN);
        while (forever || System.nanoTime() < end) {
            if (!model.name().startsWith(STUBBORN)) {
                cancellation.check();
            }
            try {
                Thread.sleep(forever ? 20 : Math.max(1, Math.min(20, (end - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                // The pool is shutting down: even a stubborn compile ends with its thread.
                Thread.currentThread().interrupt();
                throw new BadInputException(model.name() + ": compile interrupted");
            }
        }
        long seed = Math.abs((model.sha256() + target.name()).hashCode());
        long cycles = 10_000 + seed % 90_000;
        double sramKiB = 16 + (seed % 2000) / 8.0;
        Map<String, String> metrics = new LinkedHashMap<>();
        metrics.put("network", model.name());
        metrics.put("accelerator_configuration", target.accelerator());
        metrics.put("system_config", target.systemConfig());
        metrics.put("memory_mode", target.memoryMode());
        metrics.put("sram_memory_used", Double.toString(sramKiB));
        metrics.put("inference_time", Double.toString(cycles / 500_000_000.0));
        metrics.put("cycles_total", Long.toString(cycles));
        String header = String.join(",", metrics.keySet());
        String row = String.join(",", metrics.values());
        byte[] optimised = new byte[bytes.length + 8];
        System.arraycopy(bytes, 0, optimised, 0, bytes.length);
        return new TargetOutcome(Optional.of(optimised), header + "\n" + row + "\n",
            Optional.of("layer,cycles\nconv_0," + cycles + "\n"),
            "{\"network\":\"" + model.name() + "\",\"cycles_total\":" + cycles + "}", metrics);
    }
}
