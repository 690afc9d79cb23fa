package npuc.codegen;

import java.util.List;

import npuc.frontend.ActivationFunction;
import npuc.frontend.FrontEndResult.OperationInfo;
import npuc.frontend.OpType;
import npuc.graph.DataType;
import npuc.schedule.SchedulerOperation;
import npuc.weights.QuantisedScale;

/**
 * The OFM (and operand) scale registers of pooling and elementwise operations. Scales are single precision
 * where both operands are, double where a literal takes part, as in the reference.
 */
final class OutputScaling {
    private OutputScaling() {
    }

    static NpuOperation.Scaling of(NpuOperation.Kind kind, int mode, SchedulerOperation op, OperationInfo primary,
                                   NpuOperation.FeatureMap ifm, NpuOperation.FeatureMap ifm2,
                                   NpuOperation.FeatureMap ofm, int[] padding, NpuOperation.Kernel kernel,
                                   ActivationFunction act, boolean reversed, boolean fusedQuantize) {
        List<Integer> shifts = primary.hardware().explicitScalingShift();
        List<Integer> multipliers = primary.hardware().explicitScalingMultiplier();
        boolean explicit = !shifts.isEmpty();
        if (kind == NpuOperation.Kind.POOL) {
            boolean global = (mode == 1 || mode == 2) && padding[0] + padding[1] + padding[2] + padding[3] == 0;
            if (explicit) {
                global = shifts.size() == 1;
            }
            if (!global) {
                return NpuOperation.Scaling.NONE;
            }
            long scale;
            int shift;
            boolean sigmoidOrTanh = act != null && (act.type() == OpType.Sigmoid || act.type() == OpType.Tanh);
            if (sigmoidOrTanh) {
                double rescale = 0x3000 * (double) (float) ifm.scale();
                if (ifm.type() == DataType.INT16) {
                    double log2 = Math.log(ifm.scale()) / Math.log(2);
                    int rounded = (int) Math.round(log2);
                    boolean powerOfTwo = Math.abs(log2 - rounded) < 0.001;
                    shift = rounded + 12;
                    if (powerOfTwo && ((act.type() == OpType.Tanh && (shift == 0 || shift == 1))
                            || (act.type() == OpType.Sigmoid && shift == 0))) {
                        scale = 3L << shift;
                        shift = 0;
                    } else {
                        shift = 0;
                        double maxRescale = Short.MAX_VALUE / 2.0;
                        while (rescale <= maxRescale && shift <= 30) {
                            shift++;
                            rescale *= 2;
                        }
                        scale = (long) rescale;
                    }
                } else {
                    int bits = bitLength((long) Math.ceil(rescale)) + 1;
                    long[] ps = poolingScale(kernel.height() * kernel.width(), bits);
                    scale = roundAwayFromZero(ps[0] * rescale);
                    shift = (int) ps[1];
                }
            } else if (fusedQuantize) {
                QuantisedScale q = QuantisedScale.of(ifm.scale() / ofm.scale());
                scale = q.multiplier();
                shift = q.shift();
            } else if (explicit) {
                scale = multipliers.get(0);
                shift = shifts.get(0);
            } else if (!Double.isNaN(ifm.scale()) && !Double.isNaN(ofm.scale())) {
                float rescale = (float) ifm.scale() / (float) ofm.scale();
                int bits = 0;
                if (kernel.height() == 1 && kernel.width() == 1) {
                    if (rescale > 1) {
                        bits = bitLength((long) Math.ceil(rescale)) + 1;
                    } else if (rescale < 1) {
                        bits = -(bitLength((long) Math.ceil(1 / (double) rescale)) - 1);
                    }
                }
                long[] ps = poolingScale(kernel.height() * kernel.width(), bits);
                scale = roundAwayFromZero(ps[0] * (double) rescale);
                shift = (int) ps[1];
            } else {
                scale = 1;
                shift = 0;
            }
            return new NpuOperation.Scaling(true, scale, shift, null, 0, null, 0);
        }
        if (kind != NpuOperation.Kind.ELEMENTWISE) {
            return NpuOperation.Scaling.NONE;
        }
        boolean global = mode == 0 || mode == 1 || mode == 2 || mode == 5 || mode == 6;
        if (mode == 0 || mode == 1 || mode == 2) {
            Float in1 = Double.isNaN(ifm.scale()) ? null : (float) ifm.scale();
            Float in2 = ifm2 == null || Double.isNaN(ifm2.scale()) ? null : (float) ifm2.scale();
            Double out = Double.isNaN(ofm.scale()) ? null : ofm.scale();
            boolean outSingle = true;
            if (act != null && (act.type() == OpType.Sigmoid || act.type() == OpType.Tanh)) {
                out = 1.0 / 0x3000;
                outSingle = false;
            }
            if (mode == 0) {
                long scale;
                int shift;
                if (explicit) {
                    scale = multipliers.get(0);
                    shift = shifts.get(0);
                } else if (in1 == null || in2 == null || out == null) {
                    scale = 1;
                    shift = 0;
                } else {
                    double rescale = outSingle ? (double) (in1 * in2 / out.floatValue()) : (in1 * in2) / out;
                    QuantisedScale q = QuantisedScale.of(rescale);
                    scale = q.multiplier();
                    shift = q.shift();
                }
                return new NpuOperation.Scaling(global, scale, shift, null, 0, null, 0);
            }
            long opa = 1;
            long opb = 1;
            int opaShift = 0;
            long ofmScale;
            int shift;
            int opToScale = 0;
            int bitdepth = ifm.type().bits();
            boolean advanced = false;
            if (explicit) {
                ofmScale = multipliers.get(0);
                shift = shifts.get(0);
            } else if (in1 == null || in2 == null || out == null) {
                ofmScale = 1;
                shift = 0;
            } else if (in1.equals(in2) && bitdepth == 16) {
                double[] r = simplified(in1, in2, out, 16);
                QuantisedScale q = QuantisedScale.of(r[2]);
                opa = (long) Math.floor(r[0] / 2);
                opb = (long) Math.floor(r[1] / 2);
                ofmScale = q.multiplier();
                shift = q.shift() - 1;
            } else if (in1.equals(in2)) {
                double[] r = simplified(in1, in2, out, 16);
                QuantisedScale q = QuantisedScale.of(r[2]);
                opa = (long) r[0];
                opb = (long) r[1];
                ofmScale = q.multiplier();
                shift = q.shift();
                advanced = (ofmScale & 0xFFF) != 0;
            } else {
                ofmScale = 0;
                shift = 0;
                advanced = true;
            }
            if (advanced) {
                float max = Math.max(in1, in2);
                float min = Math.min(in1, in2);
                int inputShift = bitdepth == 8 ? 20 : 15;
                opToScale = in1 < in2 ? 1 : 2;
                double[] r = simplified(min, max, out, inputShift);
                QuantisedScale in = QuantisedScale.of(r[0]);
                QuantisedScale o = QuantisedScale.of(r[2]);
                opa = in.multiplier();
                opaShift = in.shift();
                ofmScale = o.multiplier();
                shift = o.shift();
                opb = 0;
                if (reversed) {
                    opToScale = opToScale == 1 ? 2 : 1;
                }
            }
            return new NpuOperation.Scaling(global, ofmScale, shift, opa, opaShift, opb, opToScale);
        }
        if (mode == 5 || mode == 6) {
            QuantisedScale q = QuantisedScale.of(ofm.scale());
            return new NpuOperation.Scaling(global, q.multiplier(), q.shift(), null, 0, null, 0);
        }
        return new NpuOperation.Scaling(global, 1, 0, null, 0, null, 0);
    }

    /** Operand and output rescales of an addition with both operands brought to twice the larger scale. */
    private static double[] simplified(float in1, float in2, double out, int inputShift) {
        float max = Math.max(in1, in2);
        double in1Rescale = in1 * (double) (1 << inputShift) / (2 * (double) max);
        double in2Rescale = in2 * (double) (1 << inputShift) / (2 * (double) max);
        double outRescale = (2 * (double) max) / (out * (1 << inputShift));
        return new double[] {in1Rescale, in2Rescale, outRescale};
    }

    /** Scale and shift that divide a sum of {@code elements} values by their count, leaving room for a rescale. */
    static long[] poolingScale(int elements, int rescaleBits) {
        int k = bitLength(elements - 1);
        int n = 31 - rescaleBits;
        long scale = ((1L << (n + k)) + (1L << k)) / elements;
        return new long[] {scale, n + k};
    }

    private static int bitLength(long v) {
        return 64 - Long.numberOfLeadingZeros(v);
    }

    private static long roundAwayFromZero(double v) {
        double t = v + (v < 0 ? -0.5 : 0.5);
        return (long) t;
    }
}
