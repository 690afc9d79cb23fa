package npuc.generator;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import npuc.graph.DataType;
import npuc.tflite.ModelBuilder.Node;

/**
 * Random valid TFLite models, seeded and deterministic: the same seed gives the same script, and so the same
 * model, on every machine. A model is one input (NHWC mostly, sometimes a sequence or a vector) extended by a
 * chain of operators drawn from {@link OperatorChoices}, which now and then reads an earlier tensor (residual
 * adds, concatenations, packs); every tensor no operator reads is a model output.
 *
 * <p>Three profiles: typical models (small feature maps, up to ten operators), models at the limits of Vela's
 * constraints (large feature maps and kernels, long strides and dilations, large upscales) and models split into
 * many NPU subgraphs by CPU operators.
 */
public final class ModelGenerator {
    /** The most elements a generated tensor may have, to keep every compile within seconds. */
    static final long MAX_ELEMENTS = 1 << 21;
    private static final int MAX_ATTEMPTS = 60;

    private ModelGenerator() {
    }

    /** The model of {@code seed}. */
    public static ModelScript generate(long seed) {
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 0x632BE59BD9B4E019L);
        double t = random.nextDouble();
        DataType type = t < 0.6 ? DataType.INT8 : t < 0.85 ? DataType.INT16 : DataType.UINT8;
        double p = random.nextDouble();
        boolean limits = p < 0.15;
        boolean subgraphs = p >= 0.15 && p < 0.25;
        int operators = subgraphs ? 8 + random.nextInt(9) : 1 + random.nextInt(limits ? 5 : 9);
        ModelScript.Header header = new ModelScript.Header("gen_" + Long.toUnsignedString(seed), type);
        return new Generation(random, header, limits, subgraphs).run(operators);
    }

    /** One model being drawn: the statements so far and a builder that has run them. */
    private static final class Generation {
        final SplittableRandom random;
        final ModelScript.Header header;
        final boolean limits;
        final boolean subgraphs;
        final List<Statement> statements = new ArrayList<>();
        final List<TensorInfo> tensors = new ArrayList<>();
        ScriptRunner runner;

        Generation(SplittableRandom random, ModelScript.Header header, boolean limits, boolean subgraphs) {
            this.random = random;
            this.header = header;
            this.limits = limits;
            this.subgraphs = subgraphs;
            this.runner = new ScriptRunner(header);
        }

        ModelScript run(int operators) {
            add(List.of(input()));
            int placed = 0;
            for (int attempt = 0; placed < operators && attempt < MAX_ATTEMPTS; attempt++) {
                TensorInfo x = extended();
                OperatorChoices choices = new OperatorChoices(random, header.type(), limits, statements.size(),
                        tensors.stream().filter(i -> !i.constant() && i.quantized()).toList());
                OperatorChoices.Choice choice = subgraphs && placed % 2 == 1 && random.nextDouble() < 0.7
                        ? OperatorChoices.CHOICES.stream().filter(c -> c.name().equals("cpu_break")).findFirst()
                                .orElseThrow()
                        : draw();
                List<Statement> made;
                try {
                    made = choice.maker().make(choices, x);
                } catch (RuntimeException e) {
                    // A maker that found no operand to pair with x (an empty choice): draw again.
                    continue;
                }
                if (!made.isEmpty() && add(made)) {
                    placed++;
                }
            }
            if (placed == 0) {
                add(List.of(Statement.of(Call.of("from", Ref.of(0)), Call.of("relu"))));
            }
            return new ModelScript(header, statements, outputs());
        }

        /** The input: NHWC mostly, a [1, time, features] sequence or a [1, features] vector now and then. */
        private Statement input() {
            double p = random.nextDouble();
            int[] shape;
            if (p < 0.84) {
                int h;
                int w;
                int c;
                if (limits) {
                    double q = random.nextDouble();
                    h = q < 0.2 ? 1 : pick(33, 64, 65, 97, 128, 224, 256);
                    w = q < 0.2 ? pick(1024, 4096, 65535) : q < 0.4 ? h : pick(17, 64, 129, 256, 513);
                    c = pick(1, 3, 8, 16, 32, 64, 256);
                } else {
                    h = pick(1, 2, 3, 4, 5, 7, 8, 9, 12, 14, 16, 19, 24, 28, 32);
                    w = random.nextDouble() < 0.7 ? h : pick(1, 3, 8, 10, 16, 20, 31);
                    c = pick(1, 2, 3, 4, 5, 8, 16, 24, 32, 64);
                }
                while ((long) h * w * c > MAX_ELEMENTS / 4) {
                    if (c > 1) {
                        c = Math.max(1, c / 2);
                    } else if (h > 1) {
                        h = Math.max(1, h / 2);
                    } else {
                        w = Math.max(1, w / 2);
                    }
                }
                shape = new int[] {1, h, w, c};
            } else if (p < 0.92) {
                shape = new int[] {1, pick(1, 2, 3, 5, 8), pick(1, 4, 8, 12, 20, 32)};
            } else {
                shape = new int[] {1, pick(1, 8, 16, 64, 100, 256, 1000)};
            }
            float scale = (float) random.nextDouble(0.004, 0.1);
            long zeroPoint = switch (header.type()) {
                case INT16 -> 0;
                case UINT8 -> random.nextInt(256);
                default -> random.nextInt(-128, 128);
            };
            return Statement.of(Call.of("input", (Object) shape), Call.of("quantization", scale, zeroPoint));
        }

        /** The tensor to extend: the newest feature map mostly, sometimes an earlier one (a branch). */
        private TensorInfo extended() {
            List<TensorInfo> maps = tensors.stream().filter(i -> !i.constant() && i.quantized()
                    && i.type() != DataType.INT32).toList();
            if (random.nextDouble() < 0.7) {
                return maps.get(maps.size() - 1);
            }
            return maps.get(random.nextInt(maps.size()));
        }

        private OperatorChoices.Choice draw() {
            int total = OperatorChoices.CHOICES.stream().mapToInt(OperatorChoices.Choice::weight).sum();
            int n = random.nextInt(total);
            for (OperatorChoices.Choice c : OperatorChoices.CHOICES) {
                n -= c.weight();
                if (n < 0) {
                    return c;
                }
            }
            throw new IllegalStateException("weights add up to " + total);
        }

        /**
         * Runs the statements on the builder and keeps them if it accepts them all and no tensor grows past
         * {@link #MAX_ELEMENTS}; else the builder is rebuilt without them.
         */
        private boolean add(List<Statement> made) {
            List<TensorInfo> info = new ArrayList<>();
            try {
                for (Statement s : made) {
                    int index = statements.size() + info.size();
                    List<Node> nodes = runner.apply(s);
                    for (int part = 0; part < nodes.size(); part++) {
                        Node n = nodes.get(part);
                        if (n.elementCount() > MAX_ELEMENTS) {
                            throw new IllegalArgumentException("tensor " + n + " is too large");
                        }
                        String op = s.operator().method();
                        info.add(new TensorInfo(new Ref(index, part), n.shape(), n.dataType(), n.quantization(),
                                op.equals("constant") || op.equals("scalar")));
                    }
                    if (nodes.isEmpty()) {
                        throw new IllegalArgumentException("statement made no tensor");
                    }
                }
            } catch (RuntimeException e) {
                // The builder refused the statements (or could not quantize what they make): draw others.
                replay();
                return false;
            }
            int base = statements.size();
            statements.addAll(made);
            // Index the tensors by the statement that made them.
            for (TensorInfo i : info) {
                tensors.add(i);
            }
            return base < statements.size();
        }

        private void replay() {
            runner = new ScriptRunner(header);
            statements.forEach(runner::apply);
        }

        /** Every feature map no statement reads. */
        private List<Ref> outputs() {
            Set<Ref> read = new HashSet<>();
            statements.forEach(s -> read.addAll(s.refs()));
            List<Ref> outputs = new ArrayList<>();
            for (TensorInfo i : tensors) {
                if (!i.constant() && !read.contains(i.ref()) && !statements.get(i.ref().statement()).isInput()) {
                    outputs.add(i.ref());
                }
            }
            if (outputs.isEmpty()) {
                outputs.add(tensors.get(tensors.size() - 1).ref());
            }
            return outputs;
        }

        private int pick(int... values) {
            return values[random.nextInt(values.length)];
        }
    }
}
