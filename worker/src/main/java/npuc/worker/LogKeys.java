package npuc.worker;

/**
 * Keys of the logging context (MDC) set around the work on a job and on one of its targets, so every log
 * line about them carries them; the JSON log layout writes them as fields of their own.
 */
public final class LogKeys {
    public static final String JOB_ID = "job_id";
    public static final String TARGET = "target";

    private LogKeys() {
    }
}
