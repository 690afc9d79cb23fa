package npuc.listing;

import java.util.ArrayList;
import java.util.List;

import npuc.frontend.ConstArray;
import npuc.frontend.GraphSnapshot;

/**
 * The files of {@code --subgraph-output}, from which a model tool rebuilds the graph as read: every operation
 * ({@code name|type|inputs|outputs|attributes}, '|'-separated) and, line by line, the values of every constant
 * input each operation reads.
 */
public final class NpuSubgraphFiles {
    private NpuSubgraphFiles() {
    }

    public static String operations(List<GraphSnapshot> read) {
        StringBuilder s = new StringBuilder("name|type|inputs|outputs|attributes\r\n");
        for (GraphSnapshot sg : read) {
            for (GraphSnapshot.Op op : sg.ops()) {
                String attributes = op.opIndex() == null ? "{}" : OperatorListing.attributes(op);
                s.append(op.name()).append('|').append(op.type()).append('|').append(tensors(op.inputs())).append('|')
                        .append(tensors(op.outputs())).append('|').append(attributes).append("\r\n");
            }
        }
        return s.toString();
    }

    public static String values(List<GraphSnapshot> read) {
        StringBuilder s = new StringBuilder();
        for (GraphSnapshot sg : read) {
            for (GraphSnapshot.Op op : sg.ops()) {
                for (GraphSnapshot.Tensor t : op.inputs()) {
                    if (t != null && t.values() != null) {
                        ConstArray v = t.values();
                        for (long i = 0; i < v.size(); i++) {
                            s.append(v.get(i)).append(' ');
                        }
                        s.append('\n');
                    }
                }
            }
        }
        return s.toString();
    }

    private static String tensors(List<GraphSnapshot.Tensor> tensors) {
        List<String> items = new ArrayList<>();
        for (GraphSnapshot.Tensor t : tensors) {
            items.add(t == null ? "None" : VelaText.tensor(t));
        }
        return "[" + String.join(", ", items) + "]";
    }
}
