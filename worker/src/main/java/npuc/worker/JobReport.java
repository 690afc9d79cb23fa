package npuc.worker;

import java.util.List;
import java.util.Optional;

import npuc.messages.CompileResult;

/**
 * Everything a finished job publishes: one result per target (or one INVALID result when the message could
 * not be read), and, when anything went wrong, its dead letter.
 */
public record JobReport(String jobId, List<CompileResult> results, Optional<DeadLetter> deadLetter) {
    public JobReport {
        results = List.copyOf(results);
    }

    /** Why the job's message goes to the dead-letter topic, as its header says. */
    public Optional<String> deadLetterReason() {
        return deadLetter.map(DeadLetter::reason);
    }
}
