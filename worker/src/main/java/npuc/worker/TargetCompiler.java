package npuc.worker;

import npuc.BadInputException;
import npuc.Cancellation;

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
}
