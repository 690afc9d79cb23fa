package npuc.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import npuc.worker.storage.StorageException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The bookkeeping of jobs in flight: published in offset order per partition, handed back from a deferred one. */
class InFlightJobsTest {
    private static final TopicPartition P0 = new TopicPartition("npuc.jobs", 0);
    private static final TopicPartition P1 = new TopicPartition("npuc.jobs", 1);

    private final InFlightJobs jobs = new InFlightJobs();

    private JobRun add(TopicPartition partition, long offset) {
        JobRun run = new JobRun(new CompletableFuture<>());
        jobs.add(new ConsumerRecord<>(partition.topic(), partition.partition(), offset, new byte[0], new byte[0]), run);
        return run;
    }

    private static void finish(JobRun run) {
        run.outcome().complete(new JobOutcome.Finished(new JobReport("j", List.of(), Optional.empty())));
    }

    private static void defer(JobRun run) {
        run.outcome().complete(new JobOutcome.Deferred(new StorageException("GET s3://models/m.tflite: refused",
            "models", null)));
    }

    private static List<Long> offsets(List<InFlightJobs.Job> list) {
        return list.stream().map(InFlightJobs.Job::offset).toList();
    }

    @Test
    void aPartitionPublishesItsFinishedJobsOnlyUpToTheFirstStillRunning() {
        JobRun a = add(P0, 10);
        JobRun b = add(P0, 11);
        JobRun c = add(P0, 12);
        JobRun d = add(P1, 3);
        finish(a);
        finish(c);
        finish(d);

        InFlightJobs.Ready ready = jobs.ready();
        assertEquals(List.of(10L, 3L), offsets(ready.all()));
        assertEquals(Map.of(P0, new OffsetAndMetadata(11), P1, new OffsetAndMetadata(4)), ready.offsets());

        jobs.published(ready);
        finish(b);
        assertEquals(List.of(11L, 12L), offsets(jobs.ready().all()));
        assertEquals(new OffsetAndMetadata(13), jobs.ready().offsets().get(P0));
        assertEquals(2, jobs.count());
    }

    @Test
    void aDeferredJobIsHandedBackWithEveryLaterJobOfItsPartitionWhileEarlierOnesStay() {
        JobRun running = add(P0, 10);
        JobRun deferred = add(P0, 11);
        JobRun later = add(P0, 12);
        JobRun elsewhere = add(P1, 5);
        defer(deferred);
        finish(later);

        List<InFlightJobs.Job> handBack = jobs.deferred();
        assertEquals(List.of(11L), offsets(handBack));
        jobs.handBack(handBack.get(0), "store down");

        assertTrue(deferred.isCancelled());
        assertTrue(later.isCancelled());
        assertFalse(running.isCancelled());
        assertFalse(elsewhere.isCancelled());
        assertEquals(2, jobs.count());
        assertEquals(10, jobs.firstOffset(P0));
        assertTrue(jobs.ready().isEmpty(), "the job still running holds its partition");
        finish(running);
        assertEquals(List.of(10L), offsets(jobs.ready().all()));
    }

    @Test
    void jobsBeforeTheCommittedOffsetWereAlreadyPublishedAndAreForgotten() {
        JobRun a = add(P0, 10);
        JobRun b = add(P0, 11);
        finish(a);
        finish(b);

        assertEquals(1, jobs.committedBefore(P0, 11));
        assertEquals(List.of(11L), offsets(jobs.ready().all()));
        assertEquals(0, jobs.committedBefore(P1, 99));
    }

    @Test
    void droppingAPartitionCancelsItsJobsOnly() {
        JobRun a = add(P0, 1);
        JobRun b = add(P1, 1);
        jobs.drop(List.of(P0), "moved");

        assertTrue(a.isCancelled());
        assertFalse(b.isCancelled());
        assertEquals(java.util.Set.of(P1), jobs.partitions());
        assertEquals(-1, jobs.firstOffset(P0));
    }
}
