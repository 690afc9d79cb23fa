package npuc.worker;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The jobs taken from the jobs topic and not yet published, per partition in offset order. Jobs finish in any
 * order but are published in offset order: a partition's finished jobs go out only up to the first one still
 * running, so the committed offset never passes a job that has no results. A job deferred by a fault of the
 * store is handed back together with every job after it in its partition, to be read again from its offset.
 */
final class InFlightJobs {
    /** One job: the record it came in and its run. */
    record Job(ConsumerRecord<byte[], byte[]> record, JobRun run) {
        TopicPartition partition() {
            return new TopicPartition(record.topic(), record.partition());
        }

        long offset() {
            return record.offset();
        }

        JobReport report() {
            return ((JobOutcome.Finished) run.outcomeNow()).report();
        }
    }

    /**
     * What can be published now: per partition, the finished jobs before the first that is not, and the offset
     * to commit after them.
     */
    record Ready(Map<TopicPartition, List<Job>> jobs, Map<TopicPartition, OffsetAndMetadata> offsets) {
        boolean isEmpty() {
            return jobs.isEmpty();
        }

        List<Job> all() {
            return jobs.values().stream().flatMap(List::stream).toList();
        }
    }

    private final Map<TopicPartition, ArrayDeque<Job>> byPartition = new LinkedHashMap<>();

    void add(ConsumerRecord<byte[], byte[]> record, JobRun run) {
        Job job = new Job(record, run);
        byPartition.computeIfAbsent(job.partition(), p -> new ArrayDeque<>()).add(job);
    }

    int count() {
        return byPartition.values().stream().mapToInt(ArrayDeque::size).sum();
    }

    boolean isEmpty() {
        return byPartition.isEmpty();
    }

    Set<TopicPartition> partitions() {
        return Set.copyOf(byPartition.keySet());
    }

    /** The jobs ready to publish: each partition's leading jobs whose outcome is final. */
    Ready ready() {
        Map<TopicPartition, List<Job>> jobs = new LinkedHashMap<>();
        Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
        byPartition.forEach((partition, queue) -> {
            for (Job job : queue) {
                if (!(job.run().outcomeNow() instanceof JobOutcome.Finished)) {
                    break;
                }
                jobs.computeIfAbsent(partition, p -> new ArrayList<>()).add(job);
                offsets.put(partition, new OffsetAndMetadata(job.offset() + 1));
            }
        });
        return new Ready(jobs, offsets);
    }

    /**
     * Of each partition, the first job a fault of the store deferred. Jobs before it may still be running: they
     * are published when they finish, and reading the partition again starts at the deferred job.
     */
    List<Job> deferred() {
        List<Job> deferred = new ArrayList<>();
        for (ArrayDeque<Job> queue : byPartition.values()) {
            queue.stream().filter(job -> job.run().outcomeNow() instanceof JobOutcome.Deferred).findFirst()
                .ifPresent(deferred::add);
        }
        return deferred;
    }

    /** Forgets jobs whose results are committed. */
    void published(Ready ready) {
        ready.jobs().forEach((partition, jobs) -> {
            ArrayDeque<Job> queue = byPartition.get(partition);
            if (queue != null) {
                queue.removeAll(jobs);
                if (queue.isEmpty()) {
                    byPartition.remove(partition);
                }
            }
        });
    }

    /** Hands back {@code job} and every later job of its partition, cancelling them; they will be read again. */
    void handBack(Job job, String reason) {
        ArrayDeque<Job> queue = byPartition.get(job.partition());
        if (queue == null) {
            return;
        }
        Iterator<Job> later = queue.descendingIterator();
        while (later.hasNext()) {
            Job next = later.next();
            if (next.offset() < job.offset()) {
                break;
            }
            next.run().cancel(reason);
            later.remove();
        }
        if (queue.isEmpty()) {
            byPartition.remove(job.partition());
        }
    }

    /** Forgets the jobs of a partition before {@code committed}: their results were committed by an attempt whose outcome was not seen. */
    int committedBefore(TopicPartition partition, long committed) {
        ArrayDeque<Job> queue = byPartition.get(partition);
        int removed = 0;
        while (queue != null && !queue.isEmpty() && queue.peekFirst().offset() < committed) {
            queue.pollFirst().run().cancel("already published");
            removed++;
        }
        if (queue != null && queue.isEmpty()) {
            byPartition.remove(partition);
        }
        return removed;
    }

    /** Drops every job of these partitions, cancelling them: the partitions' next owner runs them from their committed offsets. */
    void drop(Collection<TopicPartition> partitions, String reason) {
        for (TopicPartition partition : List.copyOf(partitions)) {
            ArrayDeque<Job> queue = byPartition.remove(partition);
            if (queue != null) {
                queue.forEach(job -> job.run().cancel(reason));
            }
        }
    }

    /** The earliest offset held of a partition, where to read from again after its jobs are dropped. */
    long firstOffset(TopicPartition partition) {
        ArrayDeque<Job> queue = byPartition.get(partition);
        return queue == null || queue.isEmpty() ? -1 : queue.peekFirst().offset();
    }
}
