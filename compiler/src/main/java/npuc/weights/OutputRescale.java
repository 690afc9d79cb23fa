package npuc.weights;

import java.util.ArrayList;
import java.util.List;

import npuc.graph.DataType;

/**
 * What an operation's per-channel output rescale is made from: the IFM, weight and OFM quantisation scales
 * (or scales an earlier rewrite fixed explicitly), and the details that change the rounding.
 *
 * @param ifmType            IFM element type: UINT8, INT8 or INT16
 * @param fullyConnected     the operation was a fully connected layer in the model
 * @param ifmScale           IFM quantisation scale (1 when the IFM has none)
 * @param weightScales       weight scales: one, or one per output channel
 * @param ofmScale           OFM quantisation scale (1 when the OFM has none)
 * @param int64Bias          the bias tensor is 64-bit (with a 16-bit IFM this selects reduced precision)
 * @param roundAwayFromZero  the operation rounds away from zero, which needs the next multiplier up
 * @param explicitScales     scales fixed by a rewrite, used instead of the quantisation scales; empty if none
 */
public record OutputRescale(DataType ifmType, boolean fullyConnected, float ifmScale, List<Float> weightScales,
                            float ofmScale, boolean int64Bias, boolean roundAwayFromZero,
                            List<QuantisedScale> explicitScales) {
    public OutputRescale {
        weightScales = List.copyOf(weightScales);
        explicitScales = List.copyOf(explicitScales);
    }

    /** A rescale from quantisation scales alone. */
    public static OutputRescale of(DataType ifmType, boolean fullyConnected, float ifmScale, List<Float> weightScales,
            float ofmScale, boolean int64Bias) {
        return new OutputRescale(ifmType, fullyConnected, ifmScale, weightScales, ofmScale, int64Bias, false,
                List.of());
    }

    /** The quantised scale of each of {@code channels} output channels; a single scale applies to all. */
    public List<QuantisedScale> perChannel(int channels) throws WeightEncodingException {
        List<QuantisedScale> scales = new ArrayList<>();
        if (!explicitScales.isEmpty()) {
            scales.addAll(explicitScales);
        } else {
            boolean narrowProduct = ifmType == DataType.UINT8 || fullyConnected;
            if (!narrowProduct && ifmType != DataType.INT8 && ifmType != DataType.INT16) {
                throw new WeightEncodingException("no output rescale rule for a " + ifmType + " IFM");
            }
            boolean reduced = ifmType == DataType.INT16 && int64Bias;
            for (float weightScale : weightScales) {
                // TFLite computes these in double, except that for uint8 IFMs and fully connected layers
                // the IFM and weight scales are first multiplied in single precision.
                double scale = narrowProduct
                        ? (double) (ifmScale * weightScale) / (double) ofmScale
                        : ((double) ifmScale * (double) weightScale) / (double) ofmScale;
                scales.add(reduced ? QuantisedScale.reduced(scale) : QuantisedScale.of(scale));
            }
        }
        if (roundAwayFromZero) {
            scales.replaceAll(QuantisedScale::roundedAwayFromZero);
        }
        if (scales.size() == 1) {
            return java.util.Collections.nCopies(channels, scales.get(0));
        }
        return List.copyOf(scales);
    }
}
