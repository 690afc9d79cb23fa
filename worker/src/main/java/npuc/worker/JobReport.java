package npuc.worker;

import java.util.List;
import java.util.Optional;

import npuc.messages.CompileResult;

/**
 * Everything a finished job publishes: one result per target (or one INVALID result when the message could
 * not be read), and, when anything went wrong, the reason its message goes to the dead-letter topic.
 */
public record JobReport(String jobId, List<CompileResult> results, Optional<String> deadLetterReason) {
    public JobReport {
        results = List.copyOf(results);
    }
}
