package npuc.tflite;

import java.nio.ByteBuffer;

import npuc.graph.Graph;

/** Reads TFLite flatbuffers into {@link Graph} values. (Interface placeholder; the reader lands with the schema.) */
public final class TfliteReader {
    private TfliteReader() {
    }

    /** Reads a whole model; constant data stays a view of {@code model}, which must not change afterwards. */
    public static Graph read(ByteBuffer model) throws ModelFormatException {
        throw new ModelFormatException("reader not built yet");
    }

    public static Graph read(byte[] model) throws ModelFormatException {
        return read(ByteBuffer.wrap(model));
    }
}
