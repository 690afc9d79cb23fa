package npuc.codegen;

import java.util.List;

import npuc.graph.DataType;
import npuc.perf.ShramLayout;

/**
 * One operation as the register command stream sees it: a block operation over one stripe, or a DMA. Values
 * are as the registers take them, decided when the operation is built from its high-level command.
 */
public sealed interface NpuOperation {

    /** The hardware operation a block operation runs. */
    enum Kind {
        CONV, DEPTHWISE, POOL, ELEMENTWISE
    }

    /**
     * A feature map area: its region, element type and layout, the extent read or written, up to four tiles
     * (heights of the left and right tiles, width of the left ones, and the base address of each), strides in
     * bytes, and the quantization the operation applies.
     *
     * @param scale the quantization scale (NaN when the tensor has none)
     */
    record FeatureMap(int region, DataType type, boolean brick, int height, int width, int depth, int tileHeight0,
                      int tileHeight1, int tileWidth0, List<Long> tileAddresses, long strideY, long strideX,
                      long strideC, long zeroPoint, double scale) {
        public FeatureMap {
            tileAddresses = List.copyOf(tileAddresses);
        }

        public FeatureMap withScale(double s) {
            return new FeatureMap(region, type, brick, height, width, depth, tileHeight0, tileHeight1, tileWidth0,
                    tileAddresses, strideY, strideX, strideC, zeroPoint, s);
        }

        public FeatureMap withShape(int h, int w, int d) {
            return new FeatureMap(region, type, brick, h, w, d, tileHeight0, tileHeight1, tileWidth0, tileAddresses,
                    strideY, strideX, strideC, zeroPoint, scale);
        }

        public FeatureMap withZeroPoint(long zp) {
            return new FeatureMap(region, type, brick, height, width, depth, tileHeight0, tileHeight1, tileWidth0,
                    tileAddresses, strideY, strideX, strideC, zp, scale);
        }

        public boolean signed() {
            return type == DataType.INT8 || type == DataType.INT16 || type == DataType.INT32;
        }

        public long minValue() {
            int bits = type.bits();
            return signed() ? -(1L << (bits - 1)) : 0;
        }

        public long maxValue() {
            int bits = type.bits();
            return signed() ? (1L << (bits - 1)) - 1 : (1L << bits) - 1;
        }
    }

    /** A byte range in one region. */
    record AddressRange(int region, long address, long length) {
        boolean overlaps(AddressRange o) {
            return region == o.region && Math.max(address, o.address) < Math.min(address + length, o.address + o.length);
        }
    }

    /** Kernel extent, stride and dilation. */
    record Kernel(int width, int height, int strideX, int strideY, int dilationX, int dilationY) {
    }

    /**
     * The output scaling registers: the OFM scale (multiplier and shift), and for additions and subtractions the
     * operand scales, with which operand is scaled.
     *
     * @param opaScale null when the operation sets no operand scales
     */
    record Scaling(boolean global, long ofmScale, int ofmShift, Long opaScale, int opaShift, Long opbScale,
                   int operandToScale) {
        static final Scaling NONE = new Scaling(false, 0, 0, null, 0, null, 0);
    }

    /**
     * A block operation over one stripe.
     *
     * @param mode        pooling or elementwise mode (hardware encoding), 0 for convolutions
     * @param ifm2        null for operations with one input
     * @param ifm2Scalar  the quantized scalar second operand, or null
     * @param kernel      null for elementwise operations
     * @param padding     top, left, bottom, right; null for elementwise operations
     * @param activation  the ACTIVATION register value (function, and for lookup tables the table slot)
     * @param blockHeight the OFM block the MAC array computes at a time
     * @param ifmUpscale  0 none, 1 nearest neighbour, 2 transpose (zero insertion)
     * @param rounding    0 TFLite, 1 truncate, 2 natural
     * @param ifmBlockDepth IFM depth per job, for the block dependency between consecutive operations
     */
    record Block(Kind kind, int mode, String name, FeatureMap ifm, FeatureMap ifm2, Integer ifm2Scalar,
                 FeatureMap ofm, Kernel kernel, int[] padding, boolean partKernel, List<AddressRange> weights,
                 List<AddressRange> scales, int activation, int activationMin, int activationMax, boolean usesLut,
                 int blockHeight, int blockWidth, int blockDepth, ShramLayout layout, int accumulatorFormat,
                 int ifmUpscale, int rounding, Scaling scaling, boolean reversedOperands, int ifmBlockDepth)
            implements NpuOperation {
        public Block {
            weights = List.copyOf(weights);
            scales = List.copyOf(scales);
        }

        boolean hasIfm2() {
            return ifm2 != null && ifm2Scalar == null;
        }
    }

    /** A DMA of {@code length} bytes from {@code source} to {@code destination}. */
    record Dma(String name, AddressRange source, AddressRange destination) implements NpuOperation {
    }
}
