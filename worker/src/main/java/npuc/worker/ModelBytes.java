package npuc.worker;

import java.util.Objects;

/**
 * A fetched model: its name (the file name without .tflite, which names the artifacts), its content and
 * the content's SHA-256. One instance is shared, read-only, by every target of a job; callers must not
 * write into {@link #bytes()}.
 */
public record ModelBytes(String name, byte[] bytes, String sha256) {
    public ModelBytes {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(sha256, "sha256");
    }

    /** Wraps bytes, computing their digest. */
    public static ModelBytes of(String name, byte[] bytes) {
        return new ModelBytes(name, bytes, Sha256.hex(bytes));
    }

    public int size() {
        return bytes.length;
    }

    @Override
    public String toString() {
        return "ModelBytes[" + name + ", " + bytes.length + " bytes, sha256=" + sha256 + "]";
    }
}
