package npuc.weights;

import java.util.List;

import npuc.arch.Accelerator;

/**
 * What the scheduler decides and the encoding depends on.
 *
 * @param accelerator     the accelerator: micro-block depths and number of cores
 * @param kind            convolution, depthwise or vector product
 * @param ifmBits         IFM element width, 8 or 16
 * @param ofmBlockDepth   depth of the OFM block the operation runs with (shared out between the cores)
 * @param depthSlices     first output channel of each slice the weights are streamed in, then the OFM depth;
 *                        {@code [0, depth]} when they are not split
 * @param dilationX       kernel dilation in x, 1 or 2
 * @param dilationY       kernel dilation in y, 1 or 2
 * @param reversedKernel  the kernel is applied turned by 180 degrees (transpose convolution)
 */
public record EncodingParameters(Accelerator accelerator, WeightKind kind, int ifmBits, int ofmBlockDepth,
                                 List<Integer> depthSlices, int dilationX, int dilationY, boolean reversedKernel) {
    public EncodingParameters {
        depthSlices = List.copyOf(depthSlices);
        if (depthSlices.size() < 2) {
            throw new IllegalArgumentException("depth slices must be closed by the OFM depth: " + depthSlices);
        }
        for (int i = 1; i < depthSlices.size(); i++) {
            if (depthSlices.get(i) <= depthSlices.get(i - 1) || depthSlices.get(i - 1) < 0) {
                throw new IllegalArgumentException("depth slices must increase from 0 or more: " + depthSlices);
            }
        }
        if (ifmBits != 8 && ifmBits != 16) {
            throw new IllegalArgumentException("IFM bit width " + ifmBits + " is not 8 or 16");
        }
        if (ofmBlockDepth <= 0) {
            throw new IllegalArgumentException("OFM block depth " + ofmBlockDepth);
        }
        if ((dilationX != 1 && dilationX != 2) || (dilationY != 1 && dilationY != 2)) {
            throw new IllegalArgumentException("dilation " + dilationX + "x" + dilationY + " is not 1 or 2");
        }
    }

    /** Full-depth parameters without dilation: what the scheduler starts from. */
    public static EncodingParameters fullDepth(Accelerator accelerator, WeightKind kind, int ifmBits,
            int ofmBlockDepth, int ofmDepth) {
        return new EncodingParameters(accelerator, kind, ifmBits, ofmBlockDepth, List.of(0, ofmDepth), 1, 1, false);
    }

    /** The same parameters with other depth slices. */
    public EncodingParameters withDepthSlices(List<Integer> slices) {
        return new EncodingParameters(accelerator, kind, ifmBits, ofmBlockDepth, slices, dilationX, dilationY,
                reversedKernel);
    }
}
