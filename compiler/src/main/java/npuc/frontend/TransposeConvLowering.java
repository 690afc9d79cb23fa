package npuc.frontend;

import java.util.Collections;

/**
 * TRANSPOSE_CONV as an ordinary convolution: the ifm moves to input 0 (the output-shape tensor to input 2),
 * and a stride above 1 becomes zero-insertion upscaling of the ifm by the hardware, after which the kernel
 * runs with stride 1. The padding follows from the upscaling (see {@link Padding2D#upscaledPadding}).
 */
final class TransposeConvLowering {
    private TransposeConvLowering() {
    }

    static GraphOp fixupConv2dBackprop(GraphOp op) {
        if (op.type != OpType.Conv2DBackpropInput) {
            return op;
        }
        Collections.swap(op.inputs, 0, 2);
        op.type = OpType.Conv2DBackpropInputSwitchedBias;
        if (op.strideW > 1 || op.strideH > 1) {
            op.ifmResampling = ResamplingMode.TRANSPOSE;
        }
        op.strideW = 1;
        op.strideH = 1;
        return op;
    }
}
