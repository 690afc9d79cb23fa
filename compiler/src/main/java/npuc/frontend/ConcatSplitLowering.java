package npuc.frontend;

import java.util.ArrayList;
import java.util.List;

/**
 * Concatenations become one AvgPool copy per input writing at its offset in the output (NXP's build also
 * puts an elementwise Add behind every NPU concatenation); splits and slices become SplitSliceRead
 * operations reading at an offset, which are later folded into their consumers or become AvgPool copies.
 */
final class ConcatSplitLowering {
    private ConcatSplitLowering() {
    }

    /** NXP: the concatenation writes a new tensor, and an Add with a zero scalar (no rescale) writes its output. */
    static WorkSubgraph.OpVisit addAddAfterConcat(FrontEndContext ctx) {
        return op -> {
            if (!op.runOnNpu || !op.type.isConcat()) {
                return;
            }
            GraphTensor out = op.outputs.get(0);
            GraphTensor in1 = ctx.newTensor(out.name + "_sub", out.shape, out.type);
            in1.quant = out.quant;
            Quant zeroQuant = new Quant(out.quant == null ? List.of() : out.quant.scales(), List.of(0L),
                    ModelImport.quantMin(out.type), ModelImport.quantMax(out.type));
            GraphTensor in2 = ctx.constTensor(op.name + "_sub", new int[]{1}, out.type, zeroQuant, 0);
            GraphOp add = new GraphOp(OpType.Add, op.name + "_add");
            add.explicitScalingShift = new int[]{0};
            add.explicitScalingMultiplier = new int[]{1};
            add.addInput(in1);
            add.addInput(in2);
            add.setOutput(out);
            add.setIfmOfmShapes();
            op.setOutput(in1);
            op.setIfmOfmShapes();
        };
    }

    static WorkSubgraph.OpVisit rewriteConcat(FrontEndContext ctx) {
        return op -> {
            if (!op.runOnNpu || !op.type.isConcat()) {
                return;
            }
            op.ofm().producers = new ArrayList<>();
            unfuseActivation(ctx, op);
            GraphTensor ofm = op.ofm();
            int offset = 0;
            int axis4D = 0;
            Shape4 packShape = null;
            int axis = op.axis;
            if (op.type == OpType.Pack) {
                int rank = op.inputs.get(0).shape.length;
                if (axis < 0) {
                    axis = rank + 1 + axis;
                }
                int[] in = op.inputs.get(0).shape;
                int[] desired = new int[rank + 1];
                for (int i = 0, j = 0; i < desired.length; i++) {
                    desired[i] = i == axis ? 1 : in[j++];
                }
                axis4D = axis + (4 - desired.length);
                packShape = Shape4.of(desired);
                op.type = OpType.PackReshaped;
            }
            List<GraphTensor> inputs = new ArrayList<>(op.inputs);
            for (int i = 0; i < inputs.size(); i++) {
                GraphTensor in = inputs.get(i);
                Shape4 ifmShape;
                if (packShape != null) {
                    ifmShape = packShape;
                } else {
                    ifmShape = in.shape4();
                    axis4D = axis >= 0 ? axis + (4 - in.shape.length) : 4 + axis;
                }
                int[] write = new int[4];
                write[axis4D] = offset;
                GraphOp pool = avgPoolNop(op.name + i + "_avgpool");
                pool.inputs = new ArrayList<>(List.of(in));
                pool.outputs = new ArrayList<>(List.of(ofm));
                pool.writeOffset = new Shape4(write[0], write[1], write[2], write[3]);
                pool.writeShape = ifmShape;
                ofm.producers.add(pool);
                pool.ifmShapes.add(ifmShape);
                pool.ofmShapes.add(op.ofmShapes.get(0));
                pool.memoryFunction = MemoryFunction.CONCAT_SLICE_WRITE;
                offset += ifmShape.get(axis4D);
            }
        };
    }

    /**
     * The copies a concatenation becomes cannot carry its fused activation (each writes only a part), so the
     * activation becomes an operation of its own reading the concatenated result.
     */
    private static void unfuseActivation(FrontEndContext ctx, GraphOp op) {
        if (op.type != OpType.ConcatTFLite || op.activation == null) {
            return;
        }
        ActivationFunction act = op.activation;
        GraphOp actOp = new GraphOp(act.type(), op.name + act.type().name());
        op.activation = null;
        GraphTensor out = op.ofm();
        GraphTensor intermediate = ctx.cloneTensor(out, "_act_intermediate", true);
        actOp.setOutput(out);
        actOp.addInput(intermediate);
        op.outputs = new ArrayList<>(List.of(intermediate));
        intermediate.producers = new ArrayList<>();
        actOp.setIfmOfmShapes();
    }

    static GraphOp avgPoolNop(String name) {
        GraphOp op = new GraphOp(OpType.AvgPool, name);
        op.padding = PaddingKind.VALID;
        op.filterW = 1;
        op.filterH = 1;
        op.hasFilter = true;
        op.skirt = new int[4];
        op.explicitPadding = new int[4];
        return op;
    }

    /** Tensor rewrite: an output of an NPU split or slice gets its own SplitSliceRead producer. */
    static GraphTensor rewriteSplitOutput(GraphTensor tens) {
        if (tens == null || tens.producers.size() != 1) {
            return tens;
        }
        GraphOp split = tens.producers.get(0);
        if (!split.type.isSplit() || !split.runOnNpu) {
            return tens;
        }
        GraphTensor inp;
        Integer axis = null;
        int[] begin = null;
        int[] end = null;
        switch (split.type) {
            case Split -> {
                inp = split.inputs.get(1);
                axis = (int) split.inputs.get(0).values.get(0);
            }
            case SplitV -> {
                inp = split.inputs.get(0);
                axis = (int) split.inputs.get(2).values.get(0);
            }
            case Slice -> {
                inp = split.inputs.get(0);
                int rank = inp.shape.length;
                begin = new int[rank];
                end = new int[rank];
                ConstArray b = split.inputs.get(1).values;
                ConstArray s = split.inputs.get(2).values;
                for (int i = 0; i < b.size(); i++) {
                    begin[i] = (int) b.get(i);
                    end[i] = (int) s.get(i) + begin[i];
                }
            }
            case StridedSlice -> {
                inp = split.inputs.get(0);
                int[][] offsets = SliceLowering.stridedSliceOffsets(split);
                begin = offsets[0];
                end = offsets[1];
            }
            case UnpackReshaped -> {
                inp = split.inputs.get(0);
                axis = split.axis;
            }
            default -> {
                return tens;
            }
        }
        List<GraphTensor> outputs = split.outputs;
        GraphOp read = new GraphOp(OpType.SplitSliceRead, split.name);
        read.inputs = new ArrayList<>(List.of(inp));
        Shape4 readShape = null;
        if (begin != null) {
            int[] d = new int[begin.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = end[i] - begin[i];
            }
            readShape = Shape4.of(d);
        }
        int ofmShapeIndex = 0;
        int[] offset = begin == null ? null : fourD(begin);
        if (axis != null) {
            offset = new int[4];
            for (int idx = 0; idx < outputs.size(); idx++) {
                GraphTensor out = outputs.get(idx);
                int axis4D;
                if (split.splitAxes4D != null) {
                    axis4D = split.splitAxes4D[idx];
                } else {
                    split.ofmShapes.set(idx, out.shape4());
                    axis4D = axis >= 0 ? axis + (4 - out.shape.length) : 4 + axis;
                }
                if (out == tens) {
                    ofmShapeIndex = idx;
                    readShape = split.ofmShapes.get(idx);
                    break;
                }
                offset[axis4D] += split.ofmShapes.get(idx).get(axis4D);
            }
        }
        read.readOffsets[0] = new Shape4(offset[0], offset[1], offset[2], offset[3]);
        read.readShapes[0] = readShape;
        read.runOnNpu = true;
        read.setOutput(tens);
        read.ifmShapes.add(inp.shape4());
        read.ofmShapes.add(split.ofmShapes.get(ofmShapeIndex));
        return tens;
    }

    private static int[] fourD(int[] v) {
        int[] out = new int[4];
        int n = Math.min(4, v.length);
        for (int i = 0; i < n; i++) {
            out[4 - n + i] = v[v.length - n + i];
        }
        return out;
    }

    /** Post-order visit: fold a SplitSliceRead into NPU consumers that can read at an offset, else copy it. */
    static void removeSplitSliceRead(GraphOp op) {
        if (op.type != OpType.SplitSliceRead) {
            return;
        }
        GraphTensor ofm = op.ofm();
        boolean foldable = op.ofmShapes.get(0).equals(ofm.shape4());
        for (GraphOp c : ofm.consumers) {
            if (c == null || !c.runOnNpu || c.type.isMemoryOnly() || c.type == OpType.Mul
                    || c.originalType == OpType.Transpose) {
                foldable = false;
                break;
            }
        }
        if (foldable) {
            for (GraphOp c : new ArrayList<>(ofm.consumers)) {
                moveIntoConsumer(op, c);
            }
        } else {
            GraphOp pool = avgPoolNop(op.name + "_avgpool");
            pool.addInput(op.ifm());
            pool.outputs = new ArrayList<>(List.of(ofm));
            ofm.producers.remove(op);
            ofm.producers.add(pool);
            pool.ifmShapes.add(op.ifmShapes.get(0));
            pool.ofmShapes.add(op.ofmShapes.get(0));
            pool.readOffsets[0] = op.readOffsets[0];
            pool.readShapes[0] = op.readShapes[0];
            op.ifm().consumers.remove(op);
        }
    }

    private static void moveIntoConsumer(GraphOp read, GraphOp consumer) {
        if (consumer.ifm() == read.ofm()) {
            consumer.readOffsets[0] = read.readOffsets[0];
            consumer.readShapes[0] = read.readShapes[0];
            consumer.setInput(consumer.type.layout.ifm, read.ifm());
            consumer.ifmShapes.set(0, read.ifmShapes.get(0));
        } else if (consumer.type.isBinaryElementwise() && consumer.ifm2() == read.ofm()) {
            consumer.readOffsets[1] = read.readOffsets[0];
            consumer.readShapes[1] = read.readShapes[0];
            consumer.setInput(consumer.type.layout.ifm2, read.ifm());
            consumer.ifmShapes.set(1, read.ifmShapes.get(0));
        }
        read.ofm().consumers.remove(consumer);
        read.ofm().producers = new ArrayList<>();
        read.ifm().consumers.remove(read);
    }
}
