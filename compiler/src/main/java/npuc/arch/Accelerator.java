package npuc.arch;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The Ethos-U accelerator configurations: product and MAC count. Every figure here is fixed by the hardware
 * and is what the block-config search, the performance model and the command stream generator size things
 * by. One core per configuration except the U65-512, which is two 256-MAC cores working on halves of the
 * OFM depth.
 */
public enum Accelerator {
    ETHOS_U55_32("ethos-u55-32", "Ethos_U55_32", 32, 1, new Block(1, 1, 4), new Block(1, 1, 8), 16,
            new int[] {2, 2, 2, 2, 4, 4, 4, 4}, 1,
            new double[] {2.0, 3.0, 3.0, 3.0, 4.0, 6.0, 1.0, 2.0}, new double[] {1.0, 1.0, 0.0}),
    ETHOS_U55_64("ethos-u55-64", "Ethos_U55_64", 64, 1, new Block(1, 1, 8), new Block(1, 1, 8), 16,
            new int[] {2, 2, 2, 2, 4, 4, 4, 8}, 2,
            new double[] {1.0, 1.5, 1.5, 1.5, 2.0, 3.0, 0.5, 1.0}, new double[] {1.0, 1.0, 0.0}),
    ETHOS_U55_128("ethos-u55-128", "Ethos_U55_128", 128, 1, new Block(2, 1, 8), new Block(2, 1, 8), 24,
            new int[] {4, 4, 4, 4, 8, 4, 8, 12}, 4,
            new double[] {0.75, 1.25, 0.75, 0.75, 1.0, 1.5, 0.25, 0.5}, new double[] {1.0, 0.5, 0.0}),
    ETHOS_U55_256("ethos-u55-256", "Ethos_U55_256", 256, 1, new Block(2, 2, 8), new Block(2, 2, 8), 48,
            new int[] {8, 8, 8, 8, 16, 8, 16, 20}, 8,
            new double[] {0.625, 1.125, 0.5, 0.375, 0.5, 0.75, 0.125, 0.25}, new double[] {1.0, 0.25, 0.0}),
    ETHOS_U65_256("ethos-u65-256", "Ethos_U65_256", 256, 1, new Block(2, 2, 8), new Block(2, 2, 8), 48,
            new int[] {8, 8, 8, 8, 16, 8, 16, 20}, 8,
            new double[] {0.625, 1.125, 0.5, 0.375, 0.5, 0.75, 0.125, 0.25}, new double[] {1.0, 0.25, 0.0}),
    ETHOS_U65_512("ethos-u65-512", "Ethos_U65_512", 256, 2, new Block(2, 2, 8), new Block(2, 2, 8), 48,
            new int[] {8, 8, 8, 8, 16, 8, 16, 20}, 8,
            new double[] {0.3125, 0.5625, 0.25, 0.1875, 0.25, 0.375, 0.0625, 0.125}, new double[] {0.5, 0.125, 0.0});

    /** Depth granule the scheduler splits OFMs and weight streams by. */
    public static final int OFM_SPLIT_DEPTH = 16;
    /** Largest kernel the hardware runs in one pass; larger kernels are decomposed into sub-kernels. */
    public static final Block SUB_KERNEL_MAX = new Block(8, 8, 65536);
    /** Largest OFM block (width × height × depth) any configuration supports. */
    public static final Block OFM_BLOCK_MAX = new Block(64, 32, 128);
    /** Each MAC unit lane multiplies this many IFM channels per cycle. */
    public static final int DPU_DOT_PRODUCT_WIDTH = 8;
    /** Kernels the NPU may have in flight when the command stream waits on dependencies. */
    public static final int MAX_OUTSTANDING_KERNELS = 2;
    public static final int SHRAM_BANK_SIZE_BYTES = 1024;
    /** Banks kept for the OFM block at the end of SHRAM. */
    public static final int SHRAM_RESERVED_OUTPUT_BANKS = 2;
    public static final int SHRAM_RESERVED_WEIGHT_BANKS = 0;
    /** The activation lookup table occupies 2 KiB of SHRAM. */
    public static final int SHRAM_LUT_SIZE_BYTES = 2048;

    private final String cliName;
    private final String reportName;
    private final int macs;
    private final int cores;
    private final Block ofmMicroBlock;
    private final Block ifmMicroBlock;
    private final int shramBanks;
    private final int[] shramGranules;
    private final int elementwiseUnits;
    private final double[] outputCyclesPerElement;
    private final double[] activationCyclesPerElement;

    Accelerator(String cliName, String reportName, int macs, int cores, Block ofmMicroBlock, Block ifmMicroBlock,
            int shramBanks, int[] shramGranules, int elementwiseUnits, double[] outputCyclesPerElement,
            double[] activationCyclesPerElement) {
        this.cliName = cliName;
        this.reportName = reportName;
        this.macs = macs;
        this.cores = cores;
        this.ofmMicroBlock = ofmMicroBlock;
        this.ifmMicroBlock = ifmMicroBlock;
        this.shramBanks = shramBanks;
        this.shramGranules = shramGranules;
        this.elementwiseUnits = elementwiseUnits;
        this.outputCyclesPerElement = outputCyclesPerElement;
        this.activationCyclesPerElement = activationCyclesPerElement;
        // The MAC count is not independent: it is the OFM micro-block times the dot-product width.
        long fromMicroBlock = ofmMicroBlock.elements() * DPU_DOT_PRODUCT_WIDTH;
        if (fromMicroBlock != macs || shramGranules.length != ShramElement.values().length
                || outputCyclesPerElement.length != OutputCycleClass.values().length
                || activationCyclesPerElement.length != ActivationCycleClass.values().length) {
            throw new IllegalStateException("inconsistent accelerator table for " + cliName);
        }
    }

    /** The name on the command line and in vela's options: "ethos-u55-256". */
    public String cliName() {
        return cliName;
    }

    /** The name in summary reports (accelerator_configuration column): "Ethos_U55_256". */
    public String reportName() {
        return reportName;
    }

    /** MACs per cycle of one core. */
    public int macs() {
        return macs;
    }

    public int cores() {
        return cores;
    }

    /** The OFM micro-block: the smallest OFM extent the MAC array produces at once; OFM blocks are multiples. */
    public Block ofmMicroBlock() {
        return ofmMicroBlock;
    }

    /** The IFM micro-block: IFM blocks are rounded up to multiples of it. */
    public Block ifmMicroBlock() {
        return ifmMicroBlock;
    }

    /** Physical SHRAM banks of one core. */
    public int shramBanks() {
        return shramBanks;
    }

    /** The bank allocation granule for a kind of SHRAM content. */
    public int shramGranule(ShramElement element) {
        return shramGranules[element.ordinal()];
    }

    /** The SHRAM element an IFM of this bit width occupies in convolution-like operations. */
    public static ShramElement ifmElement(int ifmBits) {
        return switch (ifmBits) {
            case 8 -> ShramElement.IFM8;
            case 16 -> ShramElement.IFM16;
            case 32 -> ShramElement.IFM32;
            default -> throw new IllegalArgumentException("IFM bit width " + ifmBits + " is not 8, 16 or 32");
        };
    }

    /** The SHRAM element an IFM of this bit width occupies in elementwise operations (32-bit shares IFM32). */
    public static ShramElement elementwiseIfmElement(int ifmBits) {
        return switch (ifmBits) {
            case 8 -> ShramElement.IFM8_ELEMENTWISE;
            case 16 -> ShramElement.IFM16_ELEMENTWISE;
            case 32 -> ShramElement.IFM32;
            default -> throw new IllegalArgumentException("IFM bit width " + ifmBits + " is not 8, 16 or 32");
        };
    }

    public int elementwiseUnits() {
        return elementwiseUnits;
    }

    /** Output-stage cycles per OFM element for an operation class (per core). */
    public double outputCyclesPerElement(OutputCycleClass operationClass) {
        return outputCyclesPerElement[operationClass.ordinal()];
    }

    /** Activation-stage cycles per OFM element for an activation class (per core). */
    public double activationCyclesPerElement(ActivationCycleClass activationClass) {
        return activationCyclesPerElement[activationClass.ordinal()];
    }

    public boolean isEthosU65() {
        return this == ETHOS_U65_256 || this == ETHOS_U65_512;
    }

    /** The product field of the NPU config word in the driver header: 0 for Ethos-U55, 1 for Ethos-U65. */
    public int productId() {
        return isEthosU65() ? 1 : 0;
    }

    /** Address bits of the AXI ports: addresses and sizes in the command stream must stay below 2^this. */
    public int axiAddressWidthBits() {
        return isEthosU65() ? 40 : 32;
    }

    /** Data bits per AXI beat; with a memory's clock scale this gives its bandwidth per core cycle. */
    public int axiDataWidthBits() {
        return isEthosU65() ? 128 : 64;
    }

    /** One past the largest address the NPU can issue; the hard limit on any memory area's size. */
    public long maxAddressOffset() {
        return 1L << axiAddressWidthBits();
    }

    /** DMA transfers the NPU may have in flight when the command stream waits on dependencies. */
    public int maxOutstandingDma() {
        return isEthosU65() ? 2 : 1;
    }

    /** MACs per cycle of one core, derived from the micro-block (always equal to {@link #macs()}). */
    public int macsPerCycle() {
        return macs;
    }

    /** Smallest OFM block height for convolution-like, pooling and reduce-sum blocks. */
    public int dpuMinBlockHeight() {
        return ofmMicroBlock.height();
    }

    /** Smallest OFM block width for convolution-like, pooling and reduce-sum blocks. */
    public int dpuMinBlockWidth() {
        return ofmMicroBlock.width();
    }

    public long shramSizeBytes() {
        return (long) shramBanks * SHRAM_BANK_SIZE_BYTES;
    }

    /** Banks left unused at the end of SHRAM on the larger configurations, where the lookup table lives. */
    public int shramReservedUnusedBanks() {
        return shramBanks > 16 ? 2 : 0;
    }

    /** Banks a block config may allocate. */
    public int shramTotalBanks() {
        return shramBanks - shramReservedUnusedBanks();
    }

    /**
     * Banks a block config may allocate: on the small configurations (no reserved banks) a lookup table takes
     * the last two.
     */
    public int availableShramBanks(boolean usesActivationLut) {
        int banks = shramTotalBanks();
        if (usesActivationLut && shramReservedUnusedBanks() == 0) {
            banks -= 2;
        }
        return banks;
    }

    /** SHRAM byte address of the activation lookup table. */
    public int shramLutAddress() {
        return SHRAM_BANK_SIZE_BYTES * availableShramBanks(true);
    }

    /** IFM block depth for an IFM of this depth and bit width: the micro-block multiple, at most 256 bits deep. */
    public int ifmBlockDepth(int ifmDepth, int ifmBits) {
        if (ifmBits != 8 && ifmBits != 16 && ifmBits != 32) {
            throw new IllegalArgumentException("IFM bit width " + ifmBits + " is not 8, 16 or 32");
        }
        if (ifmDepth <= 0) {
            throw new IllegalArgumentException("IFM depth " + ifmDepth + " is not positive");
        }
        int micro = ifmMicroBlock.depth();
        int rounded = (ifmDepth + micro - 1) / micro * micro;
        return Math.min(8 * 32 / ifmBits, rounded);
    }

    /** The configuration with this CLI name ("ethos-u55-256"), case-insensitively as Vela. */
    public static Accelerator fromName(String name) throws ConfigException {
        if (name != null) {
            String lower = name.toLowerCase(Locale.ROOT);
            for (Accelerator a : values()) {
                if (a.cliName.equals(lower)) {
                    return a;
                }
            }
        }
        throw new ConfigException("Unknown accelerator configuration '" + name + "' (valid choices: "
                + String.join(", ", cliNames()) + ")");
    }

    /** Every CLI name, in Vela's order. */
    public static List<String> cliNames() {
        return Arrays.stream(values()).map(Accelerator::cliName).toList();
    }

    @Override
    public String toString() {
        return cliName;
    }
}
