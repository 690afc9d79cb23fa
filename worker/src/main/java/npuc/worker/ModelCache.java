package npuc.worker;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

import npuc.BadInputException;
import npuc.worker.storage.ObjectMissingException;
import npuc.worker.storage.ObjectStorage;
import npuc.worker.storage.ObjectTooLargeException;
import npuc.worker.storage.S3Location;
import npuc.worker.storage.StorageException;

/**
 * Models by content. A sweep of many targets, or many jobs over the same model, downloads it once: entries
 * are keyed by SHA-256, found either from the job's digest or from the object's version (URI and ETag), and
 * concurrent requests for the same object share one download. The cache holds at most a fixed number of
 * bytes, least recently used first out.
 */
public final class ModelCache {
    private final ObjectStorage storage;
    private final long maxModelBytes;
    private final long capacityBytes;

    private final Map<String, ModelBytes> bySha = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<String, String> shaByVersion = new LinkedHashMap<>(16, 0.75f, true);
    private long cachedBytes;
    private final ConcurrentHashMap<String, CompletableFuture<byte[]>> downloading = new ConcurrentHashMap<>();
    private final AtomicLong downloads = new AtomicLong();

    public ModelCache(ObjectStorage storage, long maxModelBytes, long capacityBytes) {
        this.storage = storage;
        this.maxModelBytes = maxModelBytes;
        this.capacityBytes = capacityBytes;
    }

    /**
     * The model at a location, named {@code name}.
     *
     * @throws BadInputException missing, over the size limit, or not matching the expected digest
     * @throws StorageException the store failed even after retries
     */
    public ModelBytes fetch(S3Location location, Optional<String> expectedSha256, String name)
            throws BadInputException, StorageException {
        if (expectedSha256.isPresent()) {
            Optional<ModelBytes> cached = cached(expectedSha256.get());
            if (cached.isPresent()) {
                return rename(cached.get(), name);
            }
        }
        ObjectStorage.ObjectInfo info;
        try {
            info = storage.info(location);
        } catch (ObjectMissingException e) {
            throw new BadInputException("model not found: " + location, e);
        }
        if (info.size() > maxModelBytes) {
            throw new BadInputException("model " + location + " is " + info.size()
                + " bytes, over the worker's limit of " + maxModelBytes + " bytes");
        }
        String version = location + "@" + info.etag();
        Optional<ModelBytes> known = knownVersion(version);
        if (known.isPresent() && expectedSha256.map(known.get().sha256()::equalsIgnoreCase).orElse(true)) {
            return rename(known.get(), name);
        }
        byte[] bytes = download(location, version);
        ModelBytes model = ModelBytes.of(name, bytes);
        if (expectedSha256.isPresent() && !expectedSha256.get().equalsIgnoreCase(model.sha256())) {
            throw new BadInputException("model " + location + " has sha256 " + model.sha256()
                + ", the job expects " + expectedSha256.get().toLowerCase());
        }
        remember(version, model);
        return model;
    }

    private byte[] download(S3Location location, String version) throws BadInputException, StorageException {
        CompletableFuture<byte[]> mine = new CompletableFuture<>();
        CompletableFuture<byte[]> theirs = downloading.putIfAbsent(version, mine);
        if (theirs != null) {
            return await(theirs, location);
        }
        try {
            downloads.incrementAndGet();
            byte[] bytes = storage.read(location, maxModelBytes);
            mine.complete(bytes);
            return bytes;
        } catch (ObjectMissingException e) {
            mine.completeExceptionally(e);
            throw new BadInputException("model not found: " + location, e);
        } catch (ObjectTooLargeException e) {
            mine.completeExceptionally(e);
            throw new BadInputException("model " + e.getMessage(), e);
        } catch (StorageException | RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            downloading.remove(version, mine);
        }
    }

    private static byte[] await(CompletableFuture<byte[]> download, S3Location location)
            throws BadInputException, StorageException {
        try {
            return download.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StorageException("interrupted while waiting for " + location, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ObjectMissingException) {
                throw new BadInputException("model not found: " + location, cause);
            }
            if (cause instanceof ObjectTooLargeException) {
                throw new BadInputException("model " + cause.getMessage(), cause);
            }
            if (cause instanceof StorageException storage) {
                throw storage;
            }
            throw new StorageException("download of " + location + " failed: " + cause, cause);
        }
    }

    private synchronized Optional<ModelBytes> cached(String sha256) {
        return Optional.ofNullable(bySha.get(sha256.toLowerCase()));
    }

    private synchronized Optional<ModelBytes> knownVersion(String version) {
        String sha = shaByVersion.get(version);
        return sha == null ? Optional.empty() : Optional.ofNullable(bySha.get(sha));
    }

    private synchronized void remember(String version, ModelBytes model) {
        if (model.size() > capacityBytes) {
            return;
        }
        shaByVersion.put(version, model.sha256());
        if (bySha.put(model.sha256(), model) == null) {
            cachedBytes += model.size();
        }
        Iterator<ModelBytes> eldest = bySha.values().iterator();
        while (cachedBytes > capacityBytes && eldest.hasNext()) {
            cachedBytes -= eldest.next().size();
            eldest.remove();
        }
        // Version entries are tiny, but a long-running worker sees unboundedly many: keep as many as models fit.
        Iterator<String> oldVersions = shaByVersion.keySet().iterator();
        while (shaByVersion.size() > 4096 && oldVersions.hasNext()) {
            oldVersions.next();
            oldVersions.remove();
        }
    }

    private static ModelBytes rename(ModelBytes model, String name) {
        return model.name().equals(name) ? model : new ModelBytes(name, model.bytes(), model.sha256());
    }

    /** How many times a model was read from the store (not served from the cache). */
    public long downloads() {
        return downloads.get();
    }
}
