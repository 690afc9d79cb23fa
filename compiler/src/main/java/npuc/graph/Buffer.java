package npuc.graph;

import java.util.Objects;

/** A model buffer: constant tensor data, metadata, or empty (buffer 0 and the buffers of computed tensors). */
public record Buffer(ConstantData data) {
    public static final Buffer EMPTY = new Buffer(ConstantData.EMPTY);

    public Buffer {
        Objects.requireNonNull(data, "data");
    }
}
