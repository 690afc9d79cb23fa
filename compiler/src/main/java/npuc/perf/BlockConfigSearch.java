package npuc.perf;

import java.util.HashSet;
import java.util.Set;

import npuc.arch.Accelerator;
import npuc.arch.Block;
import npuc.arch.ShramElement;
import npuc.frontend.FrontEndResult.Kernel;
import npuc.frontend.NpuBlockType;
import npuc.frontend.Shape4;

/**
 * Chooses the OFM block an operation runs in, as Vela's architecture allocator: every block of micro-block
 * multiples up to the largest OFM block that fits SHRAM (IFM buffers, accumulators and lookup table) is
 * scored by the IFM and weight fetches it causes per OFM element, and the cheapest wins; among equal costs a
 * small block covering more of the IFM.
 */
public final class BlockConfigSearch {
    private static final int SPLIT_DEPTH = Accelerator.OFM_SPLIT_DEPTH;

    private BlockConfigSearch() {
    }

    private enum ElementwiseUsage { NO, FULL, SCALAR }

    /** The best block config, or null when no block fits SHRAM. */
    public static BlockConfig find(Accelerator arch, BlockConfigQuery q) {
        Shape4 ifmShape = q.ifm();
        if (q.ifm2() != null && q.ifm2().elements() > ifmShape.elements()) {
            // Elementwise operations are sized by the larger operand.
            ifmShape = q.ifm2();
        }
        Shape4 ofmShape = q.ofm();
        NpuBlockType type = q.blockType();
        ElementwiseUsage ew = type != NpuBlockType.ELEMENTWISE ? ElementwiseUsage.NO
                : q.usesScalar() ? ElementwiseUsage.SCALAR : ElementwiseUsage.FULL;
        boolean pooling = type == NpuBlockType.POOLING;
        boolean depthwise = type == NpuBlockType.CONVOLUTION_DEPTHWISE;
        boolean equalDepth = ew != ElementwiseUsage.NO || pooling || depthwise;
        boolean convolution = type == NpuBlockType.CONVOLUTION_MXN || depthwise;
        Kernel kernel = q.kernel();
        int bits = q.ifmBits();

        boolean partKernel = convolution && choosePartKernel(ifmShape.depth(), bits, kernel);
        boolean acc40 = bits == 16 && type != NpuBlockType.POOLING && q.scaled();
        ShramElement acc = acc40 ? ShramElement.ACC40 : ShramElement.ACC32;
        int accGranule = arch.shramGranule(acc);
        int accBits = acc40 ? 40 : 32;
        int ifmGranule = arch.shramGranule(ew != ElementwiseUsage.NO ? Accelerator.elementwiseIfmElement(bits)
                : Accelerator.ifmElement(bits));
        int lutBanks = Math.max(q.usesLut() ? 2 : 0, arch.shramReservedUnusedBanks());
        Resampling resampling = q.resampling();

        int areaW = KernelShape.areaWidth(kernel);
        int areaH = KernelShape.areaHeight(kernel);
        Block subKernelMax = Accelerator.SUB_KERNEL_MAX;
        long ifmRepeats = ceilDiv(areaW, subKernelMax.width()) * ceilDiv(areaH, subKernelMax.height());
        int ifmBlockDepth = ifmBlockDepth(arch, ifmShape.depth(), bits, partKernel);
        long weightFetchWh = convolution ? (long) areaW * areaH : 0;

        Block ublock = arch.ofmMicroBlock();
        Block blockMax = Accelerator.OFM_BLOCK_MAX;
        int spaceH = roundUp(Math.min(ofmShape.height(), blockMax.height()), ublock.height());
        int spaceW = roundUp(Math.min(ofmShape.width(), blockMax.width()), ublock.width());
        int spaceD = roundUp(Math.min(ofmShape.depth(), blockMax.depth()), ublock.depth());

        double bestCost = Double.POSITIVE_INFINITY;
        double bestCoverage = Double.POSITIVE_INFINITY;
        BlockConfig best = null;
        int depth = Math.max(ublock.depth(), Math.min(spaceD, SPLIT_DEPTH));
        if (depth < ofmShape.depth()) {
            depth = roundUp(depth, SPLIT_DEPTH);
        }
        while (depth <= spaceD) {
            // A failing h x w is recorded under (w, h): its transpose is then skipped untested at this depth.
            Set<Long> wontFit = new HashSet<>();
            for (int height = ublock.height(); height <= spaceH; height += ublock.height()) {
                for (int width = ublock.width(); width <= spaceW; width += ublock.width()) {
                    if (wontFit.contains(key(height, width))) {
                        continue;
                    }
                    int ifmH = roundUp(KernelShape.requiredSize(height, kernel.strideY(),
                            Math.min(areaH, subKernelMax.height()), resampling), ublock.height());
                    int ifmW = roundUp(KernelShape.requiredSize(width, kernel.strideX(),
                            Math.min(areaW, subKernelMax.width()), resampling), ublock.width());
                    Shape4 ifmBlock = new Shape4(1, ifmH, ifmW, equalDepth ? depth : ifmBlockDepth);
                    Shape4 ofmBlock = new Shape4(1, height, width, depth);
                    if (ofmShape.height() == 1 && kernel.height() == 1 && ublock.height() == 2) {
                        // One-row OFMs on the 2-row micro-block: the SHRAM test uses a one-row block.
                        ofmBlock = ofmBlock.withHeight(Math.min(height, ofmShape.height()));
                    }
                    ShramLayout layout = tryLayout(arch, ew, ofmBlock, ifmBlock, bits, ifmGranule, accBits,
                            accGranule, lutBanks);
                    if (layout == null) {
                        wontFit.add(key(width, height));
                        continue;
                    }
                    long fullBlocksW = ceilDiv(ofmShape.width(), ofmBlock.width());
                    long fullBlocksH = ceilDiv(ofmShape.height(), ofmBlock.height());
                    long fullBlocksD = ceilDiv(ofmShape.depth(), ofmBlock.depth());
                    double blocksW = (double) ofmShape.width() / ofmBlock.width();
                    double blocksH = (double) ofmShape.height() / ofmBlock.height();
                    double blocksD = (double) ofmShape.depth() / ofmBlock.depth();

                    double weightFetch = (double) (weightFetchWh * ifmShape.depth() * (fullBlocksW * fullBlocksH));
                    if (!depthwise) {
                        weightFetch = weightFetch * (ofmBlock.depth() * blocksD);
                    }
                    double ifmFetch = (double) ((long) ifmBlock.width() * ifmBlock.height() * ifmShape.depth()
                            * ifmRepeats) * (blocksW * blocksH);
                    if (!equalDepth) {
                        ifmFetch = ifmFetch * fullBlocksD;
                    }
                    double cost;
                    if (type == NpuBlockType.ELEMENTWISE) {
                        cost = Math.max((double) ofmShape.elements() / ((long) height * width * depth), 1);
                    } else {
                        cost = (ifmFetch + weightFetch) / ofmShape.elements();
                    }
                    if (ifmShape.elements() < ifmBlock.elements() * 2) {
                        cost = cost / 2;
                    }
                    if (cost <= bestCost) {
                        boolean choose = false;
                        if (cost == bestCost) {
                            long covW = Math.min(ifmShape.width(), ifmBlock.width());
                            long covH = Math.min(ifmShape.height(), ifmBlock.height());
                            double coverage = (double) ((long) ifmShape.width() * ifmShape.height()) / (covW * covH);
                            if (coverage <= bestCoverage && height <= 4 && width <= 4) {
                                bestCoverage = coverage;
                                choose = true;
                            }
                        } else {
                            bestCoverage = Double.POSITIVE_INFINITY;
                            choose = true;
                        }
                        if (choose) {
                            bestCost = cost;
                            best = new BlockConfig(new Shape4(1, height, width, depth), ifmBlock, acc40, partKernel,
                                    layout);
                        }
                    }
                }
            }
            depth += ublock.depth();
            if (depth < ofmShape.depth()) {
                depth = roundUp(depth, SPLIT_DEPTH);
            }
        }
        return best;
    }

    /** Part-kernel-first traversal when the IFM is shallow or it uses the MACs better than depth first. */
    static boolean choosePartKernel(int ifmDepth, int bits, Kernel kernel) {
        if (ifmDepth <= 8) {
            return true;
        }
        long k = kernel.elementsWh();
        double depthUtil = (double) ifmDepth / roundUp(ifmDepth, bits == 8 ? 32 : 16);
        double partUtil = (double) (ifmDepth * k) / ((long) roundUp(ifmDepth, 8) * roundUp(k, bits == 8 ? 4 : 2));
        return partUtil > depthUtil;
    }

    private static int ifmBlockDepth(Accelerator arch, int ifmDepth, int bits, boolean partKernel) {
        if (bits == 16) {
            return roundUp(Math.min(ifmDepth, 16), 4);
        }
        return roundUp(Math.min(ifmDepth, partKernel ? 16 : 32), arch.ifmMicroBlock().depth());
    }

    private static ShramLayout tryLayout(Accelerator arch, ElementwiseUsage ew, Shape4 ofmBlock, Shape4 ifmBlock,
            int ifmBits, int ifmGranule, int accBits, int accGranule, int lutBanks) {
        int bank = Accelerator.SHRAM_BANK_SIZE_BYTES;
        double ifmBytes = (double) ((long) ifmBlock.width() * ifmBlock.height())
                * roundUpDouble((double) ifmBlock.depth() * ifmBits / 8, 8);
        long ifmBanks = roundUp((long) Math.ceil(ifmBytes / bank) * 2, ifmGranule);
        // The reserved end banks are not subtracted here: they are the minimum taken by the lookup table.
        int totalBanks = arch.shramBanks();
        long lutStart = totalBanks - lutBanks;
        long ifmEnd = Accelerator.SHRAM_RESERVED_OUTPUT_BANKS + ifmBanks;
        long ifm2Start = ifmEnd;
        long accStart = lutStart;
        if (ew == ElementwiseUsage.NO) {
            long accBytes = (long) ofmBlock.width() * ofmBlock.height() * roundUp(ofmBlock.depth(), 8) * accBits / 8;
            long accBanks = roundUp(ceilDiv(accBytes, bank) * 2, accGranule);
            accStart -= accBanks;
        } else {
            long ifm2Banks = ew == ElementwiseUsage.FULL ? ifmBanks : 0;
            if (ifm2Start + ifm2Banks > accStart) {
                return null;
            }
            ifmEnd = accStart;
        }
        if (ifmEnd > accStart) {
            return null;
        }
        return new ShramLayout(Accelerator.SHRAM_RESERVED_OUTPUT_BANKS, (int) ifm2Start, (int) ifmEnd,
                (int) accStart, (int) lutStart);
    }

    private static long key(int a, int b) {
        return ((long) a << 32) | (b & 0xffffffffL);
    }

    static int roundUp(int v, int q) {
        return (v + q - 1) / q * q;
    }

    static long roundUp(long v, long q) {
        return (v + q - 1) / q * q;
    }

    private static double roundUpDouble(double v, int q) {
        // Vela's round_up on a float: ((v + q - 1) // q) * q, a floor division.
        return Math.floor((v + q - 1) / q) * q;
    }

    static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
