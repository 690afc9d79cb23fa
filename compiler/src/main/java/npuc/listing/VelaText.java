package npuc.listing;

import java.util.List;
import java.util.Locale;

import npuc.frontend.GraphSnapshot;
import npuc.graph.DataType;

/** How Vela prints its objects in the verbose outputs: tensors, shapes and data types. */
final class VelaText {
    private VelaText() {
    }

    /** {@code <nng.Tensor 'name' shape=[1, 96, 96, 1] dtype=int8>}. */
    static String tensor(GraphSnapshot.Tensor t) {
        return "<nng.Tensor '" + t.name() + "' shape=" + PythonText.ints(t.shape()) + " dtype=" + type(t.type())
                + ">";
    }

    static String type(DataType t) {
        return t.name().toLowerCase(Locale.ROOT);
    }

    /** {@code <Shape4D [1, 48, 48, 8]>}. */
    static String shape4(npuc.frontend.Shape4 s) {
        return s == null ? "None" : "<Shape4D " + PythonText.ints(List.of(s.batch(), s.height(), s.width(), s.depth()))
                + ">";
    }
}
