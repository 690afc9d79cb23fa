package npuc.worker.ops;

import java.time.Duration;
import java.util.Optional;

/**
 * What the health endpoints need to know about the consume loop, read from other threads.
 *
 * @param started the loop has begun
 * @param stopped the loop has ended (stopped, fenced or failed)
 * @param groupJoined the consumer has had an assignment from the group, possibly empty (more workers than
 *     partitions), since it last lost its partitions
 * @param sinceLastLoop time since the loop last went round; a loop stuck in one call stops going round
 * @param paused why the worker takes no jobs while the store or Kafka fails it; empty while it takes them
 * @param compileThreads threads compiling targets
 * @param stuckCompiles compiles still running long after their deadline cancelled them, each holding a thread
 */
public record LoopStatus(boolean started, boolean stopped, boolean groupJoined, int assignedPartitions,
        int jobsInFlight, Duration sinceLastLoop, Optional<String> paused, int compileThreads, int stuckCompiles) {

    /** A loop with nothing paused and no compile stuck. */
    public static LoopStatus of(boolean started, boolean stopped, boolean groupJoined, int assignedPartitions,
            int jobsInFlight, Duration sinceLastLoop) {
        return new LoopStatus(started, stopped, groupJoined, assignedPartitions, jobsInFlight, sinceLastLoop,
            Optional.empty(), 1, 0);
    }
}
