package npuc.listing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import npuc.frontend.GraphSnapshot;
import npuc.frontend.Quant;
import npuc.graph.Graph;
import npuc.graph.Quantization;
import npuc.graph.Subgraph;
import npuc.graph.Tensor;
import npuc.report.PythonFloat;

/**
 * Vela's {@code --verbose-quantization}: every operation after the graph rewrites with each tensor's data type,
 * the min and max the model recorded, its scales and zero points, and its name.
 */
final class QuantizationListing {
    private QuantizationListing() {
    }

    static String of(List<GraphSnapshot> subgraphs, Graph model) {
        Map<String, Quantization> recorded = new HashMap<>();
        for (Subgraph sg : model.subgraphs()) {
            for (Tensor t : sg.tensors()) {
                if (t.quantization() != null) {
                    recorded.putIfAbsent(t.name(), t.quantization());
                }
            }
        }
        StringBuilder s = new StringBuilder();
        for (GraphSnapshot sg : subgraphs) {
            s.append("print_graph_with_tensor_quantization() ").append(sg.name()).append('\n');
            for (int i = 0; i < sg.ops().size(); i++) {
                GraphSnapshot.Op op = sg.ops().get(i);
                s.append(i).append(' ').append(op.type()).append(' ').append(op.name()).append('\n');
                for (int k = 0; k < op.inputs().size(); k++) {
                    GraphSnapshot.Tensor t = op.inputs().get(k);
                    if (t == null) {
                        s.append(String.format("    Input  %02d %10s None%n", k, "-"));
                    } else {
                        line(s, "Input ", k, t, recorded);
                    }
                }
                for (int k = 0; k < op.outputs().size(); k++) {
                    line(s, "Output", k, op.outputs().get(k), recorded);
                }
                s.append('\n');
            }
        }
        return s.toString();
    }

    private static void line(StringBuilder s, String direction, int index, GraphSnapshot.Tensor t,
            Map<String, Quantization> recorded) {
        Quant q = t.quantization();
        String type = VelaText.type(t.type());
        if (q == null) {
            s.append(String.format("    %s %02d %10s NO QUANTIZATION INFO %s%n", direction, index, type, t.name()));
            return;
        }
        Quantization r = recorded.get(t.name());
        s.append(String.format("    %s %02d %10s min=%s max=%s scale=%s zero_point=%s %s%n", direction, index, type,
                range(r == null ? null : r.min()), range(r == null ? null : r.max()), scales(q.scales()),
                zeroPoints(q.zeroPoints()), t.name()));
    }

    private static String range(List<Float> v) {
        if (v == null || v.isEmpty()) {
            return "None";
        }
        return v.size() == 1 ? PythonFloat.repr(v.get(0)) : NumpyText.floatArray(v);
    }

    private static String scales(List<Double> scales) {
        if (scales.isEmpty()) {
            return "None";
        }
        if (scales.size() == 1) {
            return NumpyText.float32(scales.get(0).floatValue());
        }
        return NumpyText.floatArray(scales.stream().map(Double::floatValue).toList());
    }

    private static String zeroPoints(List<Long> zeroPoints) {
        if (zeroPoints.isEmpty()) {
            return "None";
        }
        return zeroPoints.size() == 1 ? String.valueOf(zeroPoints.get(0)) : NumpyText.intArray(zeroPoints);
    }
}
