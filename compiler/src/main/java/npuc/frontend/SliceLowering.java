package npuc.frontend;

/**
 * Output shapes of the slicing operations whose outputs change rank: UNPACK drops the unpacked axis and
 * STRIDED_SLICE may shrink or add axes. The NPU reads every slice as a 4-D block, so the rewrites give each
 * output the 4-D shape with the axis back in place (size 1) and record the axis the outputs are stacked along.
 */
final class SliceLowering {
    private SliceLowering() {
    }

    /** UNPACK becomes UnpackReshaped: outputs are seen with the unpacked axis kept as 1. */
    static GraphOp rewriteUnpackOutput(GraphOp op) {
        if (!op.runOnNpu || op.type != OpType.Unpack) {
            return op;
        }
        int axis = op.axis;
        if (axis < 0) {
            axis = op.inputs.get(0).shape.length + 1 + axis;
        }
        op.type = OpType.UnpackReshaped;
        int[] out = op.outputs.get(0).shape;
        int[] desired = insertOne(out, axis);
        int axis4D = axis + (4 - desired.length);
        op.splitAxes4D = new int[op.outputs.size()];
        java.util.Arrays.fill(op.splitAxes4D, axis4D);
        op.ofmShapes.clear();
        for (int i = 0; i < op.outputs.size(); i++) {
            op.ofmShapes.add(Shape4.of(desired));
        }
        return op;
    }

    /**
     * A STRIDED_SLICE that shrinks axes has them put back as 1 in its 4-D ofm shape; one that adds axes has them
     * taken out again. The masks are cleared, as they are dealt with.
     */
    static GraphOp rewriteStridedSliceOutput(GraphOp op) {
        if (!op.runOnNpu || op.type != OpType.StridedSlice || (op.shrinkAxisMask == 0 && op.newAxisMask == 0)) {
            return op;
        }
        int[] axes4D = new int[op.outputs.size()];
        // The offsets are taken with the masks as given, before they are cleared.
        stridedSliceOffsets(op);
        for (int idx = 0; idx < op.outputs.size(); idx++) {
            int[] shape = op.outputs.get(idx).shape.clone();
            int axis = 0;
            if (op.shrinkAxisMask != 0) {
                int mask = op.shrinkAxisMask;
                while (mask != 0) {
                    int lowest = Integer.numberOfTrailingZeros(mask);
                    mask &= mask - 1;
                    axis = lowest;
                    shape = insertOne(shape, axis);
                }
                op.shrinkAxisMask = 0;
            } else {
                int mask = op.newAxisMask;
                while (mask != 0) {
                    int prev = mask;
                    mask &= mask - 1;
                    axis = Integer.numberOfTrailingZeros(prev - mask);
                    shape = remove(shape, axis);
                    // Each added axis taken out moves the following mask bits down by one.
                    mask >>= 1;
                }
                op.newAxisMask = 0;
            }
            axes4D[idx] = axis + (4 - shape.length);
            op.ofmShapes.set(idx, Shape4.of(shape));
        }
        op.splitAxes4D = axes4D;
        return op;
    }

    /**
     * {begin, end} of a strided slice in the ifm: masked begins are 0, masked ends the dimension, negative values
     * count from the end, and a shrunk axis is one element long. Computed once, before any mask is cleared.
     */
    static int[][] stridedSliceOffsets(GraphOp op) {
        if (op.sliceOffsets != null) {
            return op.sliceOffsets;
        }
        int[] in = op.inputs.get(0).shape;
        ConstArray begin = op.inputs.get(1).values;
        ConstArray end = op.inputs.get(2).values;
        int[] b = new int[in.length];
        int[] e = in.clone();
        for (int i = 0; i < in.length; i++) {
            if ((op.beginMask & (1 << i)) == 0) {
                b[i] = (int) begin.get(i);
                if (b[i] < 0) {
                    b[i] += in[i];
                }
            }
            if ((op.endMask & (1 << i)) == 0) {
                e[i] = (int) end.get(i);
                if (e[i] < 0) {
                    e[i] += in[i];
                }
            }
            if ((op.shrinkAxisMask & (1 << i)) != 0) {
                e[i] = b[i] + 1;
            }
        }
        op.sliceOffsets = new int[][]{b, e};
        return op.sliceOffsets;
    }

    private static int[] insertOne(int[] shape, int axis) {
        int[] out = new int[shape.length + 1];
        for (int i = 0, j = 0; i < out.length; i++) {
            out[i] = i == axis ? 1 : shape[j++];
        }
        return out;
    }

    private static int[] remove(int[] shape, int axis) {
        int[] out = new int[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (i != axis) {
                out[j++] = shape[i];
            }
        }
        return out;
    }
}
