package npuc.worker;

import npuc.worker.storage.StorageException;

/** What running a job came to: what to publish, or a fault of the store that hands the job back. */
public sealed interface JobOutcome {
    /** The job's results, and its dead letter when anything failed: final, to be published. */
    record Finished(JobReport report) implements JobOutcome {
    }

    /**
     * The store failed the job (unreachable, refusing the credentials, failing): not the job's fault. Nothing
     * is published; the job goes back to its partition and runs again once the store answers.
     */
    record Deferred(StorageException fault) implements JobOutcome {
    }
}
