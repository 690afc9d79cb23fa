package npuc.tflite;

import npuc.graph.Graph;

/** Writes {@link Graph} values as TFLite flatbuffers. (Interface placeholder; the writer lands with the schema.) */
public final class TfliteWriter {
    private TfliteWriter() {
    }

    public static byte[] write(Graph graph) {
        throw new IllegalStateException("writer not built yet");
    }
}
