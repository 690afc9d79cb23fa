package npuc.sweep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import npuc.BadInputException;
import npuc.worker.ModelBytes;
import npuc.worker.storage.ObjectMissingException;
import npuc.worker.storage.ObjectStorage;
import npuc.worker.storage.ObjectTooLargeException;
import npuc.worker.storage.S3Location;
import npuc.worker.storage.StorageException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The models {@code --models} names: a {@code .tflite} file, every {@code .tflite} in a folder (not its
 * sub-folders), or every {@code .tflite} object under an {@code s3://bucket/prefix}; in name order.
 */
public final class ModelSource {
    /** The largest model a sweep reads, as the worker's default limit. */
    static final long MAX_MODEL_BYTES = 64L << 20;

    private ModelSource() {
    }

    /**
     * @param s3 the object store, asked only when a source is an s3:// prefix
     * @throws BadInputException for a missing file or folder, a folder without models, two models of one name
     */
    public static List<SweepModel> resolve(List<String> sources, Supplier<S3Client> s3) throws BadInputException {
        Map<String, SweepModel> byName = new LinkedHashMap<>();
        for (String source : sources) {
            List<SweepModel> found = source.startsWith("s3://") ? objects(source, s3.get()) : files(Path.of(source));
            if (found.isEmpty()) {
                throw new BadInputException(source + ": no .tflite models there");
            }
            for (SweepModel model : found) {
                SweepModel other = byName.putIfAbsent(model.name(), model);
                if (other != null) {
                    throw new BadInputException("two models are named " + model.name() + ": " + other.source()
                        + " and " + model.source() + " (a sweep's points are named by model)");
                }
            }
        }
        return List.copyOf(byName.values());
    }

    private static List<SweepModel> files(Path source) throws BadInputException {
        try {
            List<Path> files;
            if (Files.isDirectory(source)) {
                try (Stream<Path> listing = Files.list(source)) {
                    files = listing.filter(f -> f.getFileName().toString().endsWith(".tflite") && Files.isRegularFile(f))
                        .sorted().toList();
                }
            } else if (Files.isRegularFile(source)) {
                files = List.of(source);
            } else {
                throw new BadInputException(source + ": no such file or folder");
            }
            List<SweepModel> models = new ArrayList<>();
            for (Path file : files) {
                models.add(SweepModel.file(file, ModelBytes.of(file.getFileName().toString(), read(file)).sha256()));
            }
            return models;
        } catch (NoSuchFileException e) {
            throw new BadInputException(source + ": no such file or folder");
        } catch (IOException e) {
            throw new BadInputException(source + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static byte[] read(Path file) throws IOException, BadInputException {
        long size = Files.size(file);
        if (size > MAX_MODEL_BYTES) {
            throw new BadInputException(file + ": " + size + " bytes is more than the " + (MAX_MODEL_BYTES >> 20)
                + " MiB a sweep reads");
        }
        return Files.readAllBytes(file);
    }

    private static List<SweepModel> objects(String source, S3Client s3) throws BadInputException {
        S3Location prefix;
        try {
            prefix = S3Location.parse(source);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(source + ": " + e.getMessage(), e);
        }
        if (prefix.key().endsWith(".tflite")) {
            return List.of(SweepModel.object(prefix));
        }
        String folder = prefix.key().isEmpty() || prefix.key().endsWith("/") ? prefix.key() : prefix.key() + "/";
        List<SweepModel> models = new ArrayList<>();
        try {
            for (S3Object object : s3.listObjectsV2Paginator(b -> b.bucket(prefix.bucket()).prefix(folder).delimiter("/"))
                    .contents()) {
                if (object.key().endsWith(".tflite")) {
                    models.add(SweepModel.object(new S3Location(prefix.bucket(), object.key())));
                }
            }
        } catch (SdkException e) {
            throw new BadInputException(source + ": cannot list the models: " + e.getMessage(), e);
        }
        models.sort(java.util.Comparator.comparing(SweepModel::name));
        return models;
    }

    /** The model's content, from its file or object. */
    public static ModelBytes read(SweepModel model, Supplier<ObjectStorage> storage) throws BadInputException {
        byte[] bytes;
        if (model.file().isPresent()) {
            try {
                bytes = read(model.file().get());
            } catch (IOException e) {
                throw new BadInputException(model.source() + ": cannot read: " + e.getMessage(), e);
            }
        } else {
            try {
                bytes = storage.get().read(model.object().get(), MAX_MODEL_BYTES);
            } catch (ObjectMissingException e) {
                throw new BadInputException(model.source() + ": no such object", e);
            } catch (ObjectTooLargeException e) {
                throw new BadInputException(e.getMessage(), e);
            } catch (StorageException e) {
                throw new BadInputException(model.source() + ": cannot read: " + e.getMessage(), e);
            }
        }
        return ModelBytes.of(model.name(), bytes);
    }
}
