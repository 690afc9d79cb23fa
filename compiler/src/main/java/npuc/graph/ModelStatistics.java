package npuc.graph;

import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Counts over a whole model: tensors, operators, an operator histogram by TFLite name (custom operators
 * by their custom code), and the bytes of constant tensor data.
 */
public record ModelStatistics(Graph graph, int tensorCount, int operatorCount, Map<String, Integer> operatorHistogram,
                              long constantBytes, int constantBuffers) {

    public ModelStatistics {
        operatorHistogram = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(operatorHistogram));
    }

    public static ModelStatistics of(Graph graph) {
        int tensors = 0;
        Map<String, Integer> counts = new TreeMap<>();
        // A buffer shared by several tensors holds its bytes once.
        Set<Integer> constantBufferIds = new HashSet<>();
        for (Subgraph sg : graph.subgraphs()) {
            tensors += sg.tensors().size();
            for (Operator op : sg.operators()) {
                counts.merge(graph.operatorCode(op).displayName(), 1, Integer::sum);
            }
            for (Tensor t : sg.tensors()) {
                if (t.buffer() > 0 && !graph.buffers().get(t.buffer()).data().isEmpty()) {
                    constantBufferIds.add(t.buffer());
                }
            }
        }
        long constantBytes = 0;
        for (int id : constantBufferIds) {
            constantBytes += graph.buffers().get(id).data().size();
        }
        // Most frequent first, then by name, as a reader scans a histogram.
        Map<String, Integer> histogram = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> histogram.put(e.getKey(), e.getValue()));
        return new ModelStatistics(graph, tensors, graph.operatorCount(), histogram, constantBytes,
                constantBufferIds.size());
    }
}
