package npuc.frontend;

import java.util.List;

import npuc.arch.Accelerator;
import npuc.graph.Graph;
import npuc.tflite.ModelBuilder;

/** Running the front end on a built model and picking out what the rewrites yielded. */
final class LoweringAssertions {
    private LoweringAssertions() {
    }

    static FrontEndResult run(ModelBuilder b) {
        return FrontEnd.run(b.build(), Accelerator.ETHOS_U55_128, false);
    }

    static FrontEndResult run(Graph g) {
        return FrontEnd.run(g, Accelerator.ETHOS_U55_128, false);
    }

    static List<OpType> npuTypes(FrontEndResult r) {
        return r.npuOperators().stream().map(FrontEndResult.OperationInfo::type).sorted().toList();
    }

    static FrontEndResult.OperationInfo npuOp(FrontEndResult r, String name) {
        return r.npuOperators().stream().filter(o -> o.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no NPU operation '" + name + "' among "
                        + r.npuOperators().stream().map(FrontEndResult.OperationInfo::name).toList()));
    }

    static FrontEndResult.OperationInfo npuOp(FrontEndResult r, OpType type) {
        List<FrontEndResult.OperationInfo> ops = r.npuOperators().stream().filter(o -> o.type() == type).toList();
        if (ops.size() != 1) {
            throw new AssertionError("expected one NPU " + type + ", found " + ops.size());
        }
        return ops.get(0);
    }

    static List<OpType> sorted(OpType... types) {
        return java.util.Arrays.stream(types).sorted().toList();
    }
}
