package npuc.worker;

import java.util.Map;

import npuc.BadInputException;
import npuc.Cancellation;
import npuc.CompileSession;

/**
 * Compiles one model for one target. Implementations are called from many threads at once, one call per
 * (model, target), and must keep no state shared between calls.
 */
public interface TargetCompiler {
    /**
     * @param cancellation cancelled when the target is over its deadline or its job was handed back; a compile
     *     that notices ends with {@link npuc.CompileCancelledException}, and its outcome is not used
     * @throws BadInputException for errors the input caused: a corrupt model, an unknown configuration,
     *     a model that does not fit the target. The worker turns it into a FAILED result.
     */
    TargetOutcome compile(ModelBytes model, TargetSpec target, Cancellation cancellation) throws BadInputException;

    /**
     * How the work this compiler's compiles share has been used, by kind ({@link CompileSession#statistics()});
     * empty for a compiler that shares none. The worker reports it in its metrics.
     */
    default Map<String, CompileSession.Statistics> sharedWorkStatistics() {
        return Map.of();
    }
}
