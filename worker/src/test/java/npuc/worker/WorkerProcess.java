package npuc.worker;

import java.net.URI;
import java.time.Duration;

import npuc.embedded.EmbeddedS3Endpoint;
import npuc.worker.storage.ObjectStorage;
import npuc.worker.storage.S3Settings;

/**
 * A worker in a JVM of its own, as the crash test runs it: arguments are the bootstrap servers, the S3
 * endpoint, the worker id and the simulated compile time per target in milliseconds.
 */
public final class WorkerProcess {
    private WorkerProcess() {
    }

    public static void main(String[] args) {
        String bootstrap = args[0];
        URI endpoint = URI.create(args[1]);
        String workerId = args[2];
        Duration perTarget = Duration.ofMillis(Long.parseLong(args[3]));
        ObjectStorage storage = new ObjectStorage(
            S3Settings.forEndpoint(endpoint, EmbeddedS3Endpoint.ACCESS_KEY, EmbeddedS3Endpoint.SECRET_KEY).buildClient());
        WorkerSettings settings = WorkerSettings.defaults(bootstrap, workerId)
            .withConcurrency(2, 2)
            .withShutdownGrace(Duration.ofSeconds(5));
        CompileWorker worker = new CompileWorker(settings, new SimulatedCompiler(perTarget), storage);
        worker.stopOnShutdown();
        worker.run();
    }
}
