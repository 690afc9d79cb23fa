package npuc.worker.storage;

import java.util.Objects;

/** A bucket and key, written {@code s3://bucket/key}. The key has no leading slash and may be empty (a bucket root). */
public record S3Location(String bucket, String key) {
    public S3Location {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(key, "key");
        if (bucket.isEmpty()) {
            throw new IllegalArgumentException("empty bucket name");
        }
    }

    /** Parses {@code s3://bucket/key}; throws IllegalArgumentException saying what is wrong. */
    public static S3Location parse(String uri) {
        if (uri == null || !uri.startsWith("s3://")) {
            throw new IllegalArgumentException("not an s3:// URI: " + uri);
        }
        String rest = uri.substring("s3://".length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String key = slash < 0 ? "" : rest.substring(slash + 1);
        if (bucket.isEmpty()) {
            throw new IllegalArgumentException("no bucket in " + uri);
        }
        return new S3Location(bucket, key);
    }

    /** This location with path segments appended, one slash between each. */
    public S3Location resolve(String... segments) {
        StringBuilder path = new StringBuilder(key);
        for (String segment : segments) {
            if (path.length() > 0 && path.charAt(path.length() - 1) != '/') {
                path.append('/');
            }
            path.append(segment);
        }
        return new S3Location(bucket, path.toString());
    }

    /** The last path segment, e.g. {@code mobilenet.tflite}. */
    public String fileName() {
        int slash = key.lastIndexOf('/');
        return slash < 0 ? key : key.substring(slash + 1);
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + key;
    }
}
