package npuc.listing;

import java.util.List;

import npuc.frontend.GraphSnapshot;

/** Vela's {@code --verbose-graph}: every operation of every subgraph, numbered in traversal order. */
final class GraphListing {
    private GraphListing() {
    }

    static String of(String label, List<GraphSnapshot> subgraphs) {
        StringBuilder s = new StringBuilder();
        for (GraphSnapshot sg : subgraphs) {
            s.append("\n[ ").append(label).append(" ]\n");
            s.append("print_graph() ").append(sg.name()).append('\n');
            for (int i = 0; i < sg.ops().size(); i++) {
                GraphSnapshot.Op op = sg.ops().get(i);
                s.append(i).append(' ').append(op.type()).append(' ').append(op.name()).append('\n');
            }
        }
        return s.toString();
    }
}
