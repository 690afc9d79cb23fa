package npuc.generator;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import npuc.graph.Activation;
import npuc.graph.DataType;
import npuc.graph.Padding;

/**
 * The operators the generator draws, each as a maker of statements that extend one tensor {@code x}. Settings are
 * drawn over every option the NPU supports and some it rejects (those go to the CPU with Vela's reason), with
 * typical values and, in the limits profile, values at the edges of Vela's constraints.
 */
final class OperatorChoices {
    /** One way to extend a tensor: the statements, or none when it does not apply to {@code x}. */
    @FunctionalInterface
    interface Maker {
        List<Statement> make(OperatorChoices c, TensorInfo x);
    }

    /** A maker with its name (for listings) and weight among the makers. */
    record Choice(String name, int weight, Maker maker) {
    }

    static final List<Choice> CHOICES = List.of(
            new Choice("conv2d", 14, OperatorChoices::conv2d),
            new Choice("depthwise", 8, OperatorChoices::depthwise),
            new Choice("fully_connected", 5, OperatorChoices::fullyConnected),
            new Choice("pool", 7, OperatorChoices::pool),
            new Choice("binary", 10, OperatorChoices::binary),
            new Choice("unary", 9, OperatorChoices::unary),
            new Choice("reshape", 3, OperatorChoices::reshape),
            new Choice("softmax", 2, OperatorChoices::softmax),
            new Choice("concatenation", 5, OperatorChoices::concatenation),
            new Choice("pad", 4, OperatorChoices::pad),
            new Choice("mean", 3, OperatorChoices::mean),
            new Choice("resize", 5, OperatorChoices::resize),
            new Choice("transpose_conv", 3, OperatorChoices::transposeConv),
            new Choice("split", 4, OperatorChoices::split),
            new Choice("slice", 3, OperatorChoices::slice),
            new Choice("pack", 2, OperatorChoices::pack),
            new Choice("transpose", 2, OperatorChoices::transpose),
            new Choice("arg_max", 1, OperatorChoices::argMax),
            new Choice("lstm", 2, OperatorChoices::lstm),
            new Choice("cpu_break", 4, OperatorChoices::cpuBreak),
            new Choice("constant_activation", 2, OperatorChoices::constantActivation));

    final SplittableRandom random;
    final DataType type;
    final boolean limits;
    /** Index the next statement will have. */
    final int next;
    /** Every tensor made so far, for operators with a second operand. */
    final List<TensorInfo> tensors;

    OperatorChoices(SplittableRandom random, DataType type, boolean limits, int next, List<TensorInfo> tensors) {
        this.random = random;
        this.type = type;
        this.limits = limits;
        this.next = next;
        this.tensors = tensors;
    }

    // ---------------------------------------------------------------------------------------------------
    // Drawing values

    boolean chance(double p) {
        return random.nextDouble() < p;
    }

    int pick(int... values) {
        return values[random.nextInt(values.length)];
    }

    int between(int low, int high) {
        return low + random.nextInt(high - low + 1);
    }

    <T> T pickOf(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    Activation activation() {
        double p = random.nextDouble();
        return p < 0.45 ? Activation.NONE : p < 0.7 ? Activation.RELU : p < 0.88 ? Activation.RELU6
                : Activation.RELU_N1_TO_1;
    }

    Padding padding() {
        return chance(0.6) ? Padding.SAME : Padding.VALID;
    }

    int stride() {
        double p = random.nextDouble();
        return p < 0.6 ? 1 : p < 0.9 ? 2 : p < 0.97 ? 3 : pick(4, 5, 6);
    }

    int channels() {
        return limits && chance(0.3) ? pick(96, 128, 200, 256, 513) : pick(1, 2, 3, 4, 5, 8, 12, 16, 24, 32, 48, 64);
    }

    private static Call from(TensorInfo x) {
        return Call.of("from", x.ref());
    }

    private Call seed() {
        return Call.of("seed", random.nextLong(1, 1L << 40));
    }

    /** A constant of the model's type with values in [-1, 1] drawn from a seed. */
    Statement constant(int statement, int... shape) {
        return Statement.of(seed(), Call.of("constant", "c" + statement, shape));
    }

    // ---------------------------------------------------------------------------------------------------
    // Convolutions and pools

    /** A kernel size along one axis for an input of {@code extent}: typical ones, sometimes long or at the limit. */
    private int kernel(int extent) {
        int k = limits && chance(0.2) ? pick(7, 8, 9, 11) : pick(1, 1, 2, 3, 3, 3, 5);
        return Math.max(1, Math.min(k, Math.max(extent, 1)));
    }

    private int dilation(int kernel) {
        if (kernel == 1 || chance(0.8)) {
            return 1;
        }
        return limits && chance(0.3) ? pick(16, 24, 33) : pick(2, 3);
    }

    /** VALID when the dilated kernel fits the input, else SAME. */
    private Padding fitPadding(TensorInfo x, int kh, int kw, int dh, int dw) {
        Padding p = padding();
        boolean fits = (kh - 1) * dh + 1 <= x.dim(1) && (kw - 1) * dw + 1 <= x.dim(2);
        return p == Padding.VALID && !fits ? Padding.SAME : p;
    }

    static List<Statement> conv2d(OperatorChoices c, TensorInfo x) {
        if (!x.isImage()) {
            return List.of();
        }
        int kh = c.kernel(x.dim(1));
        int kw = c.chance(0.15) ? c.kernel(x.dim(2)) : kh;
        kw = Math.min(kw, Math.max(1, x.dim(2)));
        int dh = c.dilation(kh);
        int dw = c.chance(0.7) ? dh : c.dilation(kw);
        int filters = c.channels();
        Statement s = Statement.of(c.seed(), from(x), Call.of("conv2d", filters, kh, kw));
        s = c.withStride(s, c.chance(0.85));
        if (dh > 1 || dw > 1) {
            s = s.with(Call.of("dilation", dh, dw));
        }
        s = s.with(Call.of("padding", c.fitPadding(x, kh, kw, dh, dw)));
        Activation a = c.activation();
        if (a != Activation.NONE) {
            s = s.with(Call.of("activation", a));
        }
        int channels = x.dim(3);
        if (c.chance(0.08) && channels % 2 == 0 && filters % 2 == 0) {
            s = s.with(Call.of("groups", 2));
        }
        if (c.chance(0.2)) {
            s = s.with(Call.of("perChannelWeights", false));
        }
        return List.of(s);
    }

    /** {@code s} with a drawn stride, the same in both axes when {@code square}; nothing for 1x1. */
    private Statement withStride(Statement s, boolean square) {
        int h = stride();
        int w = square ? h : stride();
        return h == 1 && w == 1 ? s : s.with(Call.of("stride", h, w));
    }

    static List<Statement> depthwise(OperatorChoices c, TensorInfo x) {
        if (!x.isImage()) {
            return List.of();
        }
        int kh = c.kernel(x.dim(1));
        int kw = c.chance(0.15) ? c.kernel(x.dim(2)) : Math.min(kh, Math.max(1, x.dim(2)));
        int d = c.dilation(kh);
        Statement s = Statement.of(c.seed(), from(x), Call.of("depthwiseConv2d", kh, kw));
        int multiplier = c.chance(0.85) ? 1 : c.pick(2, 3);
        if (multiplier != 1) {
            s = s.with(Call.of("depthMultiplier", multiplier));
        }
        s = c.withStride(s, true);
        if (d > 1) {
            s = s.with(Call.of("dilation", d, d));
        }
        s = s.with(Call.of("padding", c.fitPadding(x, kh, kw, d, d)));
        Activation a = c.activation();
        if (a != Activation.NONE) {
            s = s.with(Call.of("activation", a));
        }
        if (c.chance(0.15)) {
            s = s.with(Call.of("perChannelWeights", false));
        }
        return List.of(s);
    }

    static List<Statement> fullyConnected(OperatorChoices c, TensorInfo x) {
        if (x.rank() < 2 || x.dim(-1) > 4096) {
            return List.of();
        }
        int units = c.limits && c.chance(0.3) ? c.pick(256, 1000, 2048) : c.pick(1, 2, 4, 8, 10, 16, 32, 64);
        Statement s = Statement.of(c.seed(), from(x), Call.of("fullyConnected", units));
        if (x.rank() > 2 && c.chance(0.3)) {
            s = s.with(Call.of("keepNumDims", true));
        }
        Activation a = c.activation();
        if (a != Activation.NONE) {
            s = s.with(Call.of("activation", a));
        }
        if (c.chance(0.08)) {
            s = s.with(Call.of("perChannelWeights", true));
        }
        return List.of(s);
    }

    static List<Statement> pool(OperatorChoices c, TensorInfo x) {
        if (!x.isImage()) {
            return List.of();
        }
        boolean max = c.chance(0.5);
        int fh;
        int fw;
        if (c.limits && c.chance(0.4)) {
            // At Vela's limits: filters up to 8 (average, SAME), heights to 256 (max and VALID average).
            fh = Math.min(x.dim(1), c.pick(8, 9, 64, 256, 257));
            fw = Math.min(x.dim(2), c.pick(1, 8, 9, 256));
        } else {
            fh = Math.min(x.dim(1), c.pick(1, 2, 2, 3, 3, 5));
            fw = c.chance(0.8) ? Math.min(x.dim(2), fh) : Math.min(x.dim(2), c.pick(1, 2, 3));
        }
        fh = Math.max(fh, 1);
        fw = Math.max(fw, 1);
        Statement s = Statement.of(from(x), Call.of(max ? "maxPool" : "averagePool", fh, fw));
        if (c.chance(0.5)) {
            s = c.withStride(s, c.chance(0.8));
        }
        if (c.chance(0.4)) {
            s = s.with(Call.of("padding", Padding.SAME));
        }
        Activation a = c.activation();
        if (a != Activation.NONE) {
            s = s.with(Call.of("activation", a));
        }
        return List.of(s);
    }

    // ---------------------------------------------------------------------------------------------------
    // Elementwise

    private static final List<String> BINARY = List.of("add", "add", "sub", "mul", "mul", "maximum", "minimum",
            "squaredDifference");

    static List<Statement> binary(OperatorChoices c, TensorInfo x) {
        String op = c.pickOf(BINARY);
        List<Statement> out = new ArrayList<>();
        Ref other;
        List<TensorInfo> sameShape = c.tensors.stream()
                .filter(t -> t.shape().equals(x.shape()) && !t.ref().equals(x.ref()) && t.type() == x.type())
                .toList();
        if (!sameShape.isEmpty() && c.chance(0.5)) {
            other = c.pickOf(sameShape).ref();
        } else if (c.chance(0.15)) {
            other = x.ref();
        } else {
            // A constant operand, of the same shape or broadcast over some dimensions.
            int[] shape = x.shape().stream().mapToInt(Integer::intValue).toArray();
            double p = c.random.nextDouble();
            for (int i = 0; i < shape.length; i++) {
                boolean last = i == shape.length - 1;
                if (p < 0.4 ? !last : p < 0.6 ? last : p < 0.75) {
                    shape[i] = 1;
                }
            }
            if (c.chance(0.15)) {
                shape = new int[] {1};
            }
            if (x.elements() > 1 << 16 && shape.length > 0) {
                java.util.Arrays.fill(shape, 1);
            }
            out.add(c.constant(c.next, shape));
            other = Ref.of(c.next);
        }
        boolean swap = c.chance(0.3);
        Statement s = Statement.of(Call.of(op, swap ? other : x.ref(), swap ? x.ref() : other));
        if (List.of("add", "sub", "mul").contains(op)) {
            Activation a = c.activation();
            if (a != Activation.NONE) {
                s = s.with(Call.of("activation", a));
            }
        }
        out.add(s);
        return out;
    }

    static List<Statement> unary(OperatorChoices c, TensorInfo x) {
        double p = c.random.nextDouble();
        Call op;
        if (p < 0.12) {
            op = Call.of("relu");
        } else if (p < 0.2) {
            op = Call.of("relu6");
        } else if (p < 0.32) {
            op = Call.of("logistic");
        } else if (p < 0.42) {
            op = Call.of("tanh");
        } else if (p < 0.5) {
            op = Call.of("hardSwish");
        } else if (p < 0.6) {
            op = Call.of("leakyRelu", (float) c.pickOf(List.of(0.1, 0.2, 0.5, 1.5, -0.3)).doubleValue());
        } else if (p < 0.66) {
            op = Call.of("exp");
        } else if (p < 0.7) {
            op = Call.of("log");
        } else if (p < 0.76) {
            op = Call.of("abs");
        } else if (p < 0.8) {
            op = Call.of("rsqrt");
        } else if (p < 0.88) {
            float[] alpha = new float[x.dim(-1)];
            for (int i = 0; i < alpha.length; i++) {
                alpha[i] = (float) c.random.nextDouble(-0.5, 0.5);
            }
            op = Call.of("prelu", (Object) alpha);
        } else {
            return List.of(quantize(c, x));
        }
        return List.of(Statement.of(from(x), op));
    }

    /** A requantization: to another scale of the same type, or between int8 and int16. */
    private static Statement quantize(OperatorChoices c, TensorInfo x) {
        DataType to = x.type();
        if (c.chance(0.3) && x.type() != DataType.UINT8) {
            to = x.type() == DataType.INT16 ? DataType.INT8 : DataType.INT16;
        }
        float scale = x.quantization().scale().get(0) * (float) c.random.nextDouble(0.3, 3);
        if (to == DataType.INT16 && x.type() != DataType.INT16) {
            scale /= 256;
        } else if (to != DataType.INT16 && x.type() == DataType.INT16) {
            scale *= 256;
        }
        long zeroPoint = to == DataType.INT16 ? 0 : to == DataType.UINT8 ? c.between(100, 150) : c.between(-20, 20);
        return Statement.of(from(x), Call.of("quantize", to, scale, zeroPoint));
    }

    static List<Statement> softmax(OperatorChoices c, TensorInfo x) {
        Statement s = Statement.of(from(x), Call.of("softmax"));
        if (c.chance(0.2)) {
            s = s.with(Call.of("beta", (float) c.pickOf(List.of(0.5, 2.0, 0.1)).doubleValue()));
        }
        return List.of(s);
    }

    /** An activation of a constant, combined with {@code x}: a bias put through a gate, as a conv-LSTM does. */
    static List<Statement> constantActivation(OperatorChoices c, TensorInfo x) {
        if (x.type() != c.type) {
            return List.of();
        }
        int[] shape = x.shape().stream().mapToInt(Integer::intValue).toArray();
        if (x.elements() > 1 << 14) {
            for (int i = 0; i < shape.length - 1; i++) {
                shape[i] = 1;
            }
        }
        String gate = c.pickOf(List.of("logistic", "tanh", "relu", "relu6"));
        int constant = c.next;
        return List.of(c.constant(constant, shape),
                Statement.of(Call.of("from", Ref.of(constant)), Call.of(gate)),
                Statement.of(Call.of(c.chance(0.5) ? "add" : "mul", x.ref(), Ref.of(constant + 1))));
    }

    // ---------------------------------------------------------------------------------------------------
    // Shapes and memory

    static List<Statement> reshape(OperatorChoices c, TensorInfo x) {
        int[] shape;
        double p = c.random.nextDouble();
        if (x.rank() == 4 && p < 0.35) {
            shape = new int[] {1, x.dim(1) * x.dim(2), x.dim(3)};
        } else if (x.rank() == 4 && p < 0.5) {
            shape = new int[] {1, x.dim(1), x.dim(2) * x.dim(3)};
        } else if (x.rank() == 3 && p < 0.6) {
            shape = new int[] {1, x.dim(1), 1, x.dim(2)};
        } else if (x.rank() == 2 && x.dim(1) % 4 == 0 && p < 0.6) {
            shape = new int[] {1, 2, x.dim(1) / 4, 2};
        } else {
            shape = new int[] {1, -1};
        }
        return List.of(Statement.of(from(x), Call.of("reshape", (Object) shape)));
    }

    static List<Statement> concatenation(OperatorChoices c, TensorInfo x) {
        int axis = x.rank() - 1;
        if (x.rank() > 1 && c.chance(0.35)) {
            axis = c.between(1, x.rank() - 1);
        }
        int a = axis;
        List<TensorInfo> fits = c.tensors.stream().filter(t -> t.rank() == x.rank() && t.type() == x.type()
                && !t.constant() && sameBut(t.shape(), x.shape(), a)).toList();
        List<Ref> inputs = new ArrayList<>(List.of(x.ref()));
        int count = c.chance(0.25) ? 3 : 2;
        for (int i = 1; i < count; i++) {
            inputs.add(c.pickOf(fits).ref());
        }
        java.util.Collections.shuffle(inputs, new java.util.Random(c.random.nextLong()));
        Statement s = Statement.of(Call.of("concatenation", axis, inputs.toArray(Ref[]::new)));
        if (c.chance(0.15)) {
            s = s.with(Call.of("activation", c.activation()));
        }
        return List.of(s);
    }

    private static boolean sameBut(List<Integer> a, List<Integer> b, int axis) {
        for (int i = 0; i < a.size(); i++) {
            if (i != axis && !a.get(i).equals(b.get(i))) {
                return false;
            }
        }
        return true;
    }

    static List<Statement> pad(OperatorChoices c, TensorInfo x) {
        int[] pads = new int[2 * x.rank()];
        for (int d = 0; d < x.rank(); d++) {
            boolean spatial = x.rank() == 4 ? d == 1 || d == 2 : d >= 1 && d < x.rank() - 1;
            double p = c.random.nextDouble();
            if (spatial || (d == x.rank() - 1 && p < 0.1) || (d == 0 && p < 0.03)) {
                int max = c.limits ? 9 : 2;
                pads[2 * d] = c.between(0, max);
                pads[2 * d + 1] = c.between(0, max);
            }
        }
        return List.of(Statement.of(from(x), Call.of("pad", (Object) pads)));
    }

    static List<Statement> mean(OperatorChoices c, TensorInfo x) {
        if (x.rank() < 2) {
            return List.of();
        }
        int[] axes;
        if (x.rank() == 4) {
            axes = c.pickOf(List.of(new int[] {1, 2}, new int[] {1, 2}, new int[] {1}, new int[] {2},
                    new int[] {3}, new int[] {2, 1}));
        } else {
            axes = new int[] {c.between(1, x.rank() - 1)};
        }
        Statement s = Statement.of(from(x), Call.of("mean", (Object) axes));
        if (c.chance(0.4)) {
            s = s.with(Call.of("keepDims", false));
        }
        return List.of(s);
    }

    static List<Statement> resize(OperatorChoices c, TensorInfo x) {
        if (!x.isImage()) {
            return List.of();
        }
        boolean bilinear = c.chance(0.6);
        int h = x.dim(1);
        int w = x.dim(2);
        boolean alignCorners = c.chance(0.3);
        boolean halfPixel = !alignCorners && c.chance(0.3);
        int factor = c.limits ? c.pick(2, 4, 8, 8) : c.pick(2, 2, 4);
        int oh;
        int ow;
        double p = c.random.nextDouble();
        if (p < 0.8) {
            oh = alignCorners ? (h - 1) * factor + 1 : h * factor;
            ow = alignCorners ? (w - 1) * factor + 1 : w * factor;
        } else if (p < 0.9) {
            oh = h;
            ow = w;
        } else {
            // A ratio the NPU has no upscaling for: the resize runs on the CPU.
            oh = h * 3 + 1;
            ow = w + 2;
        }
        Statement s = Statement.of(from(x), Call.of(bilinear ? "resizeBilinear" : "resizeNearestNeighbor",
                Math.max(oh, 1), Math.max(ow, 1)));
        if (alignCorners || halfPixel) {
            s = s.with(Call.of("resizeOptions", alignCorners, halfPixel));
        }
        return List.of(s);
    }

    static List<Statement> transposeConv(OperatorChoices c, TensorInfo x) {
        if (!x.isImage()) {
            return List.of();
        }
        int k = c.pick(1, 2, 3, 3, 4);
        int stride = c.pick(1, 2, 2);
        Statement s = Statement.of(c.seed(), from(x), Call.of("transposeConv", c.pick(1, 4, 8, 16, 32), k, k));
        if (stride != 1) {
            s = s.with(Call.of("stride", stride, stride));
        }
        if (c.chance(0.35)) {
            s = s.with(Call.of("padding", Padding.VALID));
        }
        if (c.chance(0.15)) {
            s = s.with(Call.of("perChannelWeights", false));
        }
        return List.of(s);
    }

    static List<Statement> split(OperatorChoices c, TensorInfo x) {
        List<Integer> axes = new ArrayList<>();
        for (int d = 1; d < x.rank(); d++) {
            if (x.dim(d) >= 2) {
                axes.add(d);
            }
        }
        if (axes.isEmpty()) {
            return List.of();
        }
        int axis = c.pickOf(axes);
        int size = x.dim(axis);
        if (c.chance(0.5)) {
            List<Integer> parts = new ArrayList<>();
            for (int p = 2; p <= Math.min(size, 4); p++) {
                if (size % p == 0) {
                    parts.add(p);
                }
            }
            if (!parts.isEmpty()) {
                return List.of(new Statement(List.of(from(x), Call.of("split", axis, c.pickOf(parts))), true));
            }
        }
        int first = c.between(1, size - 1);
        return List.of(new Statement(List.of(from(x), Call.of("splitV", axis, new int[] {first, size - first})),
                true));
    }

    static List<Statement> slice(OperatorChoices c, TensorInfo x) {
        int[] begin = new int[x.rank()];
        int[] end = new int[x.rank()];
        for (int d = 0; d < x.rank(); d++) {
            int size = x.dim(d);
            begin[d] = d == 0 || c.chance(0.5) ? 0 : c.between(0, size - 1);
            end[d] = d == 0 || c.chance(0.5) ? size : c.between(begin[d] + 1, size);
        }
        if (c.chance(0.5)) {
            int[] size = new int[x.rank()];
            for (int d = 0; d < size.length; d++) {
                size[d] = end[d] - begin[d];
            }
            return List.of(Statement.of(from(x), Call.of("slice", begin, size)));
        }
        int shrink = 0;
        for (int d = 1; d < x.rank(); d++) {
            if (end[d] - begin[d] == 1 && c.chance(0.3)) {
                shrink |= 1 << d;
            }
        }
        return List.of(Statement.of(from(x), Call.of("stridedSlice", begin, end, shrink)));
    }

    static List<Statement> pack(OperatorChoices c, TensorInfo x) {
        if (x.rank() > 3) {
            if (x.dim(0) != 1 || x.dim(1) > 4 || c.chance(0.5)) {
                return List.of();
            }
            int axis = 1;
            return List.of(new Statement(List.of(from(x), Call.of("unpack", axis)), true));
        }
        List<TensorInfo> same = c.tensors.stream().filter(t -> t.shape().equals(x.shape()) && t.type() == x.type()
                && !t.constant()).toList();
        Ref other = c.pickOf(same).ref();
        return List.of(Statement.of(Call.of("pack", c.between(0, x.rank()), new Ref[] {x.ref(), other})));
    }

    static List<Statement> transpose(OperatorChoices c, TensorInfo x) {
        int[] perm;
        if (x.rank() == 4) {
            perm = c.pickOf(List.of(new int[] {0, 2, 1, 3}, new int[] {0, 2, 1, 3}, new int[] {0, 3, 1, 2},
                    new int[] {0, 1, 3, 2}, new int[] {0, 3, 2, 1}));
        } else if (x.rank() == 3) {
            perm = c.pickOf(List.of(new int[] {1, 0, 2}, new int[] {0, 2, 1}, new int[] {2, 1, 0}));
        } else if (x.rank() == 2) {
            perm = new int[] {1, 0};
        } else {
            return List.of();
        }
        return List.of(Statement.of(from(x), Call.of("transpose", (Object) perm)));
    }

    static List<Statement> argMax(OperatorChoices c, TensorInfo x) {
        if (!x.isImage() || x.type() == DataType.INT16 && c.chance(0.7)) {
            return List.of();
        }
        return List.of(Statement.of(from(x), Call.of("argMax", DataType.INT32)));
    }

    static List<Statement> lstm(OperatorChoices c, TensorInfo x) {
        if (x.rank() != 3 || x.dim(0) != 1 || x.dim(1) > 8 || x.dim(2) > 64) {
            if (x.isImage() && x.dim(1) * x.dim(2) <= 6 && x.dim(3) <= 32) {
                return List.of(Statement.of(from(x), Call.of("reshape", new int[] {1, x.dim(1) * x.dim(2),
                        x.dim(3)})));
            }
            return List.of();
        }
        Statement s = Statement.of(c.seed(), from(x), Call.of("lstm", c.pick(1, 2, 4, 8, 16)));
        if (c.chance(0.2)) {
            s = s.with(Call.of("cellClip", 8f));
        }
        return List.of(s);
    }

    /**
     * An operator the NPU does not run, so the graph splits into NPU subgraphs around it: a pool with a stride
     * over 3, an unsupported transpose, a resize by an odd ratio, or a float detour.
     */
    static List<Statement> cpuBreak(OperatorChoices c, TensorInfo x) {
        double p = c.random.nextDouble();
        if (x.isImage() && x.dim(1) >= 4 && x.dim(2) >= 4 && p < 0.4) {
            return List.of(Statement.of(from(x), Call.of("maxPool", 4, 4)));
        }
        if (x.rank() == 4 && p < 0.6) {
            return List.of(Statement.of(from(x), Call.of("transpose", new int[] {0, 3, 1, 2})));
        }
        if (x.quantized() && x.type() == c.type) {
            float scale = x.quantization().scale().get(0);
            long zeroPoint = x.quantization().zeroPoint().get(0);
            return List.of(Statement.of(from(x), Call.of("dequantize")),
                    Statement.of(Call.of("from", Ref.of(c.next)), Call.of("quantize", x.type(), scale, zeroPoint)));
        }
        return List.of();
    }
}
