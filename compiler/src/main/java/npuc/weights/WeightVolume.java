package npuc.weights;

import java.util.Arrays;

/**
 * Zero-point corrected weights of one operation in OHWI order (output channel, kernel row, kernel column,
 * input channel): the volume the encoder slices by output channel and reorders into bricks. Immutable.
 * Depthwise weights have one input channel per output channel.
 */
public final class WeightVolume {
    private final short[] values;
    private final int ofmDepth;
    private final int height;
    private final int width;
    private final int ifmDepth;
    /** Cached {@link #maxMagnitude()}, -1 until asked; a race only computes it twice. */
    private int maxMagnitude = -1;
    /** Cached {@link #hashCode()}, 0 until asked. */
    private int hash;

    private WeightVolume(short[] values, int ofmDepth, int height, int width, int ifmDepth) {
        this.values = values;
        this.ofmDepth = ofmDepth;
        this.height = height;
        this.width = width;
        this.ifmDepth = ifmDepth;
    }

    /** A volume from OHWI values, which are copied. */
    public static WeightVolume ofOhwi(short[] values, int ofmDepth, int height, int width, int ifmDepth) {
        checkSize(values.length, ofmDepth, height, width, ifmDepth);
        return new WeightVolume(values.clone(), ofmDepth, height, width, ifmDepth);
    }

    /**
     * A volume from stored weights in HWIO order (the layout the compiler keeps convolution weights in; fully
     * connected weights [I, O] are HWIO with a 1x1 kernel) minus their zero points: one zero point for all,
     * or one per output channel. The subtraction is 16-bit, as the reference does it, so 8-bit weights give
     * values in [-255, 255].
     */
    public static WeightVolume fromHwio(long[] stored, int height, int width, int ifmDepth, int ofmDepth,
            long[] zeroPoints) {
        checkSize(stored.length, ofmDepth, height, width, ifmDepth);
        if (zeroPoints.length != 1 && zeroPoints.length != ofmDepth) {
            throw new IllegalArgumentException(
                    zeroPoints.length + " weight zero points for " + ofmDepth + " output channels");
        }
        short[] ohwi = new short[stored.length];
        int src = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int i = 0; i < ifmDepth; i++) {
                    for (int o = 0; o < ofmDepth; o++) {
                        short zp = (short) zeroPoints[zeroPoints.length == 1 ? 0 : o];
                        ohwi[((o * height + y) * width + x) * ifmDepth + i] = (short) ((short) stored[src++] - zp);
                    }
                }
            }
        }
        return new WeightVolume(ohwi, ofmDepth, height, width, ifmDepth);
    }

    private static void checkSize(int length, int o, int h, int w, int i) {
        if (o < 0 || h < 0 || w < 0 || i < 0 || (long) o * h * w * i != length) {
            throw new IllegalArgumentException(length + " weights do not fill an OHWI volume " + o + "x" + h + "x"
                    + w + "x" + i);
        }
    }

    public int ofmDepth() {
        return ofmDepth;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public int ifmDepth() {
        return ifmDepth;
    }

    /** The number of weights. */
    public int size() {
        return values.length;
    }

    public short get(int o, int y, int x, int i) {
        return values[((o * height + y) * width + x) * ifmDepth + i];
    }

    /** The OHWI values themselves, for the encoder's reads; never changed. */
    short[] values() {
        return values;
    }

    /** The largest magnitude of a value, found on first use. */
    int maxMagnitude() {
        int m = maxMagnitude;
        if (m < 0) {
            m = 0;
            for (short v : values) {
                m = Math.max(m, Math.abs(v));
            }
            maxMagnitude = m;
        }
        return m;
    }

    /** The first value of the largest magnitude, for messages. */
    short firstOfMagnitude(int magnitude) {
        for (short v : values) {
            if (Math.abs(v) == magnitude) {
                return v;
            }
        }
        throw new IllegalArgumentException("no weight of magnitude " + magnitude);
    }

    /** The OHWI values (a copy). */
    public short[] toOhwi() {
        return values.clone();
    }

    /**
     * Output channels {@code first}, {@code first + step}, ... below {@code end}: one core's share of a
     * depth slice, since cores take output channels in turn.
     */
    public WeightVolume channels(int first, int end, int step) {
        int count = first >= end ? 0 : (end - first + step - 1) / step;
        int perChannel = height * width * ifmDepth;
        short[] out = new short[count * perChannel];
        for (int k = 0; k < count; k++) {
            System.arraycopy(values, (first + k * step) * perChannel, out, k * perChannel, perChannel);
        }
        return new WeightVolume(out, count, height, width, ifmDepth);
    }

    /** The kernel turned by 180 degrees, as a transpose convolution applies it. */
    public WeightVolume flippedHw() {
        short[] out = new short[values.length];
        for (int o = 0; o < ofmDepth; o++) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int from = ((o * height + y) * width + x) * ifmDepth;
                    int to = ((o * height + (height - 1 - y)) * width + (width - 1 - x)) * ifmDepth;
                    System.arraycopy(values, from, out, to, ifmDepth);
                }
            }
        }
        return new WeightVolume(out, ofmDepth, height, width, ifmDepth);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WeightVolume v && v.ofmDepth == ofmDepth && v.height == height && v.width == width
                && v.ifmDepth == ifmDepth && Arrays.equals(v.values, values);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = Arrays.hashCode(values) * 31 + ofmDepth;
            hash = h;
        }
        return h;
    }

    @Override
    public String toString() {
        return "WeightVolume[" + ofmDepth + "x" + height + "x" + width + "x" + ifmDepth + "]";
    }
}
