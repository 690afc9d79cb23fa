package npuc.weights;

/**
 * The order the weight decoder delivers weights to the MAC array, for one core's weights of one depth
 * slice: OFM blocks of {@code ofmBlockDepth} channels, within them IFM blocks, sub-kernels of at most
 * {@code subKernelHeight} x {@code subKernelWidth} (8x8, halved per dilation), and within those the OFM and
 * IFM micro-blocks. Positions the hardware reads but the volume lacks (channels past the end, padding of
 * kernel elements for part-kernel-first and depthwise) are zero.
 *
 * @param ifmMicroBlockDepth  the accelerator's IFM micro-block depth
 * @param ofmMicroBlockDepth  the accelerator's OFM micro-block depth
 * @param ofmBlockDepth       OFM block depth for this core (the scheduler's block depth shared between cores)
 * @param depthwise           depthwise convolution: one input channel per output channel
 * @param traversal           depth-first or part-kernel-first
 * @param ifmBits             IFM element width, 8 or 16
 * @param subKernelHeight     sub-kernel height limit
 * @param subKernelWidth      sub-kernel width limit
 */
public record BrickOrder(int ifmMicroBlockDepth, int ofmMicroBlockDepth, int ofmBlockDepth, boolean depthwise,
                         BlockTraversal traversal, int ifmBits, int subKernelHeight, int subKernelWidth) {
    public BrickOrder {
        if (ifmMicroBlockDepth <= 0 || ofmMicroBlockDepth <= 0 || ofmBlockDepth <= 0 || subKernelHeight <= 0
                || subKernelWidth <= 0) {
            throw new IllegalArgumentException("non-positive brick dimension in " + ifmMicroBlockDepth + ", "
                    + ofmMicroBlockDepth + ", " + ofmBlockDepth + ", " + subKernelHeight + ", " + subKernelWidth);
        }
        if (depthwise && traversal == BlockTraversal.PART_KERNEL_FIRST) {
            throw new IllegalArgumentException("depthwise weights are traversed depth first");
        }
    }

    /** The weights of {@code volume} in stream order. */
    public short[] reorder(WeightVolume volume) {
        int ofmDepth = volume.ofmDepth();
        short[] out = new short[length(volume, 0, ofmDepth, 1)];
        reorder(volume, 0, ofmDepth, 1, out);
        return out;
    }

    /**
     * How many values {@link #reorder(WeightVolume, int, int, int, short[])} writes for the output channels
     * {@code first}, {@code first + step}, ... below {@code end}.
     */
    int length(WeightVolume volume, int first, int end, int step) {
        long n = walk(volume, first, end, step, null);
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("reordered weights exceed 2^31 values");
        }
        return (int) n;
    }

    /**
     * Writes the output channels {@code first}, {@code first + step}, ... below {@code end} of {@code volume}
     * (one core's share of a depth slice) to {@code out} in stream order; returns how many values.
     */
    int reorder(WeightVolume volume, int first, int end, int step, short[] out) {
        return (int) walk(volume, first, end, step, out);
    }

    /** The walk of the brick order: fills {@code out} unless it is null, and counts the values either way. */
    private long walk(WeightVolume volume, int first, int end, int step, short[] out) {
        boolean partKernel = traversal == BlockTraversal.PART_KERNEL_FIRST;
        int ofmDepth = first >= end ? 0 : (end - first + step - 1) / step;
        int ifmDepth = volume.ifmDepth();
        int kernelHeight = volume.height();
        int kernelWidth = volume.width();
        short[] values = volume.values();
        int channelStride = kernelHeight * kernelWidth * ifmDepth;
        int ifmBlockDepth = partKernel || ifmBits == 16 ? 16 : 32;
        int ifmMicroDepth = depthwise ? 1 : ifmMicroBlockDepth;
        long n = 0;
        for (int ofmBlockZ = 0; ofmBlockZ < ofmDepth; ofmBlockZ += ofmBlockDepth) {
            int ofmBlockEnd = Math.min(ofmBlockDepth, ofmDepth - ofmBlockZ);
            int ifmBlocksEnd = depthwise ? 1 : ifmDepth;
            for (int ifmBlockZ = 0; ifmBlockZ < ifmBlocksEnd; ifmBlockZ += ifmBlockDepth) {
                int ifmBlockExtent;
                if (depthwise) {
                    ifmBlockExtent = ifmMicroBlockDepth;
                } else if (partKernel) {
                    ifmBlockExtent = Math.min(ifmBlockDepth, ifmDepth - ifmBlockZ);
                } else {
                    ifmBlockExtent = ifmBlockDepth;
                }
                for (int subY = 0; subY < kernelHeight; subY += subKernelHeight) {
                    int subHeight = Math.min(kernelHeight - subY, subKernelHeight);
                    for (int subX = 0; subX < kernelWidth; subX += subKernelWidth) {
                        int subWidth = Math.min(kernelWidth - subX, subKernelWidth);
                        int elements = paddedElements(subWidth * subHeight, partKernel);
                        // Part-kernel-first steps through IFM micro-blocks outside the kernel elements,
                        // depth-first inside them.
                        int outerIfm = partKernel ? ifmBlockExtent : 1;
                        int innerIfm = partKernel ? 1 : ifmBlockExtent;
                        int group = ofmMicroBlockDepth * ifmMicroDepth;
                        for (int ifmOuter = 0; ifmOuter < outerIfm; ifmOuter += ifmMicroBlockDepth) {
                            for (int ofmMicro = 0; ofmMicro < ofmBlockEnd; ofmMicro += ofmMicroBlockDepth) {
                                for (int element = 0; element < elements; element++) {
                                    int kx = element % subWidth;
                                    int ky = element / subWidth;
                                    for (int ifmInner = 0; ifmInner < innerIfm; ifmInner += ifmMicroBlockDepth) {
                                        if (out != null) {
                                            fill(out, (int) n, values, first, step, ofmDepth, ifmDepth,
                                                    channelStride, ofmBlockZ + ofmMicro,
                                                    ifmBlockZ + ifmInner + ifmOuter,
                                                    ky < subHeight ? ((subY + ky) * kernelWidth + subX + kx)
                                                            * ifmDepth : -1,
                                                    ifmMicroDepth);
                                        }
                                        n += group;
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return n;
    }

    /**
     * One micro-block: {@code ofmMicroBlockDepth} output channels from {@code ofmZ} by {@code ifmMicroDepth}
     * input channels from {@code ifmZ} of one kernel element ({@code elementOffset} into each channel, -1 for
     * a padding element). Channels the volume lacks are zero.
     */
    private void fill(short[] out, int at, short[] values, int first, int step, int ofmDepth, int ifmDepth,
            int channelStride, int ofmZ, int ifmZ, int elementOffset, int ifmMicroDepth) {
        int ifmCount = elementOffset < 0 ? 0 : Math.max(0, Math.min(ifmMicroDepth, ifmDepth - ifmZ));
        for (int oz = 0; oz < ofmMicroBlockDepth; oz++) {
            int o = ofmZ + oz;
            int count = o < ofmDepth ? ifmCount : 0;
            if (count > 0) {
                int from = (first + o * step) * channelStride + elementOffset + ifmZ;
                System.arraycopy(values, from, out, at, count);
            }
            java.util.Arrays.fill(out, at + count, at + ifmMicroDepth, (short) 0);
            at += ifmMicroDepth;
        }
    }

    /**
     * Kernel elements of a sub-kernel as the hardware steps through them: part-kernel-first takes 4 (8-bit
     * IFM) or 2 (16-bit) elements at a time, depthwise 4.
     */
    private int paddedElements(int elements, boolean partKernel) {
        if (partKernel) {
            if (ifmBits == 16 && elements % 2 != 0) {
                return roundUp(elements, 2);
            }
            if (ifmBits == 8 && elements % 4 != 0) {
                return roundUp(elements, 4);
            }
            return elements;
        }
        return depthwise ? roundUp(elements, 4) : elements;
    }

    private static int roundUp(int value, int quantum) {
        return (value + quantum - 1) / quantum * quantum;
    }
}
