package npuc.frontend;

import java.util.List;

/**
 * The weight-sum limit's measure: for each output channel, the sum of |weight - zero point| over the kernel
 * height, width and input depth; the largest of those. The NPU accumulates a channel's products in a limited
 * range, which bounds that sum.
 */
final class WeightSums {
    private WeightSums() {
    }

    /**
     * Vela computes the sum on the weights transposed to HWIO with the zero points broadcast against the last
     * axis, which is the file's first axis (output channels of CONV_2D and TRANSPOSE_CONV; 1 for
     * DEPTHWISE_CONV_2D, where the sums run over all weights, once per zero point).
     */
    static long maxChannelSum(Operand weights) {
        long[] values = weights.values();
        List<Long> zeroPoints = weights.quantization() == null ? List.of() : weights.quantization().zeroPoint();
        List<Integer> shape = weights.dataShape();
        int outer = shape.isEmpty() ? 1 : shape.get(0);
        if (outer <= 0 || values.length == 0) {
            return 0;
        }
        int inner = values.length / outer;
        int z = zeroPoints.size();
        long max = Long.MIN_VALUE;
        if (z > 1 && outer == 1) {
            for (long zp : zeroPoints) {
                long sum = 0;
                for (long v : values) {
                    sum += Math.abs(v - zp);
                }
                max = Math.max(max, sum);
            }
            return max;
        }
        for (int o = 0; o < outer; o++) {
            long zp = z == 0 ? 0 : zeroPoints.get(z == 1 ? 0 : Math.min(o, z - 1));
            long sum = 0;
            for (int i = o * inner; i < (o + 1) * inner; i++) {
                sum += Math.abs(values[i] - zp);
            }
            max = Math.max(max, sum);
        }
        return max;
    }
}
