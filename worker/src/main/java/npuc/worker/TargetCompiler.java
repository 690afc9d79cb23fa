package npuc.worker;

import java.util.Optional;

import npuc.BadInputException;
import npuc.CompileSession;

/**
 * Compiles one model for one target. Implementations are called from many threads at once, one call per
 * (model, target), and must keep no state shared between calls.
 */
public interface TargetCompiler {
    /**
     * @throws BadInputException for errors the input caused: a corrupt model, an unknown configuration,
     *     a model that does not fit the target. The worker turns it into a FAILED result.
     */
    TargetOutcome compile(ModelBytes model, TargetSpec target) throws BadInputException;

    /** The session of work shared between this compiler's compiles, whose statistics the worker reports. */
    default Optional<CompileSession> session() {
        return Optional.empty();
    }
}
