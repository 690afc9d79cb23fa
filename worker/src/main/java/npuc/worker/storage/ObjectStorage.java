package npuc.worker.storage;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.Callable;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The worker's view of S3: read, size and write objects. Transient failures (connection errors, 5xx, 429,
 * an open circuit) are retried with exponential backoff; a run of failures opens a circuit breaker so a
 * dead store is not hammered by every target of every job. A missing object is an answer, not a failure.
 */
public final class ObjectStorage implements AutoCloseable {
    /** Size and version of an object: enough to decide whether to download it and to name the version. */
    public record ObjectInfo(long size, String etag) {
    }

    /**
     * Requests in progress at once, as many as the HTTP client keeps connections: a request beyond them waits
     * for a free one here instead of failing inside the client for want of a connection.
     */
    public static final int MAX_CONCURRENT_REQUESTS = S3Settings.MAX_CONNECTIONS;
    private static final Duration BULKHEAD_WAIT = Duration.ofSeconds(60);

    private final S3Client s3;
    private final CircuitBreaker breaker;
    private final Retry retry;
    private final Bulkhead bulkhead;

    public ObjectStorage(S3Client s3) {
        this(s3, 5, Duration.ofMillis(200));
    }

    public ObjectStorage(S3Client s3, int attempts, Duration firstBackoff) {
        this.s3 = s3;
        this.breaker = CircuitBreaker.of("s3", CircuitBreakerConfig.custom()
            .slidingWindowSize(20)
            .minimumNumberOfCalls(10)
            .failureRateThreshold(50)
            .waitDurationInOpenState(Duration.ofSeconds(5))
            .recordException(ObjectStorage::isTransient)
            .build());
        this.retry = Retry.of("s3", RetryConfig.custom()
            .maxAttempts(attempts)
            .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(firstBackoff, 2.0, 0.3, Duration.ofSeconds(10)))
            .retryOnException(e -> isTransient(e) || e instanceof CallNotPermittedException)
            .build());
        this.bulkhead = Bulkhead.of("s3", BulkheadConfig.custom()
            .maxConcurrentCalls(MAX_CONCURRENT_REQUESTS)
            .maxWaitDuration(BULKHEAD_WAIT)
            .build());
    }

    static boolean isTransient(Throwable e) {
        if (e instanceof S3Exception s3e) {
            int status = s3e.statusCode();
            return status >= 500 || status == 429 || status == 408;
        }
        // No HTTP answer at all: refused, reset, timed out.
        return e instanceof SdkClientException || e instanceof IOException;
    }

    private <T> T call(String what, String bucket, Callable<T> request) throws StorageException {
        try {
            return Retry.decorateCallable(retry, CircuitBreaker.decorateCallable(breaker,
                Bulkhead.decorateCallable(bulkhead, request))).call();
        } catch (CallNotPermittedException e) {
            throw new StorageException(what + ": object store unavailable (circuit open after repeated failures)",
                bucket, e);
        } catch (BulkheadFullException e) {
            throw new StorageException(what + ": all " + MAX_CONCURRENT_REQUESTS + " connections to the object store "
                + "stayed busy for " + BULKHEAD_WAIT.toSeconds() + " s", bucket, e);
        } catch (SdkException e) {
            throw new StorageException(what + ": " + e.getMessage(), bucket, e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new StorageException(what + ": " + e.getMessage(), bucket, e);
        }
    }

    public ObjectInfo info(S3Location location) throws ObjectMissingException, StorageException {
        try {
            HeadObjectResponse head = call("HEAD " + location, location.bucket(),
                () -> s3.headObject(b -> b.bucket(location.bucket()).key(location.key())));
            return new ObjectInfo(head.contentLength(), head.eTag() == null ? "" : head.eTag());
        } catch (StorageException e) {
            if (isMissing(e.getCause())) {
                throw new ObjectMissingException(location);
            }
            throw e;
        }
    }

    /** Reads an object whole; more than {@code limit} bytes is refused without reading the rest. */
    public byte[] read(S3Location location, long limit) throws ObjectMissingException, StorageException, ObjectTooLargeException {
        try {
            return call("GET " + location, location.bucket(), () -> {
                try (InputStream in = s3.getObject(b -> b.bucket(location.bucket()).key(location.key()))) {
                    byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
                    if (bytes.length > limit) {
                        throw new ObjectTooLargeException(location, limit);
                    }
                    return bytes;
                }
            });
        } catch (StorageException e) {
            if (isMissing(e.getCause())) {
                throw new ObjectMissingException(location);
            }
            if (e.getCause() instanceof ObjectTooLargeException tooLarge) {
                throw tooLarge;
            }
            throw e;
        }
    }

    public void write(S3Location location, byte[] content, String contentType) throws StorageException {
        call("PUT " + location, location.bucket(), () -> s3.putObject(
            b -> b.bucket(location.bucket()).key(location.key()).contentType(contentType),
            RequestBody.fromBytes(content)));
    }

    /** Creates a bucket unless it exists already (used by the demo and tests). */
    public void ensureBucket(String bucket) throws StorageException {
        try {
            call("create bucket " + bucket, bucket, () -> s3.createBucket(b -> b.bucket(bucket)));
        } catch (StorageException e) {
            boolean exists = e.getCause() instanceof BucketAlreadyOwnedByYouException
                || (e.getCause() instanceof S3Exception s3e && s3e.statusCode() == 409);
            if (!exists) {
                throw e;
            }
        }
    }

    private static boolean isMissing(Throwable e) {
        return e instanceof NoSuchKeyException || e instanceof NoSuchBucketException
            || (e instanceof S3Exception s3e && s3e.statusCode() == 404);
    }

    /**
     * Asks whether a bucket exists and is reachable with these credentials, once: no retry and no circuit
     * breaker, so the answer is the store's state now (a readiness probe wants exactly that).
     */
    public void checkBucket(String bucket) throws StorageException {
        try {
            s3.headBucket(b -> b.bucket(bucket));
        } catch (NoSuchBucketException e) {
            throw new StorageException("bucket " + bucket + " does not exist", bucket, e);
        } catch (S3Exception e) {
            throw new StorageException("bucket " + bucket + ": HTTP " + e.statusCode()
                + (e.statusCode() == 404 ? " (no such bucket)" : e.statusCode() == 403 ? " (access denied)" : ""),
                bucket, e);
        } catch (SdkException e) {
            throw new StorageException("bucket " + bucket + ": " + e.getMessage(), bucket, e);
        }
    }

    public CircuitBreaker.State circuitState() {
        return breaker.getState();
    }

    /** The breaker in front of every request (its state and events are reported as metrics). */
    public CircuitBreaker circuitBreaker() {
        return breaker;
    }

    /** The retry policy around every request (its events are counted as metrics). */
    public Retry retry() {
        return retry;
    }

    @Override
    public void close() {
        s3.close();
    }
}
