package npuc.worker.ops;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import npuc.CompileSession;
import npuc.arch.Accelerator;
import npuc.arch.ConfigFile;
import npuc.arch.Targets;
import npuc.messages.CompileResult;
import npuc.messages.ResultStatus;
import npuc.worker.storage.ObjectStorage;

/**
 * The worker's meters, in a Prometheus registry. Names are Micrometer's (dotted); the Prometheus text
 * adds the unit and {@code _total} suffixes, so {@code npuc.jobs} is scraped as {@code npuc_jobs_total}.
 * Every tag takes values from a fixed set: accelerators and memory modes a job names are reported as
 * {@code other} unless they are the built-in ones, so a stream of odd jobs cannot grow the series count.
 */
public final class WorkerMetrics {
    public static final String JOBS = "npuc.jobs";
    public static final String TARGETS = "npuc.targets";
    public static final String COMPILE_TIME = "npuc.compile";
    public static final String S3_RETRIES = "npuc.s3.retries";
    public static final String S3_CIRCUIT_STATE = "npuc.s3.circuit.state";
    public static final String KAFKA_TRANSACTION_RETRIES = "npuc.kafka.transaction.retries";
    public static final String KAFKA_SEND_RETRIES = "npuc.kafka.send.retries";
    public static final String CONSUMER_LAG = "npuc.consumer.lag";
    public static final String ASSIGNED_PARTITIONS = "npuc.consumer.assigned.partitions";
    public static final String JOBS_IN_FLIGHT = "npuc.jobs.in.flight";
    public static final String MODEL_DOWNLOADS = "npuc.model.downloads";
    public static final String JOBS_DEFERRED = "npuc.jobs.deferred";
    public static final String TARGETS_TIMED_OUT = "npuc.targets.timed.out";
    public static final String CONSUMER_PAUSED = "npuc.consumer.paused";
    public static final String COMPILE_CACHE_HITS = "npuc.compile.cache.hits";
    public static final String COMPILE_CACHE_MISSES = "npuc.compile.cache.misses";
    public static final String COMPILE_CACHE_EVICTIONS = "npuc.compile.cache.evictions";
    public static final String COMPILE_CACHE_BYTES = "npuc.compile.cache.bytes";

    /** Tag value for an accelerator or memory mode that is not one of the built-in names. */
    public static final String OTHER = "other";

    private static final Set<String> ACCELERATORS = Set.copyOf(Accelerator.cliNames());
    private static final Set<String> MEMORY_MODES =
        Set.copyOf(Targets.builtInConfig().names(ConfigFile.SectionKind.MEMORY_MODE));

    /** Compile times from a few milliseconds (a tiny model) to many minutes (a large one on a slow pool). */
    private static final Duration COMPILE_MIN = Duration.ofMillis(5);
    private static final Duration COMPILE_MAX = Duration.ofMinutes(30);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<ResultStatus, Counter> jobs = new EnumMap<>(ResultStatus.class);
    private final Map<ResultStatus, Counter> targets = new EnumMap<>(ResultStatus.class);
    private final Counter s3Retries;
    private final Counter transactionRetries;
    private final Counter jobsDeferred;
    private final Counter targetsTimedOut;
    private final AtomicLong consumerLag = new AtomicLong();
    private final AtomicLong assignedPartitions = new AtomicLong();
    private final AtomicLong jobsInFlight = new AtomicLong();
    private final List<Supplier<Map<String, CompileSession.Statistics>>> sharedWork =
        new java.util.concurrent.CopyOnWriteArrayList<>();

    public WorkerMetrics() {
        for (ResultStatus status : ResultStatus.values()) {
            jobs.put(status, Counter.builder(JOBS).tag("status", label(status))
                .description("Jobs published, by the worst status among their targets").register(registry));
            targets.put(status, Counter.builder(TARGETS).tag("status", label(status))
                .description("Target results published, by status").register(registry));
        }
        s3Retries = Counter.builder(S3_RETRIES)
            .description("S3 requests retried after a transient failure").register(registry);
        transactionRetries = Counter.builder(KAFKA_TRANSACTION_RETRIES)
            .description("Kafka transactions that failed and whose jobs are redone, and producer restarts")
            .register(registry);
        jobsDeferred = Counter.builder(JOBS_DEFERRED)
            .description("Jobs handed back because the object store failed them; each runs again").register(registry);
        targetsTimedOut = Counter.builder(TARGETS_TIMED_OUT)
            .description("Targets that failed for compiling longer than the target deadline").register(registry);
        Gauge.builder(CONSUMER_LAG, consumerLag, AtomicLong::get)
            .description("Job records on this worker's partitions not yet fetched (end offset minus position)")
            .register(registry);
        Gauge.builder(ASSIGNED_PARTITIONS, assignedPartitions, AtomicLong::get)
            .description("Partitions of the jobs topic assigned to this worker").register(registry);
        Gauge.builder(JOBS_IN_FLIGHT, jobsInFlight, AtomicLong::get)
            .description("Jobs taken and not yet published").register(registry);
    }

    /** JVM memory, GC, threads, CPU and uptime: what a platform team's dashboards expect next to ours. */
    public WorkerMetrics withJvmMetrics() {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        return this;
    }

    private static String label(ResultStatus status) {
        return status.name().toLowerCase(Locale.ROOT);
    }

    /** A job whose results went out: counted once, with each of its targets. */
    public void jobPublished(List<CompileResult> results) {
        ResultStatus worst = ResultStatus.OK;
        for (CompileResult result : results) {
            targets.get(result.getStatus()).increment();
            worst = worse(worst, result.getStatus());
        }
        jobs.get(worst).increment();
    }

    private static ResultStatus worse(ResultStatus a, ResultStatus b) {
        return severity(b) > severity(a) ? b : a;
    }

    private static int severity(ResultStatus status) {
        return switch (status) {
            case OK -> 0;
            case FAILED -> 1;
            case INVALID -> 2;
        };
    }

    /** One compile of one target, whether the compiler produced an outcome or refused. */
    public void compiled(String accelerator, String memoryMode, boolean succeeded, long nanos) {
        Timer.builder(COMPILE_TIME)
            .description("Time to compile one target")
            .tag("accelerator", accelerator(accelerator))
            .tag("memory_mode", memoryMode(memoryMode))
            .tag("outcome", succeeded ? "ok" : "failed")
            .publishPercentileHistogram()
            .minimumExpectedValue(COMPILE_MIN)
            .maximumExpectedValue(COMPILE_MAX)
            .register(registry)
            .record(nanos, TimeUnit.NANOSECONDS);
    }

    static String accelerator(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return ACCELERATORS.contains(lower) ? lower : OTHER;
    }

    static String memoryMode(String name) {
        return MEMORY_MODES.contains(name) ? name : OTHER;
    }

    public void transactionRetried() {
        transactionRetries.increment();
    }

    public void jobDeferred() {
        jobsDeferred.increment();
    }

    public void targetTimedOut() {
        targetsTimedOut.increment();
    }

    /** 1 while the worker takes no jobs because the store or Kafka fails them, read when scraped. */
    public <T> void paused(T source, ToDoubleFunction<T> paused) {
        Gauge.builder(CONSUMER_PAUSED, source, paused)
            .description("1 while the worker takes no jobs because the object store or Kafka fails them")
            .register(registry);
    }

    public void consumerState(int partitions, int inFlight) {
        assignedPartitions.set(partitions);
        jobsInFlight.set(inFlight);
    }

    public void consumerLag(long records) {
        consumerLag.set(records);
    }

    /** Send retries of the Kafka producer, read when scraped; the source outlives producer restarts. */
    public <T> void kafkaSendRetries(T source, ToDoubleFunction<T> total) {
        FunctionCounter.builder(KAFKA_SEND_RETRIES, source, total)
            .description("Records the Kafka producer resent after a transient error").register(registry);
    }

    public <T> void modelDownloads(T source, ToDoubleFunction<T> total) {
        FunctionCounter.builder(MODEL_DOWNLOADS, source, total)
            .description("Models downloaded from S3 (cache misses)").register(registry);
    }

    /**
     * The statistics of the work compiles share, one series per kind of work ({@link CompileSession}'s names),
     * read from {@code statistics} when scraped.
     */
    public void sharedCompileWork(Supplier<Map<String, CompileSession.Statistics>> statistics) {
        // Meters hold what they read weakly; a method reference made for this call would be collected.
        sharedWork.add(statistics);
        for (String kind : List.of(CompileSession.FRONT_END, CompileSession.WEIGHT_VOLUME,
                CompileSession.ENCODED_WEIGHTS, CompileSession.BLOCK_CONFIG, CompileSession.CYCLE_COST)) {
            FunctionCounter.builder(COMPILE_CACHE_HITS, statistics, s -> of(s, kind).hits())
                .description("Lookups of shared compile work answered without making it again")
                .tag("cache", kind).register(registry);
            FunctionCounter.builder(COMPILE_CACHE_MISSES, statistics, s -> of(s, kind).misses())
                .description("Lookups of shared compile work that made it").tag("cache", kind).register(registry);
            FunctionCounter.builder(COMPILE_CACHE_EVICTIONS, statistics, s -> of(s, kind).evictions())
                .description("Entries of shared compile work evicted to stay within the limit")
                .tag("cache", kind).register(registry);
            Gauge.builder(COMPILE_CACHE_BYTES, statistics, s -> of(s, kind).bytes())
                .description("Estimated bytes of shared compile work held").tag("cache", kind).register(registry);
        }
    }

    private static CompileSession.Statistics of(Supplier<Map<String, CompileSession.Statistics>> statistics,
            String kind) {
        return statistics.get().getOrDefault(kind, CompileSession.Statistics.NONE);
    }

    /** Counts the store's retries and reports its circuit breaker's state, one series per state. */
    public void watch(ObjectStorage storage) {
        storage.retry().getEventPublisher().onRetry(event -> s3Retries.increment());
        CircuitBreaker breaker = storage.circuitBreaker();
        for (CircuitBreaker.State state : CircuitBreaker.State.values()) {
            Gauge.builder(S3_CIRCUIT_STATE, breaker, b -> b.getState() == state ? 1 : 0)
                .description("1 for the S3 circuit breaker's current state, 0 for the others")
                .tag("state", state.name().toLowerCase(Locale.ROOT))
                .register(registry);
        }
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    /** Names of the meters this worker defines (without the JVM ones), for documentation checks. */
    public static List<String> names() {
        return List.of(JOBS, TARGETS, COMPILE_TIME, S3_RETRIES, S3_CIRCUIT_STATE, KAFKA_TRANSACTION_RETRIES,
            KAFKA_SEND_RETRIES, CONSUMER_LAG, ASSIGNED_PARTITIONS, JOBS_IN_FLIGHT, MODEL_DOWNLOADS, JOBS_DEFERRED,
            TARGETS_TIMED_OUT, CONSUMER_PAUSED, COMPILE_CACHE_HITS, COMPILE_CACHE_MISSES, COMPILE_CACHE_EVICTIONS,
            COMPILE_CACHE_BYTES);
    }
}
