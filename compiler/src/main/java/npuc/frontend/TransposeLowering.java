package npuc.frontend;

/**
 * TRANSPOSE as an AvgPool copy whose ofm is written with height and width strides swapped, which transposes H
 * and W. The supported permutations are those that become such a swap once the tensor is seen as 4-D, so the
 * ifm shape is chosen per case and the ofm is written linear (NHWC), the only format strides can be swapped in.
 */
final class TransposeLowering {
    private TransposeLowering() {
    }

    static GraphOp fixupTranspose(GraphOp op) {
        if (op.type != OpType.Transpose) {
            return op;
        }
        op.name = op.name + "_avgpool";
        op.type = OpType.AvgPool;
        op.padding = PaddingKind.VALID;
        op.strideW = 1;
        op.strideH = 1;
        op.filterW = 1;
        op.filterH = 1;
        op.hasFilter = true;
        op.ofm().forceLinearFormat = true;
        ConstArray perm = op.inputs.get(1).values;
        int[] s = op.ifm().shape;
        Shape4 ifm = op.ifmShapes.get(0);
        if (s.length == 2) {
            ifm = new Shape4(1, s[0], s[1], 1);
        } else if (s.length == 3) {
            if (perm.get(0) == 1 && perm.get(1) == 0) {
                ifm = new Shape4(1, s[0], s[1], s[2]);
            } else if (s[0] == 1 && perm.get(1) == 2 && perm.get(2) == 1) {
                ifm = new Shape4(1, s[1], s[2], 1);
            } else if (s[1] == 1 && perm.get(0) == 2 && perm.get(2) == 0) {
                ifm = new Shape4(1, s[0], s[2], 1);
            }
        } else if (s.length == 4) {
            if (perm.get(1) == 2 && perm.get(2) == 1) {
                ifm = Shape4.of(s);
            } else if (s[1] == 1 && perm.get(2) == 3 && perm.get(3) == 2) {
                ifm = new Shape4(1, s[2], s[3], 1);
            } else if (s[2] == 1 && perm.get(1) == 3 && perm.get(3) == 1) {
                ifm = new Shape4(1, s[1], s[3], 1);
            }
        }
        op.ifmShapes.set(0, ifm);
        op.ofmShapes.set(0, ifm);
        return op;
    }
}
