package npuc.worker.storage;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Where jobs may read models and write artifacts: a list of {@code s3://bucket/prefix} locations for each.
 * A job naming anything else is refused before the worker touches the store, whatever its credentials reach.
 * Every location, allowed or asked for, must also have a {@linkplain S3Location#keyProblem safe key}.
 */
public final class StorageScope {
    public static final String DEFAULT_MODELS = "s3://models/";
    public static final String DEFAULT_OUTPUTS = "s3://artifacts/";

    /** Empty lists for the unconfined scope only. */
    private final List<S3Location> models;
    private final List<S3Location> outputs;

    private StorageScope(List<S3Location> models, List<S3Location> outputs) {
        this.models = List.copyOf(models);
        this.outputs = List.copyOf(outputs);
    }

    /** Jobs may read models under {@code models} and write under {@code outputs}. */
    public static StorageScope confinedTo(List<S3Location> models, List<S3Location> outputs) {
        if (models.isEmpty() || outputs.isEmpty()) {
            throw new IllegalArgumentException("name at least one model location and one output location");
        }
        for (S3Location location : models) {
            location.keyProblem().ifPresent(StorageScope::refuse);
        }
        for (S3Location location : outputs) {
            location.keyProblem().ifPresent(StorageScope::refuse);
        }
        return new StorageScope(models, outputs);
    }

    public List<S3Location> models() {
        return models;
    }

    public List<S3Location> outputs() {
        return outputs;
    }

    private static void refuse(String problem) {
        throw new IllegalArgumentException(problem);
    }

    /** Parses lists of {@code s3://} URIs; throws IllegalArgumentException naming a bad one. */
    public static StorageScope of(List<String> models, List<String> outputs) {
        return confinedTo(models.stream().map(S3Location::parse).toList(),
            outputs.stream().map(S3Location::parse).toList());
    }

    /** The buckets of a stock deployment (Compose, the demo): models read from {@code models}, written to {@code artifacts}. */
    public static StorageScope defaults() {
        return of(List.of(DEFAULT_MODELS), List.of(DEFAULT_OUTPUTS));
    }

    /** No confinement: for checking a job before it is sent, where the worker's scope is not known. */
    public static StorageScope anywhere() {
        return new StorageScope(List.of(), List.of());
    }

    /** Why a job may not read a model at {@code location}, if it may not. */
    public Optional<String> modelProblem(S3Location location) {
        return problem("model", location, models);
    }

    /** Why a job may not write under {@code location}, if it may not. */
    public Optional<String> outputProblem(S3Location location) {
        return problem("output prefix", location, outputs);
    }

    private static Optional<String> problem(String what, S3Location location, List<S3Location> allowed) {
        Optional<String> key = location.keyProblem();
        if (key.isPresent()) {
            return Optional.of(what + " " + key.get());
        }
        if (allowed.isEmpty() || allowed.stream().anyMatch(location::isWithin)) {
            return Optional.empty();
        }
        return Optional.of(what + " " + location + " is outside the locations this worker may use ("
            + allowed.stream().map(S3Location::toString).collect(Collectors.joining(", ")) + ")");
    }
}
