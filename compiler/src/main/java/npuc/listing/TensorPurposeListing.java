package npuc.listing;

import java.util.List;

import npuc.arch.MemoryArea;
import npuc.arch.Target;
import npuc.frontend.GraphSnapshot;
import npuc.frontend.TensorPurpose;

/**
 * Vela's {@code --verbose-tensor-purpose}: every operation with each tensor's purpose, the memory area and
 * memory type that purpose puts it in (constants in permanent storage), and the tensor.
 */
final class TensorPurposeListing {
    private TensorPurposeListing() {
    }

    static String of(List<GraphSnapshot> subgraphs, Target target) {
        StringBuilder s = new StringBuilder();
        for (GraphSnapshot sg : subgraphs) {
            s.append("print_graph_with_tensors() ").append(sg.name()).append('\n');
            for (int i = 0; i < sg.ops().size(); i++) {
                GraphSnapshot.Op op = sg.ops().get(i);
                s.append(i).append(' ').append(op.type()).append(' ').append(op.name()).append('\n');
                for (int k = 0; k < op.inputs().size(); k++) {
                    line(s, "Input ", k, op.inputs().get(k), target);
                }
                for (int k = 0; k < op.outputs().size(); k++) {
                    line(s, "Output", k, op.outputs().get(k), target);
                }
                s.append('\n');
            }
        }
        return s.toString();
    }

    private static void line(StringBuilder s, String direction, int index, GraphSnapshot.Tensor t, Target target) {
        if (t == null) {
            s.append(String.format("    %s %02d %20s %20s %20s None%n", direction, index, "-", "-", "-"));
            return;
        }
        s.append(String.format("    %s %02d %20s %20s %20s %s%n", direction, index, purposeName(t.purpose()),
                area(t, target), memoryType(t), VelaText.tensor(t)));
    }

    static String purposeName(TensorPurpose p) {
        return switch (p) {
            case UNKNOWN -> "Unknown";
            case WEIGHTS -> "Weights";
            case FEATURE_MAP -> "FeatureMap";
            case SCRATCH -> "Scratch";
            case FAST_STORAGE -> "ScratchFast";
            case LUT -> "LUT";
        };
    }

    private static String area(GraphSnapshot.Tensor t, Target target) {
        if (t.constant() && t.purpose() != TensorPurpose.SCRATCH && t.purpose() != TensorPurpose.FAST_STORAGE
                && t.purpose() != TensorPurpose.UNKNOWN) {
            return target.permanentStorageArea().configName();
        }
        MemoryArea a = switch (t.purpose()) {
            case UNKNOWN -> null;
            case WEIGHTS, LUT -> target.permanentStorageArea();
            case FEATURE_MAP, SCRATCH -> target.featureMapStorageArea();
            case FAST_STORAGE -> target.fastStorageArea();
        };
        return a == null ? "Unknown" : a.configName();
    }

    private static String memoryType(GraphSnapshot.Tensor t) {
        if (t.constant() && t.purpose() != TensorPurpose.SCRATCH && t.purpose() != TensorPurpose.FAST_STORAGE
                && t.purpose() != TensorPurpose.UNKNOWN) {
            return "Permanent_NPU";
        }
        return switch (t.purpose()) {
            case UNKNOWN -> "Unknown";
            case WEIGHTS -> "Permanent_NPU";
            case FEATURE_MAP, LUT, SCRATCH -> "Scratch";
            case FAST_STORAGE -> "Scratch_fast";
        };
    }
}
