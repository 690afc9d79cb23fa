package npuc.schedule;

import java.util.List;

import npuc.arch.Accelerator;
import npuc.frontend.ConstArray;
import npuc.frontend.FrontEndResult.TensorInfo;
import npuc.frontend.Quant;

/**
 * An estimate of encoded weight sizes for use until the bit-exact encoder is available. The layout is exact:
 * per depth slice and core, 10 bytes of scale and bias per output channel padded to 16, then the compressed
 * weights padded to 16. The compressed size is estimated: the weights (less their zero point) are folded to
 * unsigned values as the encoder does and costed as a Golomb-Rice code with the best single divider (0 to 5)
 * over the core's slice, plus a few bytes of stream header; zero padding of the brick layout is taken as free
 * (the encoder's zero runs make it nearly so). Real streams choose dividers per segment, so the estimate errs
 * by a few percent either way.
 */
public final class EstimatedWeightSizes implements EncodedWeightSizes {
    private static final int SCALE_BYTES = 10;
    private static final int HEADER_BYTES = 8;
    private final Accelerator accelerator;

    public EstimatedWeightSizes(Accelerator accelerator) {
        this.accelerator = accelerator;
    }

    @Override
    public EncodedWeights encode(SchedulerOperation op, int ofmBlockDepth, List<Integer> depthSlices) {
        TensorInfo w = op.primary().weights();
        ConstArray values = w.values();
        int fullDepth = w.shape().get(w.shape().size() - 1);
        long perChannel = fullDepth == 0 ? 0 : Math.max(1, (values == null ? product(w.shape()) : values.size())
                / fullDepth);
        int cores = accelerator.cores();
        long[] zeroPoints = zeroPoints(w.quantization(), fullDepth);
        long total = 0;
        long first = 0;
        long[] slices = new long[depthSlices.size() - 1];
        for (int s = 0; s + 1 < depthSlices.size(); s++) {
            int start = depthSlices.get(s);
            int length = depthSlices.get(s + 1) - start;
            long sliceTotal = 0;
            for (int core = 0; core < Math.min(cores, fullDepth); core++) {
                int coreBlockDepth = (ofmBlockDepth + cores - 1 - core) / cores;
                if (coreBlockDepth == 0) {
                    continue;
                }
                long channels = 0;
                long[] bitsPerDivider = new long[6];
                long count = 0;
                for (int c = start + core; c < start + length; c += cores) {
                    channels++;
                    if (values == null) {
                        continue;
                    }
                    for (long i = 0; i < perChannel; i++) {
                        long v = values.get(i * fullDepth + c) - zeroPoints[c];
                        long u = v < 0 ? -2 * v - 1 : 2 * v;
                        for (int k = 0; k < 6; k++) {
                            bitsPerDivider[k] += (u >> k) + 1 + k;
                        }
                        count++;
                    }
                }
                long bits = values == null ? channels * perChannel * 8 : Long.MAX_VALUE;
                if (values != null) {
                    for (long b : bitsPerDivider) {
                        bits = Math.min(bits, b);
                    }
                }
                long weightBytes = count == 0 && values != null ? 0 : roundUp((bits + 7) / 8 + HEADER_BYTES, 16);
                long scaleBytes = roundUp(channels * SCALE_BYTES, 16);
                long part = scaleBytes + weightBytes;
                sliceTotal += part;
                if (s == 0) {
                    first += roundUp(part, 16);
                }
            }
            slices[s] = sliceTotal;
            total += sliceTotal;
        }
        return new EncodedWeights(total, slices, first);
    }

    private static long[] zeroPoints(Quant q, int depth) {
        long[] z = new long[depth];
        if (q != null && q.zeroPoints() != null && !q.zeroPoints().isEmpty()) {
            for (int c = 0; c < depth; c++) {
                z[c] = q.zeroPoints().size() == 1 ? q.zeroPoints().get(0) : q.zeroPoints().get(c);
            }
        }
        return z;
    }

    private static long product(List<Integer> shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    private static long roundUp(long v, long q) {
        return (v + q - 1) / q * q;
    }
}
