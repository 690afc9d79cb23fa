package npuc.cli;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import npuc.logging.ConsoleLog;
import npuc.logging.LogFormat;
import npuc.worker.JobPolicy;
import npuc.worker.TargetCompiler;
import npuc.worker.Topics;
import npuc.worker.WorkerService;
import npuc.worker.WorkerSettings;
import npuc.worker.codec.MessageLimits;
import npuc.worker.ops.HttpPortUnavailableException;
import npuc.worker.ops.OpsHttpServer;
import npuc.worker.ops.OpsSettings;
import npuc.worker.ops.WorkerMetrics;
import npuc.worker.storage.ObjectStorage;
import npuc.worker.storage.S3Location;
import npuc.worker.storage.S3Settings;
import npuc.worker.storage.StorageScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code npuc worker}: consumes compile jobs from a Kafka cluster until stopped (SIGTERM hands jobs back). */
@Command(name = "worker", mixinStandardHelpOptions = true,
    description = "Compile jobs from Kafka: models from S3, artifacts to S3, one result per target.")
public final class WorkerCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka = new KafkaOptions();

    @Mixin
    S3Options s3 = new S3Options();

    @Option(names = "--jobs-topic", defaultValue = "${env:NPUC_JOBS_TOPIC:-npuc.jobs}",
        description = "Topic of compile jobs (env NPUC_JOBS_TOPIC; default: ${DEFAULT-VALUE}).")
    String jobsTopic;

    @Option(names = "--results-topic", defaultValue = "${env:NPUC_RESULTS_TOPIC:-npuc.results}",
        description = "Topic of results, one per target (env NPUC_RESULTS_TOPIC; default: ${DEFAULT-VALUE}).")
    String resultsTopic;

    @Option(names = "--dead-letter-topic", defaultValue = "${env:NPUC_DEAD_LETTER_TOPIC:-npuc.jobs.dlt}",
        description = "Topic of malformed and failed jobs (env NPUC_DEAD_LETTER_TOPIC; default: ${DEFAULT-VALUE}).")
    String deadLetterTopic;

    @Option(names = "--group-id", defaultValue = "${env:NPUC_GROUP_ID:-npuc-workers}",
        description = "Consumer group (env NPUC_GROUP_ID; default: ${DEFAULT-VALUE}).")
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

    @Option(names = "--max-model-mb", defaultValue = "${env:NPUC_MAX_MODEL_MB:-64}",
        description = "Larger models fail unread (env NPUC_MAX_MODEL_MB; default: ${DEFAULT-VALUE}).")
    long maxModelMb;

    @Option(names = "--model-cache-mb", defaultValue = "${env:NPUC_MODEL_CACHE_MB:-512}",
        description = "Models kept for later jobs (env NPUC_MODEL_CACHE_MB; default: ${DEFAULT-VALUE}).")
    long modelCacheMb;

    @Option(names = "--shutdown-grace-seconds", defaultValue = "${env:NPUC_SHUTDOWN_GRACE_SECONDS:-30}",
        description = "On SIGTERM, time for in-flight jobs to finish before they are handed back "
            + "(env NPUC_SHUTDOWN_GRACE_SECONDS; default: ${DEFAULT-VALUE}).")
    long shutdownGraceSeconds;

    @Option(names = "--static-membership", negatable = true, fallbackValue = "true",
        defaultValue = "${env:NPUC_STATIC_MEMBERSHIP:-true}",
        description = "Join the group with the worker id as instance id, so a restart takes its partitions back at once; "
            + "--no-static-membership joins as a dynamic member (env NPUC_STATIC_MEMBERSHIP; default: ${DEFAULT-VALUE}).")
    boolean staticMembership;

    @Option(names = "--target-timeout-seconds", defaultValue = "${env:NPUC_TARGET_TIMEOUT_SECONDS:-300}",
        description = "Longest one target may compile; a longer one is stopped and fails with its reason "
            + "(env NPUC_TARGET_TIMEOUT_SECONDS; default: ${DEFAULT-VALUE}).")
    long targetTimeoutSeconds;

    @Option(names = "--max-targets-per-job", defaultValue = "${env:NPUC_MAX_TARGETS_PER_JOB:-10000}",
        description = "Jobs with more targets are refused as invalid (env NPUC_MAX_TARGETS_PER_JOB; "
            + "default: ${DEFAULT-VALUE}).")
    int maxTargetsPerJob;

    @Option(names = "--max-job-kb", defaultValue = "${env:NPUC_MAX_JOB_KB:-1024}",
        description = "Larger job messages are refused as invalid before they are decoded (env NPUC_MAX_JOB_KB; "
            + "default: ${DEFAULT-VALUE}).")
    int maxJobKb;

    @Option(names = "--model-locations", paramLabel = "s3://BUCKET/PREFIX", split = ",",
        defaultValue = "${env:NPUC_MODEL_LOCATIONS:-" + StorageScope.DEFAULT_MODELS + "}",
        description = "Where jobs may read models, comma-separated; a job naming another model is invalid "
            + "(env NPUC_MODEL_LOCATIONS; default: ${DEFAULT-VALUE}).")
    List<String> modelLocations;

    @Option(names = "--output-locations", paramLabel = "s3://BUCKET/PREFIX", split = ",",
        defaultValue = "${env:NPUC_OUTPUT_LOCATIONS:-" + StorageScope.DEFAULT_OUTPUTS + "}",
        description = "Where jobs may write artifacts, comma-separated; a job naming another output prefix is invalid "
            + "(env NPUC_OUTPUT_LOCATIONS; default: ${DEFAULT-VALUE}).")
    List<String> outputLocations;

    @Option(names = "--dead-letter-reports", paramLabel = "s3://BUCKET/PREFIX",
        defaultValue = "${env:NPUC_DEAD_LETTER_REPORTS:-" + JobPolicy.DEFAULT_DEAD_LETTER_REPORTS + "}",
        description = "Where a dead letter's full report goes when its reason header is cut, and its message when "
            + "too large to travel with it (env NPUC_DEAD_LETTER_REPORTS; default: ${DEFAULT-VALUE}).")
    String deadLetterReports;

    @Option(names = "--http-port", defaultValue = "${env:NPUC_HTTP_PORT:-8080}",
        description = "Port of " + OpsHttpServer.LIVE_PATH + ", " + OpsHttpServer.READY_PATH + " and "
            + OpsHttpServer.METRICS_PATH + "; 0: any free port, -1: none (env NPUC_HTTP_PORT; default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--http-bind-address", paramLabel = "ADDRESS", defaultValue = "${env:NPUC_HTTP_BIND_ADDRESS:-0.0.0.0}",
        description = "Address the health and metrics endpoints listen on, e.g. 127.0.0.1 for this host only "
            + "(env NPUC_HTTP_BIND_ADDRESS; default: ${DEFAULT-VALUE}).")
    String httpBindAddress;

    @Option(names = "--s3-probe-bucket", paramLabel = "BUCKET", defaultValue = "${env:NPUC_S3_PROBE_BUCKET:-artifacts}",
        description = "Bucket asked (HEAD) to decide that S3 answers, for readiness (env NPUC_S3_PROBE_BUCKET; "
            + "default: ${DEFAULT-VALUE}).")
    String probeBucket;

    @Option(names = "--s3-probe-interval-seconds", defaultValue = "${env:NPUC_S3_PROBE_INTERVAL_SECONDS:-10}",
        description = "How often the probe bucket is asked; readiness needs an answer younger than three intervals "
            + "(env NPUC_S3_PROBE_INTERVAL_SECONDS; default: ${DEFAULT-VALUE}).")
    long probeIntervalSeconds;

    @Option(names = "--log-format", paramLabel = "text|json", defaultValue = "${env:NPUC_LOG_FORMAT:-text}",
        description = "Log lines as text or one JSON object per line (env NPUC_LOG_FORMAT; default: ${DEFAULT-VALUE}; "
            + "the container image sets json).")
    String logFormat;

    @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = "${env:NPUC_LOG_LEVEL:-INFO}",
        description = "Level of the worker's own log lines: TRACE, DEBUG, INFO, WARN, ERROR (env NPUC_LOG_LEVEL; "
            + "default: ${DEFAULT-VALUE}).")
    String logLevel;

    private final TargetCompiler compiler;

    public WorkerCommand(TargetCompiler compiler) {
        this.compiler = compiler;
    }

    @Override
    public Integer call() throws Exception {
        WorkerSettings settings;
        OpsSettings ops;
        S3Settings store;
        try {
            ConsoleLog.use(LogFormat.parse(logFormat), ConsoleLog.level(logLevel));
            settings = settings();
            ops = opsSettings();
            store = s3.settings();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        try (ObjectStorage storage = new ObjectStorage(store.buildClient())) {
            WorkerService service;
            try {
                service = new WorkerService(settings, ops, compiler, storage, new WorkerMetrics().withJvmMetrics(),
                    Clock.systemUTC());
            } catch (HttpPortUnavailableException e) {
                throw new ParameterException(spec.commandLine(), "--http-port: " + e.getMessage());
            }
            // The logger is made here, not when the command line is parsed: logging starts up only for the
            // worker, and the other commands (compile above all) start faster without it.
            Logger log = LoggerFactory.getLogger(WorkerCommand.class);
            service.httpPort().ifPresent(port -> log.info("health and metrics on port {}", port));
            service.worker().stopOnShutdown();
            service.run();
        }
        return 0;
    }

    /** The worker's settings from the flags (and the environment variables behind their defaults). */
    WorkerSettings settings() throws IOException {
        if (maxModelMb < 1 || modelCacheMb < 0 || shutdownGraceSeconds < 0) {
            throw new IllegalArgumentException("--max-model-mb must be at least 1, --model-cache-mb and "
                + "--shutdown-grace-seconds at least 0");
        }
        if (targetTimeoutSeconds < 1 || maxTargetsPerJob < 1 || maxJobKb < 1) {
            throw new IllegalArgumentException("--target-timeout-seconds, --max-targets-per-job and --max-job-kb must "
                + "be at least 1");
        }
        JobPolicy jobs = new JobPolicy(new MessageLimits(maxJobKb << 10, maxTargetsPerJob),
            Duration.ofSeconds(targetTimeoutSeconds), StorageScope.of(modelLocations, outputLocations),
            S3Location.parse(deadLetterReports));
        WorkerSettings defaults = WorkerSettings.defaults(kafka.bootstrapServers(), workerId());
        return new WorkerSettings(kafka.bootstrapServers(),
            new Topics(jobsTopic, resultsTopic, deadLetterTopic), groupId, workerId(), staticMembership,
            compileThreads > 0 ? compileThreads : defaults.compileThreads(),
            maxJobsInFlight > 0 ? maxJobsInFlight : defaults.maxInFlightJobs(),
            maxModelMb << 20, modelCacheMb << 20, defaults.pollTimeout(), Duration.ofSeconds(shutdownGraceSeconds),
            kafka.clientProperties(), jobs);
    }

    /** How the worker reports on itself, from the flags. */
    OpsSettings opsSettings() {
        if (probeIntervalSeconds < 1) {
            throw new IllegalArgumentException("--s3-probe-interval-seconds must be at least 1");
        }
        return OpsSettings.defaults().withHttpPort(httpPort).withBindAddress(httpBindAddress)
            .withProbe(probeBucket, Duration.ofSeconds(probeIntervalSeconds));
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
