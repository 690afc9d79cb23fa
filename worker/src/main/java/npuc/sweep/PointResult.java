package npuc.sweep;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * What one point of a sweep gave.
 *
 * @param modelSha256 the compiled model's digest; empty when the model could not be read
 * @param options the compiler options the point was compiled with, {@code name=value;...} sorted; empty for
 *     Vela's defaults
 * @param error why it did not compile; empty when OK
 * @param errorSignature the compiler's stable signature of an internal error, when it gives one
 * @param metrics every column of Vela's summary CSV and npuc's operator counts, as the compiler wrote them;
 *     empty unless OK
 */
public record PointResult(PointKey key, String modelSha256, String options, PointStatus status, String error,
        String errorSignature, Map<String, String> metrics, long compileMillis, String npucVersion) {

    public PointResult {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(modelSha256, "modelSha256");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(errorSignature, "errorSignature");
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        Objects.requireNonNull(npucVersion, "npucVersion");
    }

    /** A summary figure as a number; empty when the point has none (not OK) or it is not a number. */
    public OptionalDouble metric(String column) {
        String value = metrics.get(column);
        if (value == null || value.isEmpty()) {
            return OptionalDouble.empty();
        }
        try {
            return OptionalDouble.of(Double.parseDouble(value));
        } catch (NumberFormatException e) {
            return OptionalDouble.empty();
        }
    }
}
