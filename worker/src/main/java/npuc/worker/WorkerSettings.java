package npuc.worker;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How a worker runs.
 *
 * @param workerId stable across restarts of the same worker (a pod name): it names the transactional
 *     producer, so a restarted worker fences its previous incarnation and aborts what that left open
 * @param staticMembership join the group with the worker id as instance id, so a restart takes the
 *     partitions back at once instead of after a session timeout
 * @param compileThreads targets compiled at once, over all jobs
 * @param maxInFlightJobs jobs held at once; polling pauses at this many, which bounds memory
 * @param maxModelBytes larger models fail without being downloaded
 * @param modelCacheBytes how many bytes of models stay cached for later jobs
 * @param shutdownGrace how long a stopping worker lets in-flight jobs finish before handing them back
 * @param kafkaProperties further client properties (TLS, SASL), applied to consumer and producer alike
 * @param jobs what the worker accepts of a job, how long a target may compile, where jobs may read and write
 */
public record WorkerSettings(
    String bootstrapServers,
    Topics topics,
    String groupId,
    String workerId,
    boolean staticMembership,
    int compileThreads,
    int maxInFlightJobs,
    long maxModelBytes,
    long modelCacheBytes,
    Duration pollTimeout,
    Duration shutdownGrace,
    Map<String, String> kafkaProperties,
    JobPolicy jobs) {

    public WorkerSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(workerId, "workerId");
        if (compileThreads < 1 || maxInFlightJobs < 1) {
            throw new IllegalArgumentException("compile threads and in-flight jobs must be at least 1");
        }
        kafkaProperties = Map.copyOf(kafkaProperties);
        Objects.requireNonNull(jobs, "jobs");
    }

    /** Defaults sized to this machine: one compile thread per core, two jobs per core in flight. */
    public static WorkerSettings defaults(String bootstrapServers, String workerId) {
        int cores = Runtime.getRuntime().availableProcessors();
        return new WorkerSettings(bootstrapServers, Topics.DEFAULT, "npuc-workers", workerId, true, cores,
            Math.max(2, 2 * cores), 64L << 20, 512L << 20, Duration.ofMillis(100), Duration.ofSeconds(30), Map.of(),
            JobPolicy.defaults());
    }

    public WorkerSettings withTopics(Topics value) {
        return new WorkerSettings(bootstrapServers, value, groupId, workerId, staticMembership, compileThreads,
            maxInFlightJobs, maxModelBytes, modelCacheBytes, pollTimeout, shutdownGrace, kafkaProperties, jobs);
    }

    public WorkerSettings withGroupId(String value) {
        return new WorkerSettings(bootstrapServers, topics, value, workerId, staticMembership, compileThreads,
            maxInFlightJobs, maxModelBytes, modelCacheBytes, pollTimeout, shutdownGrace, kafkaProperties, jobs);
    }

    public WorkerSettings withConcurrency(int threads, int inFlightJobs) {
        return new WorkerSettings(bootstrapServers, topics, groupId, workerId, staticMembership, threads,
            inFlightJobs, maxModelBytes, modelCacheBytes, pollTimeout, shutdownGrace, kafkaProperties, jobs);
    }

    public WorkerSettings withModelLimits(long maxModel, long cacheBytes) {
        return new WorkerSettings(bootstrapServers, topics, groupId, workerId, staticMembership, compileThreads,
            maxInFlightJobs, maxModel, cacheBytes, pollTimeout, shutdownGrace, kafkaProperties, jobs);
    }

    public WorkerSettings withShutdownGrace(Duration value) {
        return new WorkerSettings(bootstrapServers, topics, groupId, workerId, staticMembership, compileThreads,
            maxInFlightJobs, maxModelBytes, modelCacheBytes, pollTimeout, value, kafkaProperties, jobs);
    }

    public WorkerSettings withKafkaProperties(Map<String, String> value) {
        return new WorkerSettings(bootstrapServers, topics, groupId, workerId, staticMembership, compileThreads,
            maxInFlightJobs, maxModelBytes, modelCacheBytes, pollTimeout, shutdownGrace, value, jobs);
    }

    public WorkerSettings withJobs(JobPolicy value) {
        return new WorkerSettings(bootstrapServers, topics, groupId, workerId, staticMembership, compileThreads,
            maxInFlightJobs, maxModelBytes, modelCacheBytes, pollTimeout, shutdownGrace, kafkaProperties, value);
    }
}
