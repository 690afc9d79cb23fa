package npuc.frontend;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import npuc.arch.Accelerator;
import npuc.graph.DataType;

/**
 * Which feature maps may use the NPU's brick format NHCWB16 rather than NHWC (Vela's check_format_restrictions):
 * only tensors written and read by NPU operations alone, not graph inputs, outputs or constants, not variable
 * state, with channel offsets of slices and concatenations on 16-channel boundaries, seen with the same 4-D shape
 * by every reader and writer, not copied by DMA, not the tiled output of a half-pixel bilinear resize, and not
 * summed by ReduceSum when int32 or on the U65-512.
 */
final class FormatRestrictions {
    private FormatRestrictions() {
    }

    static void apply(WorkSubgraph sg, Accelerator accelerator) {
        Set<GraphTensor> seen = WorkSubgraph.identitySet();
        for (GraphOp op : sg.allOps()) {
            List<GraphTensor> tensors = new ArrayList<>(op.inputs);
            tensors.addAll(op.outputs);
            for (GraphTensor t : tensors) {
                if (t != null && seen.add(t)) {
                    check(t, accelerator);
                }
            }
        }
    }

    static void check(GraphTensor t, Accelerator accelerator) {
        if (Boolean.TRUE.equals(t.forceLinearFormat) || t.producers.isEmpty()) {
            return;
        }
        OpType first = t.producers.get(0).type;
        if (first == OpType.Placeholder || first == OpType.SubgraphInput || first == OpType.Const
                || t.consumers.contains(null)) {
            return;
        }
        if (t.producers.get(0).memoryFunction == MemoryFunction.VARIABLE_TENSOR_WRITE) {
            return;
        }
        if (!t.consumers.stream().allMatch(c -> c.runOnNpu) || !t.producers.stream().allMatch(p -> p.runOnNpu)) {
            return;
        }
        if (t.producers.stream().anyMatch(p -> p.writeOffset != null && p.writeOffset.depth() % 16 != 0)) {
            return;
        }
        for (GraphOp c : t.consumers) {
            if (c.ifm() == t && c.readOffsets[0] != null && c.readOffsets[0].depth() % 16 != 0) {
                return;
            }
            if (c.ifm2() == t && c.readOffsets[1] != null && c.readOffsets[1].depth() % 16 != 0) {
                return;
            }
        }
        Shape4 shape = t.shape4();
        for (GraphOp c : t.consumers) {
            Shape4 seenAs = c.ifm() == t ? first(c.ifmShapes, 0) : second(c);
            if (!shape.equals(seenAs)) {
                return;
            }
        }
        for (GraphOp p : t.producers) {
            if (!shape.equals(first(p.ofmShapes, 0))) {
                return;
            }
        }
        if (t.consumers.stream().anyMatch(c -> c.type == OpType.Memcpy)
                || t.producers.stream().anyMatch(p -> p.type == OpType.Memcpy)) {
            return;
        }
        for (GraphOp p : t.producers) {
            if (p.originalType == OpType.ResizeBilinear && p.type == OpType.DepthwiseConv2DBias) {
                return;
            }
        }
        for (GraphOp c : t.consumers) {
            if (c.type == OpType.ReduceSum
                    && (t.type == DataType.INT32 || accelerator == Accelerator.ETHOS_U65_512)) {
                return;
            }
            if (c.type == OpType.Reshape && !noOpReshapeChain(c)) {
                return;
            }
        }
        t.forceLinearFormat = false;
    }

    private static Shape4 first(List<Shape4> shapes, int i) {
        return shapes.size() > i ? shapes.get(i) : null;
    }

    private static Shape4 second(GraphOp c) {
        return c.type.isBinaryElementwise() ? first(c.ifmShapes, 1) : null;
    }

    /** A chain of NPU reshapes that all keep the shape the first reads: brick format can pass through. */
    private static boolean noOpReshapeChain(GraphOp reshape) {
        List<GraphOp> chain = new ArrayList<>();
        if (!collect(reshape, chain)) {
            return false;
        }
        Shape4 in = first(reshape.ifmShapes, 0);
        return !chain.isEmpty() && chain.stream().allMatch(r -> in != null && in.equals(first(r.ofmShapes, 0)));
    }

    private static boolean collect(GraphOp op, List<GraphOp> chain) {
        if (op == null || !op.runOnNpu) {
            return false;
        }
        if (op.type == OpType.Reshape) {
            for (GraphOp next : op.outputs.get(0).consumers) {
                if (!collect(next, chain)) {
                    return false;
                }
            }
            chain.add(op);
        }
        return true;
    }
}
