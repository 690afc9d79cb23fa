package npuc.weights;

import java.util.Arrays;

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
        boolean partKernel = traversal == BlockTraversal.PART_KERNEL_FIRST;
        int ofmDepth = volume.ofmDepth();
        int ifmDepth = volume.ifmDepth();
        int kernelHeight = volume.height();
        int kernelWidth = volume.width();
        int ifmBlockDepth = partKernel || ifmBits == 16 ? 16 : 32;
        ShortSink out = new ShortSink((int) Math.min(Integer.MAX_VALUE - 8,
                Math.max(16L, (long) ofmDepth * kernelHeight * kernelWidth * ifmDepth)));
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
                        for (int ifmOuter = 0; ifmOuter < outerIfm; ifmOuter += ifmMicroBlockDepth) {
                            for (int ofmMicro = 0; ofmMicro < ofmBlockEnd; ofmMicro += ofmMicroBlockDepth) {
                                for (int element = 0; element < elements; element++) {
                                    int kx = element % subWidth;
                                    int ky = element / subWidth;
                                    for (int ifmInner = 0; ifmInner < innerIfm; ifmInner += ifmMicroBlockDepth) {
                                        for (int oz = 0; oz < ofmMicroBlockDepth; oz++) {
                                            int ifmMicroDepth = depthwise ? 1 : ifmMicroBlockDepth;
                                            for (int iz = 0; iz < ifmMicroDepth; iz++) {
                                                int ifmZ = ifmBlockZ + ifmInner + ifmOuter + iz;
                                                int ofmZ = ofmBlockZ + ofmMicro + oz;
                                                boolean present = ifmZ < ifmDepth && ofmZ < ofmDepth
                                                        && ky < subHeight;
                                                out.add(present ? volume.get(ofmZ, subY + ky, subX + kx, ifmZ) : 0);
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return out.toArray();
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

    /** A growing short array: the padded length is only known once the walk is done. */
    private static final class ShortSink {
        private short[] data;
        private int size;

        ShortSink(int capacity) {
            data = new short[capacity];
        }

        void add(short v) {
            if (size == data.length) {
                if (data.length >= Integer.MAX_VALUE - 8) {
                    throw new IllegalArgumentException("reordered weights exceed 2^31 values");
                }
                data = Arrays.copyOf(data, (int) Math.min(Integer.MAX_VALUE - 8, data.length * 2L));
            }
            data[size++] = v;
        }

        short[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }
}
