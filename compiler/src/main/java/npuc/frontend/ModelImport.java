package npuc.frontend;

import java.util.ArrayList;
import java.util.List;

import npuc.graph.Activation;
import npuc.graph.Buffer;
import npuc.graph.BuiltinOperator;
import npuc.graph.BuiltinOptions;
import npuc.graph.DataType;
import npuc.graph.Graph;
import npuc.graph.Operator;
import npuc.graph.OperatorCode;
import npuc.graph.Padding;
import npuc.graph.Quantization;
import npuc.graph.Subgraph;
import npuc.graph.Tensor;

/**
 * Builds the front end's mutable graph from a TFLite model as Vela's reader does: graph inputs and
 * constant buffers get Placeholder and Const producers, convolution and fully connected weights are
 * transposed to the layouts the NPU rewrites expect (HWIO, [in, out]), biases get their own equivalence id.
 */
final class ModelImport {
    private ModelImport() {
    }

    static List<WorkSubgraph> read(FrontEndContext ctx) {
        Graph model = ctx.model;
        List<WorkSubgraph> out = new ArrayList<>();
        for (int s = 0; s < model.subgraphs().size(); s++) {
            out.add(readSubgraph(ctx, model, s));
        }
        return out;
    }

    private static WorkSubgraph readSubgraph(FrontEndContext ctx, Graph model, int sgIndex) {
        Subgraph sg = model.subgraphs().get(sgIndex);
        List<GraphTensor> tensors = new ArrayList<>();
        for (Tensor t : sg.tensors()) {
            tensors.add(readTensor(ctx, model, t));
        }
        for (int i = 0; i < sg.operators().size(); i++) {
            readOperator(ctx, model, sg, i, tensors);
        }
        List<GraphTensor> outputs = distinct(sg.outputs(), tensors);
        List<GraphTensor> inputs = distinct(sg.inputs(), tensors);
        for (GraphTensor t : inputs) {
            if (!t.producers.isEmpty() && t.producers.get(0).type == OpType.Const) {
                break;
            }
            GraphOp op = new GraphOp(t.isConst() ? OpType.Const : OpType.Placeholder, t.name);
            op.runOnNpu = !t.isConst();
            op.setOutput(t);
        }
        for (GraphTensor t : tensors) {
            if (t.producers.isEmpty()) {
                GraphOp op = new GraphOp(t.variable ? OpType.Placeholder : OpType.Const, t.name);
                op.setOutput(t);
            }
        }
        WorkSubgraph w = new WorkSubgraph(sg.name() == null ? "" : sg.name(), sgIndex, outputs);
        w.originalInputs = inputs;
        w.refreshConsumers();
        return w;
    }

    private static List<GraphTensor> distinct(List<Integer> indices, List<GraphTensor> tensors) {
        List<GraphTensor> out = new ArrayList<>();
        for (int i : indices) {
            GraphTensor t = tensors.get(i);
            if (!out.contains(t)) {
                out.add(t);
            }
        }
        return out;
    }

    private static GraphTensor readTensor(FrontEndContext ctx, Graph model, Tensor t) {
        int[] shape = t.shape().stream().mapToInt(Integer::intValue).toArray();
        GraphTensor g = ctx.newTensor(t.name(), shape, t.type());
        g.variable = t.variable();
        Quantization q = t.quantization();
        if (q != null && !(q.scale().isEmpty() && q.zeroPoint().isEmpty())) {
            List<Double> scales = new ArrayList<>();
            for (float f : q.scale()) {
                scales.add((double) f);
            }
            g.quant = new Quant(scales, q.zeroPoint(), quantMin(t.type()), quantMax(t.type()));
        }
        Buffer b = t.buffer() >= 0 && t.buffer() < model.buffers().size() ? model.buffers().get(t.buffer()) : null;
        if (b != null && !b.data().isEmpty() && t.type().bytes() > 0) {
            g.values = ConstArray.wrap(t.type(), shape, b.data().toArray());
        }
        return g;
    }

    static long quantMin(DataType type) {
        return switch (type) {
            case UINT8, UINT16, UINT32 -> 0;
            case INT8, INT16, INT32, INT64 -> -(1L << (type.bits() - 1));
            default -> 0;
        };
    }

    static long quantMax(DataType type) {
        return switch (type) {
            case UINT8 -> 255;
            case UINT16 -> 65535;
            case INT8, INT16, INT32 -> (1L << (type.bits() - 1)) - 1;
            case INT64 -> Long.MAX_VALUE;
            default -> 0;
        };
    }

    private static void readOperator(FrontEndContext ctx, Graph model, Subgraph sg, int index,
                                     List<GraphTensor> tensors) {
        Operator o = sg.operators().get(index);
        OperatorCode code = model.operatorCode(o);
        BuiltinOperator builtin = code.isCustom() ? BuiltinOperator.CUSTOM : code.builtin();
        OpType type = OpType.ofBuiltin(builtin);
        List<GraphTensor> inputs = new ArrayList<>();
        for (int i : o.inputs()) {
            inputs.add(i < 0 ? null : tensors.get(i));
        }
        List<GraphTensor> outputs = new ArrayList<>();
        for (int i : o.outputs()) {
            outputs.add(i < 0 ? null : tensors.get(i));
        }
        String name = outputs.isEmpty() || outputs.get(0) == null ? "unknown_op_name" : outputs.get(0).name;
        GraphOp op = new GraphOp(type, name);
        op.opIndex = index;
        op.builtin = builtin;
        op.customCode = code.customCode();
        op.options = o.options();
        op.inputs = inputs;
        op.outputs = outputs;
        for (int i : o.intermediates()) {
            op.intermediates.add(i < 0 ? null : tensors.get(i));
        }
        for (GraphTensor t : outputs) {
            if (t != null) {
                t.setProducer(op);
            }
        }
        boolean convLike = type == OpType.Conv2DBias || type == OpType.DepthwiseConv2DBias
                || type == OpType.Conv2DBackpropInput || type == OpType.FullyConnected;
        if (convLike && inputs.size() > 1 && inputs.get(1) != null && inputs.get(1).isConst()) {
            GraphTensor w = inputs.get(1);
            GraphTensor reshaped = ctx.cloneTensor(w, "_reshape", false);
            if (type == OpType.FullyConnected) {
                reshaped.values = w.values.rank() == 2 ? w.values.transpose(1, 0) : w.values;
            } else {
                reshaped.values = w.values.rank() == 4 ? w.values.transpose(1, 2, 3, 0) : w.values;
            }
            reshaped.shape = reshaped.values.shape();
            constProducer(reshaped);
            inputs.set(1, reshaped);
            if (type.needsBias() && inputs.size() <= type.layout.bias) {
                inputs.add(null);
            }
            GraphTensor last = inputs.get(inputs.size() - 1);
            if (last != null && last.isConst()) {
                GraphTensor bias = ctx.cloneTensor(last, "_reshape", true);
                bias.shape = new int[]{(int) last.values.size()};
                bias.values = last.values.reshape(bias.shape);
                constProducer(bias);
                inputs.set(inputs.size() - 1, bias);
            }
        }
        readAttributes(op, o.options());
        if (type == OpType.DepthwiseConv2DBias && op.depthMultiplier == 0 && op.weights() != null
                && op.ifm() != null) {
            // An implicit multiplier is weight channels over ifm channels (the weights are HWC1 here).
            op.depthMultiplier = op.weights().shape[2] / op.ifm().shape[op.ifm().shape.length - 1];
        }
    }

    private static void constProducer(GraphTensor t) {
        GraphOp c = new GraphOp(OpType.Const, t.name);
        c.setOutput(t);
    }

    private static void readAttributes(GraphOp op, BuiltinOptions options) {
        if (options == null) {
            return;
        }
        if (options instanceof BuiltinOptions.Conv2D c) {
            op.padding = padding(c.padding());
            op.strideW = c.strideW();
            op.strideH = c.strideH();
            op.dilationW = c.dilationW();
            op.dilationH = c.dilationH();
            op.activation = activation(c.activation());
        } else if (options instanceof BuiltinOptions.DepthwiseConv2D c) {
            op.padding = padding(c.padding());
            op.strideW = c.strideW();
            op.strideH = c.strideH();
            op.dilationW = c.dilationW();
            op.dilationH = c.dilationH();
            op.depthMultiplier = c.depthMultiplier();
            op.activation = activation(c.activation());
        } else if (options instanceof BuiltinOptions.Pool2D p) {
            op.padding = padding(p.padding());
            op.strideW = p.strideW();
            op.strideH = p.strideH();
            op.filterW = p.filterWidth();
            op.filterH = p.filterHeight();
            op.hasFilter = true;
            op.activation = activation(p.activation());
        } else if (options instanceof BuiltinOptions.TransposeConv t) {
            op.padding = padding(t.padding());
            op.strideW = t.strideW();
            op.strideH = t.strideH();
            op.activation = activation(t.activation());
        } else if (options instanceof BuiltinOptions.FullyConnected f) {
            op.keepNumDims = f.keepNumDims();
            op.activation = activation(f.activation());
        } else if (options instanceof BuiltinOptions.Softmax s) {
            op.beta = s.beta();
        } else if (options instanceof BuiltinOptions.Concatenation c) {
            op.axis = c.axis();
            op.activation = activation(c.activation());
        } else if (options instanceof BuiltinOptions.Add a) {
            op.activation = activation(a.activation());
        } else if (options instanceof BuiltinOptions.Sub a) {
            op.activation = activation(a.activation());
        } else if (options instanceof BuiltinOptions.Mul a) {
            op.activation = activation(a.activation());
        } else if (options instanceof BuiltinOptions.Div a) {
            op.activation = activation(a.activation());
        } else if (options instanceof BuiltinOptions.Split s) {
            op.numSplits = s.numSplits();
        } else if (options instanceof BuiltinOptions.Pack p) {
            op.axis = p.axis();
        } else if (options instanceof BuiltinOptions.Unpack u) {
            op.axis = u.axis();
            op.numSplits = u.num();
        } else if (options instanceof BuiltinOptions.UnidirectionalSequenceLSTM l) {
            op.activation = activation(l.activation());
            op.cellClip = l.cellClip();
            op.timeMajor = l.timeMajor();
        } else if (options instanceof BuiltinOptions.SVDF s) {
            op.activation = activation(s.activation());
        } else if (options instanceof BuiltinOptions.Reducer r) {
            op.keepNumDims = r.keepDims();
        } else if (options instanceof BuiltinOptions.LeakyRelu l) {
            op.alpha = l.alpha();
        } else if (options instanceof BuiltinOptions.ResizeBilinear r) {
            op.alignCorners = r.alignCorners();
            op.halfPixelCenters = r.halfPixelCenters();
        } else if (options instanceof BuiltinOptions.ResizeNearestNeighbor r) {
            op.alignCorners = r.alignCorners();
            op.halfPixelCenters = r.halfPixelCenters();
        } else if (options instanceof BuiltinOptions.StridedSlice s) {
            op.beginMask = s.beginMask();
            op.endMask = s.endMask();
            op.ellipsisMask = s.ellipsisMask();
            op.newAxisMask = s.newAxisMask();
            op.shrinkAxisMask = s.shrinkAxisMask();
        } else if (options instanceof BuiltinOptions.SplitV s) {
            op.numSplits = s.numSplits();
        } else if (options instanceof BuiltinOptions.Reshape r && r.newShape() != null) {
            op.shapeAttr = r.newShape().stream().mapToInt(Integer::intValue).toArray();
        }
    }

    private static PaddingKind padding(Padding p) {
        return p == Padding.VALID ? PaddingKind.VALID : PaddingKind.SAME;
    }

    static ActivationFunction activation(Activation a) {
        if (a == null) {
            return null;
        }
        return switch (a) {
            case RELU -> ActivationFunction.of(OpType.Relu);
            case RELU6 -> ActivationFunction.of(OpType.Relu6);
            case RELU_N1_TO_1 -> ActivationFunction.of(OpType.ReluN1To1);
            case TANH -> ActivationFunction.of(OpType.Tanh);
            case SIGN_BIT -> ActivationFunction.of(OpType.Sigmoid);
            case NONE -> null;
        };
    }
}
