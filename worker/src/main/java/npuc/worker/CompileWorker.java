package npuc.worker;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import npuc.messages.CompileResult;
import npuc.messages.ResultStatus;
import npuc.worker.codec.MessageCodec;
import npuc.worker.ops.LoopStatus;
import npuc.worker.ops.WorkerMetrics;
import npuc.worker.storage.ObjectStorage;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The worker: consumes jobs, compiles them, publishes one result per target, exactly once.
 *
 * <p>One thread owns the consumer and never stops polling, so a long compile never costs the group
 * membership. Jobs run on pools ({@link JobProcessor}); the jobs in flight ({@link InFlightJobs}) go out in
 * offset order per partition, with their offsets, in one transaction ({@link ResultPublisher}). A worker that
 * dies mid-job has committed neither, so the job is redone by whoever gets the partition, and its artifacts
 * land on the same keys. Polling pauses (still polling, fetching nothing) while the jobs in flight reach the
 * limit, while the store fails jobs ({@link StorageOutage}: they are handed back, never failed) and while
 * transactions fail (the finished jobs wait for the next one). Partitions are assigned cooperatively, so a
 * rebalance takes from this worker only the partitions that move, and the work on the others goes on.
 */
public final class CompileWorker implements Runnable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CompileWorker.class);
    public static final String DLT_REASON = "npuc.dlt.reason";
    public static final String DLT_SOURCE = "npuc.dlt.source";
    public static final String DLT_JOB_ID = "npuc.dlt.job-id";
    /** The distinct failure signatures of the job's internal errors, comma-separated; absent when there are none. */
    public static final String DLT_SIGNATURES = "npuc.dlt.failure-signatures";
    /** The s3:// location of the full report, when the reason header was cut. */
    public static final String DLT_REPORT = "npuc.dlt.report";
    /** The s3:// location of the original message, when the dead letter does not carry it. */
    public static final String DLT_MESSAGE = "npuc.dlt.message";

    /** Failed targets of one job logged one by one; a sweep failing throughout is not ten thousand lines. */
    static final int LOGGED_FAILURES = 50;

    /** How often the consumer lag is measured: a ListOffsets request, cheap at this rate. */
    private static final Duration LAG_REFRESH = Duration.ofSeconds(2);

    private final WorkerSettings settings;
    private final ModelCache models;
    private final ExecutorService compilePool;
    private final ExecutorService storagePool;
    private final ScheduledExecutorService watchdog;
    private final DeadlineCompiler compiler;
    private final JobProcessor processor;
    private final ResultPublisher publisher;
    private final StorageOutage outage;
    private final InFlightJobs inFlight = new InFlightJobs();
    private final WorkerMetrics metrics;
    private KafkaConsumer<byte[], byte[]> consumer;
    private long nextLagNanos = System.nanoTime();
    /** Partitions whose committed offsets must be read again: a transaction failed without saying whether it committed. */
    private final Set<TopicPartition> unreconciled = new HashSet<>();
    private volatile boolean started;
    private volatile boolean loopEnded;
    private volatile boolean groupJoined;
    private volatile int assignedPartitions;
    private volatile int jobsInFlight;
    private volatile long lastLoopNanos = System.nanoTime();
    private volatile boolean stopRequested;
    private volatile long drainDeadlineNanos = Long.MAX_VALUE;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicLong jobsCommitted = new AtomicLong();
    private final AtomicLong resultsPublished = new AtomicLong();

    public CompileWorker(WorkerSettings settings, TargetCompiler compiler, ObjectStorage storage) {
        this(settings, compiler, storage, new WorkerMetrics());
    }

    public CompileWorker(WorkerSettings settings, TargetCompiler compiler, ObjectStorage storage,
            WorkerMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
        JobPolicy policy = settings.jobs();
        MessageCodec codec = new MessageCodec(policy.messages());
        this.models = new ModelCache(storage, settings.maxModelBytes(), settings.modelCacheBytes());
        this.compilePool = Executors.newFixedThreadPool(settings.compileThreads(), named("npuc-compile"));
        // Storage work is I/O-bound and per job at most one download plus a few uploads per target.
        this.storagePool = Executors.newFixedThreadPool(Math.max(4, settings.maxInFlightJobs()), named("npuc-storage"));
        this.watchdog = Executors.newSingleThreadScheduledExecutor(named("npuc-deadline"));
        this.compiler = new DeadlineCompiler(compiler, compilePool, watchdog, policy.targetTimeout(), metrics);
        this.publisher = new ResultPublisher(settings, codec, metrics);
        this.processor = new JobProcessor(this.compiler, models, new ArtifactStore(storage),
            new DeadLetters(storage, policy.deadLetterReports(), publisher.maxRecordBytes()), codec, policy,
            storagePool, settings.workerId(), npucVersion());
        this.outage = new StorageOutage(storage, policy.deadLetterReports().bucket(), storagePool);
        metrics.kafkaSendRetries(publisher, ResultPublisher::sendRetries);
        metrics.modelDownloads(models, ModelCache::downloads);
        metrics.paused(this, worker -> worker.pausedFor().isPresent() ? 1 : 0);
        metrics.sharedCompileWork(compiler::sharedWorkStatistics);
    }

    /** The loop's state now. */
    public LoopStatus status() {
        return new LoopStatus(started, loopEnded, groupJoined, assignedPartitions, jobsInFlight,
            Duration.ofNanos(System.nanoTime() - lastLoopNanos), pausedFor(), settings.compileThreads(),
            compiler.stuck());
    }

    /** Why the worker takes no jobs now, when it is because the store or Kafka fails them. */
    private Optional<String> pausedFor() {
        Optional<String> store = outage.state().map(state -> state.describe(System.nanoTime()));
        return store.isPresent() ? store : publisher.fault().map(fault -> "Kafka: " + fault);
    }

    public WorkerSettings settings() {
        return settings;
    }

    public static String npucVersion() {
        String version = CompileWorker.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Runs the loop on a new thread and returns it. */
    public Thread start() {
        Thread thread = new Thread(this, "npuc-worker-" + settings.workerId());
        thread.start();
        return thread;
    }

    /** Registers a shutdown hook (SIGTERM, SIGINT) that finishes in-flight jobs or hands them back. */
    public void stopOnShutdown() {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            requestStop();
            awaitStopped(settings.shutdownGrace().plusSeconds(10));
        }, "npuc-worker-shutdown"));
    }

    /** Stops taking jobs; in-flight ones get the shutdown grace to finish, the rest are handed back. */
    public void requestStop() {
        drainDeadlineNanos = System.nanoTime() + settings.shutdownGrace().toNanos();
        stopRequested = true;
    }

    public boolean awaitStopped(Duration timeout) {
        try {
            return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public long jobsCommitted() {
        return jobsCommitted.get();
    }

    public long resultsPublished() {
        return resultsPublished.get();
    }

    public long modelDownloads() {
        return models.downloads();
    }

    @Override
    public void run() {
        started = true;
        try {
            consumer = new KafkaConsumer<>(consumerProperties());
            publisher.ensureProducer();
            consumer.subscribe(List.of(settings.topics().jobs()), new Rebalance());
            LOG.info("worker {} consuming {} ({} compile threads, up to {} jobs in flight, {} s per target)",
                settings.workerId(), settings.topics().jobs(), settings.compileThreads(), settings.maxInFlightJobs(),
                settings.jobs().targetTimeout().toSeconds());
            while (!(stopRequested && (inFlight.isEmpty() || System.nanoTime() > drainDeadlineNanos))) {
                lastLoopNanos = System.nanoTime();
                publisher.ensureProducer();
                outage.tick();
                pauseOrResume();
                ConsumerRecords<byte[], byte[]> records = consumer.poll(settings.pollTimeout());
                admit(records);
                handBackDeferred();
                publishReady();
                reportState();
            }
            if (!inFlight.isEmpty()) {
                LOG.info("worker {} hands back {} unfinished jobs", settings.workerId(), inFlight.count());
            }
            inFlight.drop(inFlight.partitions(), "the worker stops");
        } catch (ProducerFencedException | FencedInstanceIdException e) {
            LOG.error("worker {} was fenced: another worker runs with the same id; stopping", settings.workerId());
        } catch (WakeupException e) {
            LOG.info("worker {} woken up to stop", settings.workerId());
        } catch (RuntimeException e) {
            LOG.error("worker {} stopped by an unexpected error", settings.workerId(), e);
        } finally {
            loopEnded = true;
            groupJoined = false;
            closeClients();
            compilePool.shutdownNow();
            storagePool.shutdownNow();
            watchdog.shutdownNow();
            stopped.countDown();
        }
    }

    private void reportState() {
        Set<TopicPartition> assigned = consumer.assignment();
        int jobs = inFlight.count();
        assignedPartitions = assigned.size();
        jobsInFlight = jobs;
        metrics.consumerState(assigned.size(), jobs);
        long now = System.nanoTime();
        if (now - nextLagNanos < 0) {
            return;
        }
        nextLagNanos = now + LAG_REFRESH.toNanos();
        if (assigned.isEmpty()) {
            metrics.consumerLag(0);
            return;
        }
        try {
            // With read_committed, end offsets are the last stable offsets: open transactions do not count.
            Map<TopicPartition, Long> end = consumer.endOffsets(assigned, Duration.ofSeconds(2));
            long lag = 0;
            for (TopicPartition partition : assigned) {
                lag += Math.max(0, end.getOrDefault(partition, 0L) - consumer.position(partition, Duration.ofSeconds(2)));
            }
            metrics.consumerLag(lag);
        } catch (WakeupException | InterruptException e) {
            throw e;
        } catch (KafkaException e) {
            // The broker did not answer in time: keep the last figure and measure again later.
            LOG.debug("measuring consumer lag: {}", e.toString());
        }
    }

    private Properties consumerProperties() {
        Properties props = new Properties();
        props.putAll(settings.kafkaProperties());
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "npuc-" + settings.workerId() + "-jobs");
        if (settings.staticMembership()) {
            props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, settings.workerId());
        }
        // A worker joining or leaving moves only the partitions that change hands; the others keep their work.
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // Jobs submitted in a transaction count only once committed.
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // Records beyond the in-flight limit are sought back anyway; fetching fewer wastes less.
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(settings.maxInFlightJobs()));
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return props;
    }

    /** Takes no jobs while stopping, full, or while the store or Kafka fails them. */
    private boolean takesJobs() {
        return !stopRequested && inFlight.count() < settings.maxInFlightJobs() && !outage.active()
            && publisher.fault().isEmpty();
    }

    private void pauseOrResume() {
        if (!takesJobs()) {
            consumer.pause(consumer.assignment());
        } else if (!consumer.paused().isEmpty()) {
            consumer.resume(consumer.paused());
        }
    }

    private void admit(ConsumerRecords<byte[], byte[]> records) {
        for (TopicPartition partition : records.partitions()) {
            for (ConsumerRecord<byte[], byte[]> record : records.records(partition)) {
                if (!takesJobs()) {
                    // Not taken: fetch it again once there is room (or let the next owner take it).
                    consumer.seek(partition, record.offset());
                    break;
                }
                inFlight.add(record, processor.start(record));
            }
        }
    }

    /** Jobs the store failed go back to their partitions, with every later job there, to be read again. */
    private void handBackDeferred() {
        for (InFlightJobs.Job job : inFlight.deferred()) {
            JobOutcome.Deferred deferred = (JobOutcome.Deferred) job.run().outcomeNow();
            try (MDC.MDCCloseable context = MDC.putCloseable(LogKeys.JOB_ID, jobId(job))) {
                LOG.warn("job at {} handed back, the object store failed it: {}", ResultPublisher.source(job.record()),
                    deferred.fault().getMessage());
            }
            inFlight.handBack(job, "handed back after a fault of the store");
            if (consumer.assignment().contains(job.partition())) {
                consumer.seek(job.partition(), job.offset());
            }
            metrics.jobDeferred();
            outage.jobDeferred(deferred.fault());
        }
    }

    private static String jobId(InFlightJobs.Job job) {
        return job.record().key() == null ? "" : new String(job.record().key(), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Publishes every job finished in offset order, with its offsets, in one transaction. */
    private void publishReady() {
        if (!publisher.ready() || !reconcile()) {
            return;
        }
        InFlightJobs.Ready ready = inFlight.ready();
        if (ready.isEmpty()) {
            publisher.idle();
            return;
        }
        ResultPublisher.Publication publication = publisher.publish(ready, consumer.groupMetadata());
        if (publication instanceof ResultPublisher.Committed committed) {
            inFlight.published(ready);
            jobsCommitted.addAndGet(committed.jobs());
            resultsPublished.addAndGet(committed.results());
            for (InFlightJobs.Job job : ready.all()) {
                JobReport report = job.report();
                logPublished(report);
                metrics.jobPublished(report.results());
                if (report.results().stream().anyMatch(r -> r.getStatus() == ResultStatus.OK)) {
                    outage.jobPublished();
                }
            }
            LOG.debug("published {} results of {} jobs", committed.results(), committed.jobs());
        } else {
            // The jobs stay finished for the next transaction; whether this one committed is read back first.
            unreconciled.addAll(ready.jobs().keySet());
        }
    }

    /**
     * After a transaction that failed without saying whether it committed (a timeout, a lost connection), reads
     * the committed offsets back: jobs before them were published by it and are forgotten, the rest go out in
     * the next transaction. False while Kafka does not answer.
     */
    private boolean reconcile() {
        if (unreconciled.isEmpty()) {
            return true;
        }
        Set<TopicPartition> partitions = new HashSet<>(unreconciled);
        partitions.retainAll(consumer.assignment());
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(partitions, Duration.ofSeconds(5));
            committed.forEach((partition, offset) -> {
                if (offset != null) {
                    int published = inFlight.committedBefore(partition, offset.offset());
                    if (published > 0) {
                        LOG.info("{} jobs of {} were published by the transaction whose outcome was not seen",
                            published, partition);
                    }
                }
            });
            unreconciled.clear();
            return true;
        } catch (WakeupException | InterruptException e) {
            throw e;
        } catch (KafkaException e) {
            LOG.warn("reading the committed offsets back: {}", e.toString());
            return false;
        }
    }

    /**
     * One line per job, and one per failed target up to {@link #LOGGED_FAILURES} (the dead letter's report has
     * them all), each carrying the job id (and target) for log search.
     */
    private static void logPublished(JobReport report) {
        try (MDC.MDCCloseable job = MDC.putCloseable(LogKeys.JOB_ID, report.jobId())) {
            long ok = report.results().stream().filter(r -> r.getStatus() == ResultStatus.OK).count();
            int logged = 0;
            for (CompileResult result : report.results()) {
                if (result.getStatus() != ResultStatus.OK && logged++ < LOGGED_FAILURES) {
                    try (MDC.MDCCloseable target = MDC.putCloseable(LogKeys.TARGET, result.getTargetName())) {
                        LOG.warn("target {} {}: {}", result.getTargetName(), result.getStatus(), result.getError());
                    }
                }
            }
            if (logged > LOGGED_FAILURES) {
                LOG.warn("and {} more failed targets", logged - LOGGED_FAILURES);
            }
            if (report.deadLetter().isPresent()) {
                LOG.warn("job {} published, {} of {} targets OK; sent to the dead-letter topic", report.jobId(), ok,
                    report.results().size());
            } else {
                LOG.info("job {} published, {} of {} targets OK", report.jobId(), ok, report.results().size());
            }
        }
    }

    private void closeClients() {
        if (consumer != null) {
            try {
                // Leave the group even as a static member, so the partitions move to another worker at once.
                consumer.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(5)));
            } catch (RuntimeException e) {
                LOG.warn("closing the consumer: {}", e.toString());
            }
        }
        publisher.close();
    }

    /**
     * Partitions leaving this worker: publish what is finished while the offsets are still ours, and drop
     * the rest, which the new owner redoes from the committed offset. With cooperative assignment only the
     * partitions that move are revoked; the work on the others goes on.
     */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            try {
                publishReady();
            } catch (KafkaException e) {
                LOG.warn("publishing before a rebalance failed: {}", e.toString());
            }
            inFlight.drop(partitions, "the partition moved to another worker");
            unreconciled.removeAll(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            groupJoined = false;
            inFlight.drop(partitions, "the partition was lost");
            unreconciled.removeAll(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            groupJoined = true;
            assignedPartitions = consumer.assignment().size();
            // Measure the lag of the new partitions at once rather than at the next refresh.
            nextLagNanos = System.nanoTime();
            Set<TopicPartition> stale = new HashSet<>(inFlight.partitions());
            stale.removeAll(consumer.assignment());
            inFlight.drop(stale, "the partition is no longer assigned");
        }
    }

    /** Stops the worker (as {@link #requestStop()}) and waits for it. */
    @Override
    public void close() {
        requestStop();
        if (!started) {
            compilePool.shutdownNow();
            storagePool.shutdownNow();
            watchdog.shutdownNow();
            return;
        }
        if (!awaitStopped(settings.shutdownGrace().plusSeconds(15))) {
            LOG.warn("worker {} did not stop in time", settings.workerId());
        }
    }
}
