package npuc.worker;

import java.time.Duration;
import java.util.Objects;

import npuc.worker.codec.MessageLimits;
import npuc.worker.storage.S3Location;
import npuc.worker.storage.StorageScope;

/**
 * What a worker accepts of a job and how long it gives it.
 *
 * @param messages how large a job message and how many targets it may have
 * @param targetTimeout the longest one target may compile; one that takes longer is stopped and fails
 * @param storage where jobs may read models and write artifacts
 * @param deadLetterReports where the full report of a dead letter goes when its header would be too long, and
 *     the original message when the dead letter could not hold it
 */
public record JobPolicy(MessageLimits messages, Duration targetTimeout, StorageScope storage,
        S3Location deadLetterReports) {
    public static final Duration DEFAULT_TARGET_TIMEOUT = Duration.ofMinutes(5);
    public static final String DEFAULT_DEAD_LETTER_REPORTS = "s3://artifacts/npuc-dead-letters";

    public JobPolicy {
        Objects.requireNonNull(messages, "messages");
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(deadLetterReports, "deadLetterReports");
        if (targetTimeout.isNegative() || targetTimeout.isZero()) {
            throw new IllegalArgumentException("the target timeout must be positive");
        }
        deadLetterReports.keyProblem().ifPresent(problem -> {
            throw new IllegalArgumentException("dead-letter reports: " + problem);
        });
    }

    public static JobPolicy defaults() {
        return new JobPolicy(MessageLimits.defaults(), DEFAULT_TARGET_TIMEOUT, StorageScope.defaults(),
            S3Location.parse(DEFAULT_DEAD_LETTER_REPORTS));
    }

    public JobPolicy withTargetTimeout(Duration value) {
        return new JobPolicy(messages, value, storage, deadLetterReports);
    }

    public JobPolicy withMessages(MessageLimits value) {
        return new JobPolicy(value, targetTimeout, storage, deadLetterReports);
    }

    public JobPolicy withStorage(StorageScope value) {
        return new JobPolicy(messages, targetTimeout, value, deadLetterReports);
    }
}
