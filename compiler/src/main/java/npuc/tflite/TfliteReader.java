package npuc.tflite;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import npuc.graph.Graph;

/**
 * Reads TFLite flatbuffers into {@link Graph} values. Any input, however malformed, either reads or
 * fails with a {@link ModelFormatException} saying what is wrong and where; reading never allocates
 * more than a small multiple of the input's size.
 */
public final class TfliteReader {
    private TfliteReader() {
    }

    /**
     * Reads a whole model from the remaining bytes of {@code model} (its position is the start of the
     * file). Constant data stays a view of {@code model}, which must not change afterwards.
     */
    public static Graph read(ByteBuffer model) throws ModelFormatException {
        ByteBuffer file = model.slice().order(ByteOrder.LITTLE_ENDIAN);
        Graph graph = new ModelDecoder(file).decode();
        ModelReferences.check(graph);
        return graph;
    }

    public static Graph read(byte[] model) throws ModelFormatException {
        return read(ByteBuffer.wrap(model));
    }
}
