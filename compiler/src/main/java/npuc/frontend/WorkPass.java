package npuc.frontend;

import java.util.ArrayList;
import java.util.List;

/** A pass while packing: operations that run as one unit, with the primary (block) operation among them. */
final class WorkPass {
    String name;
    PassPlacement placement;
    NpuBlockType blockType = NpuBlockType.DEFAULT;
    List<GraphOp> ops = new ArrayList<>();
    GraphOp primaryOp;
    List<GraphTensor> inputs = new ArrayList<>();
    List<GraphTensor> outputs = new ArrayList<>();
    Shape4 ifmShape;
    Shape4 ofmShape;

    GraphOp firstOp() {
        return ops.get(0);
    }
}
