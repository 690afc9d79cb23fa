package npuc.worker;

import java.util.Optional;

import npuc.worker.storage.S3Location;

/**
 * What goes with a job's message to the dead-letter topic, sized to be sent whatever the job: the reason and
 * the failure signatures cut to a few kilobytes (saying how much was left out), the full report in the store
 * when anything was cut, and the original message there too when it would not fit beside the headers.
 *
 * @param reason every distinct error, or as many as fit and a count of the rest
 * @param signatures the distinct failure signatures of internal compiler errors, comma-separated; empty if none
 * @param report where the full report is, when the reason or signatures were cut
 * @param message where the original message is, when the dead letter carries it no longer
 */
public record DeadLetter(String reason, String signatures, Optional<S3Location> report,
        Optional<S3Location> message) {
}
