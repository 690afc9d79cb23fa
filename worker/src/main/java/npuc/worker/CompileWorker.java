package npuc.worker;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import io.github.resilience4j.core.IntervalFunction;
import npuc.messages.CompileResult;
import npuc.messages.ResultStatus;
import npuc.worker.codec.MessageCodec;
import npuc.worker.ops.WorkerMetrics;
import npuc.worker.storage.ObjectStorage;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The worker: consumes jobs, compiles them, publishes one result per target, exactly once.
 *
 * <p>One thread owns the consumer and the transactional producer and never stops polling, so a long
 * compile never costs the group membership. Jobs run on pools; when the number of jobs in flight reaches
 * the limit, every partition is paused (polling goes on, fetching nothing). Per partition, jobs finish in
 * any order but are published in offset order: a finished job waits until those before it finish, then
 * the results and dead letters of all such jobs go out in one transaction together with the consumed
 * offsets. A worker that dies mid-job has committed neither, so the job is redone by whoever gets the
 * partition, and its artifacts land on the same keys.
 */
public final class CompileWorker implements Runnable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CompileWorker.class);
    public static final String DLT_REASON = "npuc.dlt.reason";
    public static final String DLT_SOURCE = "npuc.dlt.source";
    public static final String DLT_JOB_ID = "npuc.dlt.job-id";
    /** The distinct failure signatures of the job's internal errors, comma-separated; absent when there are none. */
    public static final String DLT_SIGNATURES = "npuc.dlt.failure-signatures";

    /** How often the consumer lag is measured: a ListOffsets request, cheap at this rate. */
    private static final Duration LAG_REFRESH = Duration.ofSeconds(2);

    private record InFlight(ConsumerRecord<byte[], byte[]> record, JobRun run) {
    }

    /**
     * What the health endpoints need to know about the loop, read from other threads.
     *
     * @param started the loop has begun
     * @param stopped the loop has ended (stopped, fenced or failed)
     * @param groupJoined the consumer has had an assignment from the group, possibly empty (more workers
     *     than partitions), since it last lost its partitions
     * @param sinceLastLoop time since the loop last went round; a loop stuck in one call stops going round
     */
    public record Status(boolean started, boolean stopped, boolean groupJoined, int assignedPartitions,
            int jobsInFlight, Duration sinceLastLoop) {
    }

    private final WorkerSettings settings;
    private final MessageCodec codec = new MessageCodec();
    private final ModelCache models;
    private final ExecutorService compilePool;
    private final ExecutorService storagePool;
    private final JobProcessor processor;
    private final Map<TopicPartition, ArrayDeque<InFlight>> inFlight = new HashMap<>();
    private final IntervalFunction transactionBackoff =
        IntervalFunction.ofExponentialBackoff(Duration.ofMillis(200), 2.0, Duration.ofSeconds(30));

    private final WorkerMetrics metrics;
    private KafkaConsumer<byte[], byte[]> consumer;
    // Read by the metrics scrape (send retries) as well as the loop.
    private volatile KafkaProducer<byte[], byte[]> producer;
    private final AtomicLong retiredProducerRetries = new AtomicLong();
    private long nextLagNanos = System.nanoTime();
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
    private int failedTransactions;

    public CompileWorker(WorkerSettings settings, TargetCompiler compiler, ObjectStorage storage) {
        this(settings, compiler, storage, new WorkerMetrics());
    }

    public CompileWorker(WorkerSettings settings, TargetCompiler compiler, ObjectStorage storage,
            WorkerMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
        this.models = new ModelCache(storage, settings.maxModelBytes(), settings.modelCacheBytes());
        this.compilePool = Executors.newFixedThreadPool(settings.compileThreads(), named("npuc-compile"));
        // Storage work is I/O-bound and per job at most one download plus a few uploads per target.
        this.storagePool = Executors.newFixedThreadPool(Math.max(4, settings.maxInFlightJobs()), named("npuc-storage"));
        this.processor = new JobProcessor(compiler, models, new ArtifactStore(storage), codec, compilePool,
            storagePool, settings.workerId(), npucVersion(), metrics);
        metrics.kafkaSendRetries(this, CompileWorker::producerSendRetries);
        metrics.modelDownloads(models, ModelCache::downloads);
        metrics.sharedCompileWork(compiler::sharedWorkStatistics);
    }

    /** Send retries of every producer this worker has had: the current one's counter plus the replaced ones'. */
    private double producerSendRetries() {
        KafkaProducer<byte[], byte[]> current = producer;
        return retiredProducerRetries.get() + (current == null ? 0 : sendRetries(current));
    }

    private static long sendRetries(KafkaProducer<byte[], byte[]> producer) {
        try {
            for (Map.Entry<MetricName, ? extends Metric> metric : producer.metrics().entrySet()) {
                if (metric.getKey().name().equals("record-retry-total")
                        && metric.getKey().group().equals("producer-metrics")
                        && metric.getValue().metricValue() instanceof Number total) {
                    return total.longValue();
                }
            }
        } catch (RuntimeException e) {
            // A producer being closed may refuse; the count is reported again at the next scrape.
        }
        return 0;
    }

    /** The loop's state now. */
    public Status status() {
        return new Status(started, loopEnded, groupJoined, assignedPartitions, jobsInFlight,
            Duration.ofNanos(System.nanoTime() - lastLoopNanos));
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
            producer = newProducer();
            consumer.subscribe(List.of(settings.topics().jobs()), new Rebalance());
            LOG.info("worker {} consuming {} ({} compile threads, up to {} jobs in flight)", settings.workerId(),
                settings.topics().jobs(), settings.compileThreads(), settings.maxInFlightJobs());
            while (!(stopRequested && (inFlightCount() == 0 || System.nanoTime() > drainDeadlineNanos))) {
                lastLoopNanos = System.nanoTime();
                pauseOrResume();
                ConsumerRecords<byte[], byte[]> records = consumer.poll(settings.pollTimeout());
                admit(records);
                publishFinished();
                reportState();
            }
            handBackUnfinished();
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
            stopped.countDown();
        }
    }

    private void reportState() {
        Set<TopicPartition> assigned = consumer.assignment();
        int jobs = inFlightCount();
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

    private KafkaProducer<byte[], byte[]> newProducer() {
        Properties props = new Properties();
        props.putAll(settings.kafkaProperties());
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "npuc-" + settings.workerId() + "-results");
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "npuc-worker-" + settings.workerId());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        KafkaProducer<byte[], byte[]> created = new KafkaProducer<>(props);
        // Fences any earlier producer with this id and aborts the transaction it left open.
        created.initTransactions();
        return created;
    }

    private int inFlightCount() {
        int count = 0;
        for (ArrayDeque<InFlight> jobs : inFlight.values()) {
            count += jobs.size();
        }
        return count;
    }

    private void pauseOrResume() {
        Set<TopicPartition> assigned = consumer.assignment();
        if (stopRequested || inFlightCount() >= settings.maxInFlightJobs()) {
            consumer.pause(assigned);
        } else if (!consumer.paused().isEmpty()) {
            consumer.resume(consumer.paused());
        }
    }

    private void admit(ConsumerRecords<byte[], byte[]> records) {
        for (TopicPartition partition : records.partitions()) {
            for (ConsumerRecord<byte[], byte[]> record : records.records(partition)) {
                if (stopRequested || inFlightCount() >= settings.maxInFlightJobs()) {
                    // Not taken: fetch it again once there is room (or let the next owner take it).
                    consumer.seek(partition, record.offset());
                    break;
                }
                JobRun run = processor.start(record);
                inFlight.computeIfAbsent(partition, p -> new ArrayDeque<>()).add(new InFlight(record, run));
            }
        }
    }

    /** Publishes every job finished in offset order, with its offsets, in one transaction. */
    private void publishFinished() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
        Map<TopicPartition, List<InFlight>> done = new LinkedHashMap<>();
        for (Map.Entry<TopicPartition, ArrayDeque<InFlight>> entry : inFlight.entrySet()) {
            ArrayDeque<InFlight> jobs = entry.getValue();
            while (!jobs.isEmpty() && jobs.peekFirst().run().isDone()) {
                InFlight job = jobs.pollFirst();
                done.computeIfAbsent(entry.getKey(), p -> new ArrayList<>()).add(job);
                offsets.put(entry.getKey(), new OffsetAndMetadata(job.record().offset() + 1));
            }
        }
        if (done.isEmpty()) {
            return;
        }
        int results = 0;
        List<JobReport> reports = new ArrayList<>();
        try {
            producer.beginTransaction();
            for (List<InFlight> jobs : done.values()) {
                for (InFlight job : jobs) {
                    JobReport report = job.run().report().join();
                    results += send(job, report);
                    reports.add(report);
                }
            }
            producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            producer.commitTransaction();
            failedTransactions = 0;
            jobsCommitted.addAndGet(reports.size());
            resultsPublished.addAndGet(results);
            reports.forEach(CompileWorker::logPublished);
            reports.forEach(report -> metrics.jobPublished(report.results()));
            LOG.debug("published {} results of {} jobs", results, reports.size());
        } catch (ProducerFencedException | FencedInstanceIdException e) {
            throw e;
        } catch (KafkaException e) {
            int jobCount = done.values().stream().mapToInt(List::size).sum();
            LOG.warn("publishing {} jobs failed, they will be redone: {}", jobCount, e.toString());
            metrics.transactionRetried();
            recoverProducer();
            redo(done);
        }
    }

    /** One line per job, and one per failed target, each carrying the job id (and target) for log search. */
    private static void logPublished(JobReport report) {
        try (MDC.MDCCloseable job = MDC.putCloseable(LogKeys.JOB_ID, report.jobId())) {
            long ok = report.results().stream().filter(r -> r.getStatus() == ResultStatus.OK).count();
            for (CompileResult result : report.results()) {
                if (result.getStatus() != ResultStatus.OK) {
                    try (MDC.MDCCloseable target = MDC.putCloseable(LogKeys.TARGET, result.getTargetName())) {
                        LOG.warn("target {} {}: {}", result.getTargetName(), result.getStatus(), result.getError());
                    }
                }
            }
            if (report.deadLetterReason().isPresent()) {
                LOG.warn("job {} published, {} of {} targets OK; sent to the dead-letter topic", report.jobId(), ok,
                    report.results().size());
            } else {
                LOG.info("job {} published, {} of {} targets OK", report.jobId(), ok, report.results().size());
            }
        }
    }

    private int send(InFlight job, JobReport report) {
        byte[] key = report.jobId().getBytes(StandardCharsets.UTF_8);
        for (CompileResult result : report.results()) {
            RecordHeaders headers = new RecordHeaders();
            headers.add(MessageCodec.CONTENT_TYPE, MessageCodec.AVRO.getBytes(StandardCharsets.UTF_8));
            producer.send(new ProducerRecord<>(settings.topics().results(), null, key, codec.encodeResult(result), headers));
        }
        report.deadLetterReason().ifPresent(reason -> producer.send(deadLetter(job.record(), report, reason)));
        return report.results().size();
    }

    private ProducerRecord<byte[], byte[]> deadLetter(ConsumerRecord<byte[], byte[]> source, JobReport report,
            String reason) {
        String jobId = report.jobId();
        RecordHeaders headers = new RecordHeaders();
        for (Header header : source.headers()) {
            headers.add(header);
        }
        headers.add(DLT_REASON, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(DLT_SOURCE, (source.topic() + "-" + source.partition() + "@" + source.offset()).getBytes(StandardCharsets.UTF_8));
        headers.add(DLT_JOB_ID, jobId.getBytes(StandardCharsets.UTF_8));
        String signatures = report.results().stream().map(CompileResult::getFailureSignature)
            .filter(Objects::nonNull).distinct().collect(Collectors.joining(","));
        if (!signatures.isEmpty()) {
            headers.add(DLT_SIGNATURES, signatures.getBytes(StandardCharsets.UTF_8));
        }
        // The original bytes, untouched, so the job can be replayed once its cause is fixed.
        return new ProducerRecord<>(settings.topics().deadLetters(), null, source.key(), source.value(), headers);
    }

    /** After a failed transaction: abort it, or replace the producer when it cannot abort, backing off each time. */
    private void recoverProducer() {
        failedTransactions++;
        try {
            producer.abortTransaction();
        } catch (ProducerFencedException e) {
            throw e;
        } catch (KafkaException e) {
            LOG.warn("abort failed ({}); replacing the producer", e.toString());
            retire(producer);
        }
        pause(transactionBackoff.apply(failedTransactions));
        // A broker that is down for a while is a transient error too: keep trying, backing off, until it
        // answers or the worker is told to stop.
        while (producer == null) {
            try {
                producer = newProducer();
            } catch (ProducerFencedException e) {
                throw e;
            } catch (KafkaException e) {
                if (stopRequested) {
                    throw e;
                }
                failedTransactions++;
                metrics.transactionRetried();
                LOG.warn("cannot start a transactional producer ({}); retrying", e.toString());
                lastLoopNanos = System.nanoTime();
                pause(transactionBackoff.apply(failedTransactions));
            }
        }
    }

    /** Closes a producer that cannot go on, keeping its retry count for the metrics. */
    private void retire(KafkaProducer<byte[], byte[]> old) {
        retiredProducerRetries.addAndGet(sendRetries(old));
        producer = null;
        old.close(Duration.ZERO);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(Math.min(millis, 10_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Rewinds partitions whose results did not go out, dropping what was in flight there, to run them again. */
    private void redo(Map<TopicPartition, List<InFlight>> unpublished) {
        Set<TopicPartition> assigned = consumer.assignment();
        for (Map.Entry<TopicPartition, List<InFlight>> entry : unpublished.entrySet()) {
            TopicPartition partition = entry.getKey();
            ArrayDeque<InFlight> later = inFlight.remove(partition);
            if (later != null) {
                later.forEach(job -> job.run().cancel());
            }
            if (assigned.contains(partition)) {
                consumer.seek(partition, entry.getValue().get(0).record().offset());
            }
        }
    }

    private void handBackUnfinished() {
        int unfinished = inFlightCount();
        if (unfinished > 0) {
            LOG.info("worker {} hands back {} unfinished jobs", settings.workerId(), unfinished);
        }
        dropAll(inFlight.keySet());
    }

    private void dropAll(Collection<TopicPartition> partitions) {
        for (TopicPartition partition : new ArrayList<>(partitions)) {
            ArrayDeque<InFlight> jobs = inFlight.remove(partition);
            if (jobs != null) {
                jobs.forEach(job -> job.run().cancel());
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
        if (producer != null) {
            try {
                producer.close(Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.warn("closing the producer: {}", e.toString());
            }
        }
    }

    /**
     * Partitions leaving this worker: publish what is finished while the offsets are still ours, and drop
     * the rest, which the new owner redoes from the committed offset.
     */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            try {
                publishFinished();
            } catch (KafkaException e) {
                LOG.warn("publishing before a rebalance failed: {}", e.toString());
            }
            dropAll(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            groupJoined = false;
            dropAll(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            groupJoined = true;
            assignedPartitions = consumer.assignment().size();
            // Measure the lag of the new partitions at once rather than at the next refresh.
            nextLagNanos = System.nanoTime();
            Set<TopicPartition> stale = new HashSet<>(inFlight.keySet());
            stale.removeAll(consumer.assignment());
            dropAll(stale);
        }
    }

    /** Stops the worker (as {@link #requestStop()}) and waits for it. */
    @Override
    public void close() {
        requestStop();
        if (!started) {
            compilePool.shutdownNow();
            storagePool.shutdownNow();
            return;
        }
        if (!awaitStopped(settings.shutdownGrace().plusSeconds(15))) {
            LOG.warn("worker {} did not stop in time", settings.workerId());
        }
    }
}
