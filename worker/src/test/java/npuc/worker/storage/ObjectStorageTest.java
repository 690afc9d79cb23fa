package npuc.worker.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import npuc.embedded.EmbeddedKafkaBroker;
import npuc.embedded.EmbeddedS3Endpoint;
import org.junit.jupiter.api.Test;

/** Transient store failures are retried with backoff; a store that stays down opens the circuit. */
class ObjectStorageTest {
    private static ObjectStorage storage(int port, int attempts, Duration backoff) {
        return new ObjectStorage(S3Settings.forEndpoint(URI.create("http://127.0.0.1:" + port),
            EmbeddedS3Endpoint.ACCESS_KEY, EmbeddedS3Endpoint.SECRET_KEY).buildClient(), attempts, backoff);
    }

    @Test
    void anEndpointThatComesUpDuringTheBackoffServesTheRetriedRequest() throws Exception {
        int port = EmbeddedKafkaBroker.freePort();
        try (ObjectStorage storage = storage(port, 6, Duration.ofMillis(300))) {
            CompletableFuture<EmbeddedS3Endpoint> late = CompletableFuture.supplyAsync(() -> {
                try {
                    Thread.sleep(700);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return EmbeddedS3Endpoint.start(port);
            });
            try {
                storage.ensureBucket("late");
                storage.write(new S3Location("late", "m.tflite"), new byte[] {1, 2, 3}, "application/octet-stream");
                assertEquals(3, storage.info(new S3Location("late", "m.tflite")).size());
            } finally {
                late.join().close();
            }
        }
    }

    @Test
    void aStoreThatStaysDownFailsWithAReasonAndOpensTheCircuit() throws Exception {
        int port = EmbeddedKafkaBroker.freePort();
        try (ObjectStorage storage = storage(port, 2, Duration.ofMillis(10))) {
            for (int i = 0; i < 6; i++) {
                StorageException e = assertThrows(StorageException.class,
                    () -> storage.info(new S3Location("models", "m.tflite")));
                assertTrue(e.getMessage().startsWith("HEAD s3://models/m.tflite: "), e.getMessage());
            }
            assertEquals(CircuitBreaker.State.OPEN, storage.circuitState());
            StorageException open = assertThrows(StorageException.class,
                () -> storage.read(new S3Location("models", "m.tflite"), 1024));
            assertTrue(open.getMessage().contains("circuit open"), open.getMessage());
        }
    }
}
