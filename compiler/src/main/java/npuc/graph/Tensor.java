package npuc.graph;

import java.util.List;
import java.util.Objects;

/**
 * A tensor of a subgraph. {@code shapeSignature} is null when the model does not give one;
 * {@code quantization} is null when the tensor has none; {@code buffer} indexes the model's buffers
 * (0 is the empty buffer by convention).
 */
public record Tensor(String name, List<Integer> shape, List<Integer> shapeSignature, DataType type, int buffer,
                     Quantization quantization, boolean variable, boolean hasRank) {
    public Tensor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        shape = List.copyOf(shape);
        shapeSignature = shapeSignature == null ? null : List.copyOf(shapeSignature);
    }

    /** Number of elements, as a long: feature maps of real models can pass 2^31 bytes. */
    public long elementCount() {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }
}
