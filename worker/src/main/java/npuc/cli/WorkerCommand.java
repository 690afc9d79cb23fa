package npuc.cli;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.Callable;

import npuc.worker.CompileWorker;
import npuc.worker.ObjectStorage;
import npuc.worker.TargetCompiler;
import npuc.worker.Topics;
import npuc.worker.WorkerSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code npuc worker}: consumes compile jobs from a Kafka cluster until stopped (SIGTERM hands jobs back). */
@Command(name = "worker", mixinStandardHelpOptions = true,
    description = "Compile jobs from Kafka: models from S3, artifacts to S3, one result per target.")
public final class WorkerCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka = new KafkaOptions();

    @Mixin
    S3Options s3 = new S3Options();

    @Option(names = "--jobs-topic", defaultValue = "${env:NPUC_JOBS_TOPIC:-npuc.jobs}", description = "Default: ${DEFAULT-VALUE}.")
    String jobsTopic;

    @Option(names = "--results-topic", defaultValue = "${env:NPUC_RESULTS_TOPIC:-npuc.results}", description = "Default: ${DEFAULT-VALUE}.")
    String resultsTopic;

    @Option(names = "--dead-letter-topic", defaultValue = "${env:NPUC_DEAD_LETTER_TOPIC:-npuc.jobs.dlt}",
        description = "Default: ${DEFAULT-VALUE}.")
    String deadLetterTopic;

    @Option(names = "--group-id", defaultValue = "${env:NPUC_GROUP_ID:-npuc-workers}", description = "Consumer group; default: ${DEFAULT-VALUE}.")
    String groupId;

    @Option(names = "--worker-id", defaultValue = "${env:NPUC_WORKER_ID}",
        description = "Stable id of this worker, e.g. the pod name (env NPUC_WORKER_ID; default: the host name).")
    String workerId;

    @Option(names = "--compile-threads", defaultValue = "${env:NPUC_COMPILE_THREADS:-0}",
        description = "Targets compiled at once (env NPUC_COMPILE_THREADS; 0: one per core).")
    int compileThreads;

    @Option(names = "--max-jobs-in-flight", defaultValue = "${env:NPUC_MAX_JOBS_IN_FLIGHT:-0}",
        description = "Jobs held at once (env NPUC_MAX_JOBS_IN_FLIGHT; 0: two per core).")
    int maxJobsInFlight;

    @Option(names = "--max-model-mb", defaultValue = "64", description = "Larger models fail unread; default: ${DEFAULT-VALUE}.")
    long maxModelMb;

    @Option(names = "--model-cache-mb", defaultValue = "512", description = "Models kept for later jobs; default: ${DEFAULT-VALUE}.")
    long modelCacheMb;

    @Option(names = "--shutdown-grace-seconds", defaultValue = "30",
        description = "On SIGTERM, time for in-flight jobs to finish before they are handed back; default: ${DEFAULT-VALUE}.")
    long shutdownGraceSeconds;

    @Option(names = "--no-static-membership", negatable = false,
        description = "Join the group as a dynamic member (a restart then waits for the session timeout).")
    boolean dynamicMembership;

    private final TargetCompiler compiler;

    public WorkerCommand(TargetCompiler compiler) {
        this.compiler = compiler;
    }

    @Override
    public Integer call() throws Exception {
        WorkerSettings defaults = WorkerSettings.defaults(kafka.bootstrapServers(), workerId());
        WorkerSettings settings = new WorkerSettings(kafka.bootstrapServers(),
            new Topics(jobsTopic, resultsTopic, deadLetterTopic), groupId, workerId(), !dynamicMembership,
            compileThreads > 0 ? compileThreads : defaults.compileThreads(),
            maxJobsInFlight > 0 ? maxJobsInFlight : defaults.maxInFlightJobs(),
            maxModelMb << 20, modelCacheMb << 20, defaults.pollTimeout(), Duration.ofSeconds(shutdownGraceSeconds),
            kafka.clientProperties());
        try (ObjectStorage storage = new ObjectStorage(s3.settings().buildClient())) {
            CompileWorker worker = new CompileWorker(settings, compiler, storage);
            worker.stopOnShutdown();
            worker.run();
        }
        return 0;
    }

    private String workerId() {
        if (workerId != null && !workerId.isBlank()) {
            return workerId;
        }
        String host = System.getenv("HOSTNAME");
        if (host != null && !host.isBlank()) {
            return host;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "npuc-worker";
        }
    }
}
