package npuc.worker.storage;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/** A bucket and key, written {@code s3://bucket/key}. The key has no leading slash and may be empty (a bucket root). */
public record S3Location(String bucket, String key) {
    /** S3's limit on a key, in UTF-8 bytes. */
    public static final int MAX_KEY_BYTES = 1024;
    /**
     * One path segment the worker writes: letters, digits and {@code . _ = + -}, not starting with a dot. No
     * slash, no {@code ..}, nothing a file-system-backed store or a shell would read as something else.
     */
    private static final Pattern SAFE_SEGMENT = Pattern.compile("[A-Za-z0-9_=+-][A-Za-z0-9._=+-]*");

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

    /**
     * This location with path segments appended, one slash between each.
     *
     * @throws IllegalArgumentException for a segment that is not {@linkplain #segmentProblem safe}
     */
    public S3Location resolve(String... segments) {
        StringBuilder path = new StringBuilder(key);
        for (String segment : segments) {
            segmentProblem(segment).ifPresent(problem -> {
                throw new IllegalArgumentException(problem);
            });
            if (path.length() > 0 && path.charAt(path.length() - 1) != '/') {
                path.append('/');
            }
            path.append(segment);
        }
        return new S3Location(bucket, path.toString());
    }

    /** Why {@code segment} may not be one segment of a key the worker writes, if it may not. */
    public static Optional<String> segmentProblem(String segment) {
        if (SAFE_SEGMENT.matcher(segment).matches()) {
            return Optional.empty();
        }
        return Optional.of("\"" + printable(segment) + "\" cannot be part of an object key (letters, digits and "
            + ". _ = + -, not starting with a dot)");
    }

    /**
     * Why this key is unsafe to read or write, if it is: an empty or dot-only segment ({@code a//b},
     * {@code ../x}), a backslash or control character, or more than S3's 1024 bytes. The trailing slash of a
     * prefix is allowed.
     */
    public Optional<String> keyProblem() {
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            return Optional.of(this + " has a key longer than " + MAX_KEY_BYTES + " bytes");
        }
        String path = key.endsWith("/") ? key.substring(0, key.length() - 1) : key;
        if (path.isEmpty()) {
            return Optional.empty();
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return Optional.of(printable(toString()) + " has an empty, \".\" or \"..\" path segment");
            }
            for (int i = 0; i < segment.length(); i++) {
                char c = segment.charAt(i);
                if (c < 0x20 || c == 0x7F || c == '\\') {
                    return Optional.of(printable(toString()) + " has a control character or backslash in its key");
                }
            }
        }
        return Optional.empty();
    }

    /** Whether this location lies under {@code prefix}: the same bucket, and the prefix's key a whole path prefix. */
    public boolean isWithin(S3Location prefix) {
        if (!bucket.equals(prefix.bucket())) {
            return false;
        }
        String folder = prefix.key();
        if (folder.isEmpty()) {
            return true;
        }
        if (folder.endsWith("/")) {
            return key.startsWith(folder);
        }
        return key.equals(folder) || key.startsWith(folder + "/");
    }

    /** The last path segment, e.g. {@code mobilenet.tflite}. */
    public String fileName() {
        int slash = key.lastIndexOf('/');
        return slash < 0 ? key : key.substring(slash + 1);
    }

    private static String printable(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().limit(200).forEach(c -> {
            if (c < 0x20 || c == 0x7F) {
                out.append(String.format("\\x%02x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return text.length() > 200 ? out + "..." : out.toString();
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + key;
    }
}
