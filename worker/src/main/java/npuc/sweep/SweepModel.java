package npuc.sweep;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

import npuc.worker.storage.S3Location;

/**
 * A model of a sweep: its name (the file name without .tflite, unique in the sweep) and where it is, a
 * file or an S3 object.
 *
 * @param sha256 the content's digest when it was read while planning (local files); S3 models are read
 *     only by whoever compiles them
 */
public record SweepModel(String name, Optional<Path> file, Optional<S3Location> object, Optional<String> sha256) {

    public SweepModel {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sha256, "sha256");
        if (file.isPresent() == object.isPresent()) {
            throw new IllegalArgumentException("a model is a file or an S3 object: " + name);
        }
    }

    public static SweepModel file(Path file, String sha256) {
        return new SweepModel(nameOf(file.getFileName().toString()), Optional.of(file), Optional.empty(),
            Optional.of(sha256));
    }

    public static SweepModel object(S3Location object) {
        return new SweepModel(nameOf(object.fileName()), Optional.empty(), Optional.of(object), Optional.empty());
    }

    /** Where the model is, as the user wrote it. */
    public String source() {
        return file.map(Path::toString).orElseGet(() -> object.get().toString());
    }

    static String nameOf(String fileName) {
        return fileName.endsWith(".tflite") ? fileName.substring(0, fileName.length() - ".tflite".length()) : fileName;
    }
}
