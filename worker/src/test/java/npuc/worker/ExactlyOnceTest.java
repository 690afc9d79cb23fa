package npuc.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import npuc.messages.CompileResult;
import npuc.messages.ResultStatus;
import npuc.worker.storage.S3Location;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kills a worker JVM in the middle of a sweep and starts it again: the results topic must then hold
 * exactly one result per target, none lost, none twice.
 */
class ExactlyOnceTest {
    private static final int JOBS = 4;
    private static final int TARGETS = 4;
    private static TestCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = new TestCluster(1);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static Process worker(String name) throws Exception {
        Path log = Files.createTempFile("npuc-" + name + "-", ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
            WorkerProcess.class.getName(), cluster.kafka.bootstrapServers(), cluster.s3.endpoint().toString(),
            "crash-worker", "300")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    }

    @Test
    void workerKilledMidSweepAndRestartedPublishesEachResultExactlyOnce() throws Exception {
        String modelUri = cluster.uploadModel("zoo/crash.tflite", SimulatedCompiler.model("crash", 4096));
        for (int i = 0; i < JOBS; i++) {
            cluster.submit(TestJobs.job("crash-" + i, modelUri, TestJobs.arenaSweep(TARGETS)));
        }

        Process first = worker("first");
        int atKill;
        try {
            atKill = awaitCommitted(1, Duration.ofSeconds(60));
        } finally {
            first.destroyForcibly();
            first.waitFor(10, TimeUnit.SECONDS);
        }
        assertTrue(atKill >= TARGETS && atKill < JOBS * TARGETS,
            "the kill must fall after the first job and before the last: " + atKill + " results were committed");

        Process second = worker("second");
        List<CompileResult> results;
        try {
            awaitCommitted(JOBS * TARGETS, Duration.ofSeconds(60));
            // Give a duplicate, if the worker were to publish one, time to arrive.
            Thread.sleep(1500);
            results = cluster.results(r -> r.getJobId().startsWith("crash-"));
        } finally {
            second.destroy();
            assertTrue(second.waitFor(30, TimeUnit.SECONDS), "SIGTERM stops the worker through its shutdown hook");
        }

        Map<String, Integer> perTarget = new HashMap<>();
        for (CompileResult result : results) {
            assertEquals(ResultStatus.OK, result.getStatus(), result.toString());
            perTarget.merge(result.getJobId() + "/" + result.getTargetName(), 1, Integer::sum);
        }
        List<String> duplicated = new ArrayList<>();
        perTarget.forEach((target, count) -> {
            if (count != 1) {
                duplicated.add(target + " x" + count);
            }
        });
        int logged = cluster.readCommitted(cluster.topics.results()).size();
        System.out.printf("exactly-once: %d results committed before the kill, %d after the restart, "
            + "%d distinct targets, %d committed records on the topic%n", atKill, results.size(), perTarget.size(), logged);
        assertEquals(List.of(), duplicated);
        assertEquals(JOBS * TARGETS, perTarget.size());
        assertEquals(JOBS * TARGETS, results.size());
        assertTrue(cluster.storage.info(S3Location.parse("s3://artifacts/runs/crash-" + (JOBS - 1)
            + "/arena-0/crash_report.json")).size() > 0);
    }

    private static int awaitCommitted(int count, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen = 0;
        while (System.nanoTime() < deadline) {
            seen = cluster.results(r -> r.getJobId().startsWith("crash-")).size();
            if (seen >= count) {
                return seen;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("only " + seen + " results after " + timeout + ", expected " + count);
    }
}
