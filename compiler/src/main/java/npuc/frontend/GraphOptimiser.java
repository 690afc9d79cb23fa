package npuc.frontend;

import java.util.ArrayList;
import java.util.List;

import npuc.graph.DataType;

/**
 * The rewrites Vela makes between reading a model and packing passes, in Vela's order and with its
 * traversals (pre-order rewrites to a fixed point, post-order visits), since both decide the result.
 */
final class GraphOptimiser {
    private final FrontEndContext ctx;

    GraphOptimiser(FrontEndContext ctx) {
        this.ctx = ctx;
    }

    void optimise(List<WorkSubgraph> subgraphs) {
        for (WorkSubgraph sg : subgraphs) {
            sg.rewritePreOrder(List.of(), List.of(ConstantFolding::foldQuantize, ConstantFolding::foldShape,
                    this::checkAsymmetricWeights, this::fixupPoolStrides), false);
        }
        for (WorkSubgraph sg : subgraphs) {
            ConvGroupsLowering groups = new ConvGroupsLowering(ctx);
            sg.rewritePreOrder(List.of(), List.of(op -> supportedOperatorCheck(sg, op), this::setIfmOfmShapes,
                    this::fixupReshape, groups::convert), false);
        }
        for (WorkSubgraph sg : subgraphs) {
            FusedOperatorLowering fused = new FusedOperatorLowering(ctx, sg.index);
            sg.rewritePreOrder(List.of(), List.of(fused::mergeDequantizeLutQuantize, fused::replaceDilatedConvolution),
                    true);
        }
        PadLowering pads = new PadLowering(ctx);
        for (WorkSubgraph sg : subgraphs) {
            sg.rewritePreOrder(List.of(), List.of(pads::splitBatchAndChannelPad, pads::convertChannelOrBatchPadToConcat),
                    false);
        }
        for (WorkSubgraph sg : subgraphs) {
            sg.visitPostOrder(List.of(ConcatSplitLowering.addAddAfterConcat(ctx), ConcatSplitLowering.rewriteConcat(ctx)));
            sg.refreshConsumers();
        }
        for (WorkSubgraph sg : subgraphs) {
            sg.rewritePreOrder(List.of(), List.of(SliceLowering::rewriteUnpackOutput,
                    SliceLowering::rewriteStridedSliceOutput, this::convertNopSplitToIdentity), false);
        }
        for (WorkSubgraph sg : subgraphs) {
            sg.rewritePreOrder(List.of(ConcatSplitLowering::rewriteSplitOutput), List.of(), false);
        }
        for (WorkSubgraph sg : subgraphs) {
            sg.rewritePreOrder(List.of(), List.of(this::bypassMemoryOnlyOps), false);
        }
        LutActivations luts = new LutActivations(ctx);
        ReluLowering relus = new ReluLowering(ctx);
        List<WorkSubgraph.OpRewrite> main = List.of(
                this::setTensorEquivalence,
                luts::convertOpsToLut,
                new SquaredDifferenceLowering(ctx)::convert,
                new MeanLowering(ctx)::convert,
                this::convertDepthwiseToConv,
                this::convertConvToFc,
                new LstmUnrolling(ctx)::convert,
                new SoftmaxLowering(ctx)::convert,
                relus::convertPrelu,
                relus::mulMaxToAbsOrLeakyRelu,
                luts::convertLeakyRelu,
                this::convertAvgPoolToConv,
                new StridedConvFixup()::apply,
                luts::convertHardSwish,
                this::rewriteFullyConnectedInput,
                this::convertBatchedFcShape,
                TransposeConvLowering::fixupConv2dBackprop,
                relus::relusWithDifferingScaling,
                this::reorderDepthwiseWeights,
                new ArgMaxLowering(ctx)::convert,
                new ResizeLowering(ctx)::fixupResize,
                this::fixupBiasTensors,
                luts::convertTanhSigmoid,
                this::convertQuantize,
                pads::replaceByHardwarePadding,
                FusedOperatorLowering::fixupDilationAbove2,
                TransposeLowering::fixupTranspose);
        for (WorkSubgraph sg : subgraphs) {
            sg.rewritePreOrder(List.of(), main, false);
        }
        for (WorkSubgraph sg : subgraphs) {
            sg.rewritePreOrder(List.of(this::removePassthroughTensor),
                    List.of(this::fuseActivationWithPrevious, pads::convertPad, this::addPaddingFields), true);
        }
        for (WorkSubgraph sg : subgraphs) {
            sg.visitPostOrder(List.of(ConcatSplitLowering::removeSplitSliceRead));
            sg.refreshConsumers();
        }
        for (WorkSubgraph sg : subgraphs) {
            copyConstantOutputs(sg);
        }
    }

    /**
     * A subgraph output that a rewrite made constant (a folded QUANTIZE or SHAPE) cannot be an output as such: an
     * Add of zero copies the constant into it.
     */
    private void copyConstantOutputs(WorkSubgraph sg) {
        boolean changed = false;
        for (GraphTensor ofm : sg.outputs) {
            GraphOp op = ofm.producer();
            if (!ofm.isConst() || op == null || op.type == op.originalType) {
                continue;
            }
            GraphTensor constant = ctx.cloneTensor(ofm, "", false);
            constant.values = ofm.values;
            ofm.values = null;
            GraphTensor zero = ctx.constTensor("zero", new int[]{1}, ofm.type, ofm.quant, 0);
            GraphOp copy = new GraphOp(OpType.Add, ofm.name + "_copy");
            copy.addInput(constant);
            copy.addInput(zero);
            copy.setOutput(ofm);
            copy.setIfmOfmShapes();
            op.setOutput(constant);
            changed = true;
        }
        if (changed) {
            sg.refreshConsumers();
        }
    }

    // Pass 1: static checks and fixups

    private GraphOp checkAsymmetricWeights(GraphOp op) {
        if ((op.type == OpType.Conv2DBias || op.type == OpType.DepthwiseConv2DBias) && op.ifm() != null
                && (op.ifm().type == DataType.INT8 || op.ifm().type == DataType.INT16) && op.weights() != null
                && op.weights().quant != null && op.weights().quant.zeroPoints().stream().anyMatch(z -> z != 0)) {
            String head = "Warning: Op " + op.type + " '" + op.name + "' has asymmetric weights. ";
            if (ctx.forceSymmetricIntWeights) {
                ctx.warn(head + "Zero points have been adjusted.");
                op.weights().quant = new Quant(op.weights().quant.scales(),
                        op.weights().quant.zeroPoints().stream().map(z -> 0L).toList(), op.weights().quant.quantMin(),
                        op.weights().quant.quantMax());
            } else if (op.runOnNpu) {
                ctx.warn(head + "To run the operator on Ethos-U use the option --force-symmetric-int-weights");
                op.runOnNpu = false;
            }
        }
        return op;
    }

    private GraphOp fixupPoolStrides(GraphOp op) {
        if ((op.type == OpType.AvgPool || op.type == OpType.MaxPool) && op.ifm() != null && op.ifm().shape.length == 4) {
            int[] s = op.ifm().shape;
            if (op.kernelWidth() == op.strideW && op.strideW == s[2] && op.kernelHeight() == op.strideH
                    && op.strideH == s[1]) {
                op.strideW = 1;
                op.strideH = 1;
                op.padding = PaddingKind.VALID;
            }
        }
        return op;
    }

    // Pass 2: supported-operator check and shapes

    private GraphOp supportedOperatorCheck(WorkSubgraph sg, GraphOp op) {
        if (op.type.isStartup()) {
            op.runOnNpu = false;
            return op;
        }
        if (op.opIndex != null) {
            OperatorPlacement p = OperatorSupport.supported(ctx.model, sg.index, op.opIndex);
            op.runOnNpu = p.onNpu();
            ctx.warn(p.lines());
        }
        return op;
    }

    private GraphOp setIfmOfmShapes(GraphOp op) {
        if (op.type.layout.ifm >= 0 && op.ifmShapes.isEmpty()) {
            op.setIfmOfmShapes();
        }
        return op;
    }

    private GraphOp fixupReshape(GraphOp op) {
        if (op.type != OpType.Reshape) {
            return op;
        }
        GraphTensor ofm = op.ofm();
        long ifmSize = op.ifm().elements();
        int[] fromTensor = op.inputs.size() > 1 && op.inputs.get(1) != null && op.inputs.get(1).isConst()
                ? explicitShape(toInts(op.inputs.get(1).values.toLongArray()), ifmSize) : null;
        int[] fromAttr = explicitShape(op.shapeAttr, ifmSize);
        if (fromTensor != null) {
            if (!java.util.Arrays.equals(fromTensor, ofm.shape)) {
                ctx.warn("Warning: RESHAPE '" + op.name + "' has new shape tensor (" + PythonLists.of(fromTensor)
                        + ") that does not match output tensor shape " + PythonLists.of(ofm.shape)
                        + ". Will use output tensor shape.");
            }
        } else if (fromAttr != null) {
            if (!java.util.Arrays.equals(fromAttr, ofm.shape)) {
                ctx.warn("Warning: RESHAPE '" + op.name + "' has new_shape attribute (" + PythonLists.of(fromAttr)
                        + ") that does not match output tensor shape " + PythonLists.of(ofm.shape)
                        + ". Will use output tensor shape.");
            }
        } else {
            ctx.warn("Warning: RESHAPE '" + op.name + "' does not have a new shape tensor or a new_shape attribute."
                    + " Will use output tensor shape " + PythonLists.of(ofm.shape) + ".");
        }
        long[] dims = new long[ofm.shape.length];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = ofm.shape[i];
        }
        GraphTensor shapeTensor = ctx.constTensor(op.name + "_new_shape", new int[]{ofm.shape.length},
                DataType.INT32, null, dims);
        if (op.inputs.size() > 1) {
            op.setInput(1, shapeTensor);
        } else {
            op.addInput(shapeTensor);
        }
        op.shapeAttr = ofm.shape.clone();
        return op;
    }

    private static int[] toInts(long[] v) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (int) v[i];
        }
        return out;
    }

    private static int[] explicitShape(int[] implicit, long total) {
        if (implicit == null) {
            return null;
        }
        int[] out = implicit.clone();
        long product = 1;
        for (int d : implicit) {
            product *= d;
        }
        for (int i = 0; i < out.length; i++) {
            if (out[i] == -1) {
                out[i] = (int) (total / Math.abs(product));
                break;
            }
        }
        return out;
    }

    // Pass 6: splits of one part are identities

    private GraphOp convertNopSplitToIdentity(GraphOp op) {
        if (op.type == OpType.Split && op.numSplits == 1 && op.outputs.size() == 1) {
            GraphTensor ifm = op.ifm();
            op.type = OpType.Identity;
            op.inputs = new ArrayList<>(List.of(ifm));
        }
        return op;
    }

    // Pass 8: memory-only operations

    private GraphOp bypassMemoryOnlyOps(GraphOp op) {
        if (!op.runOnNpu || !op.type.isMemoryOnly()) {
            return op;
        }
        GraphTensor ifm = op.ifm();
        GraphTensor ofm = op.ofm();
        boolean multipleConsumers = ifm.consumers.size() > 1;
        boolean cpuProduced = ifm.producers.stream().anyMatch(p -> p != null && !p.runOnNpu);
        if (multipleConsumers || cpuProduced) {
            op.type = OpType.Memcpy;
        } else {
            List<GraphOp> writers = new ArrayList<>();
            ofm.producers = writers;
            for (GraphOp prev : ifm.producers) {
                prev.outputs = new ArrayList<>(List.of(ofm));
                writers.add(prev);
            }
        }
        return op;
    }

    // Pass 9: operation lowering

    private GraphOp setTensorEquivalence(GraphOp op) {
        if (op.type.isMemoryOnly()) {
            int id = op.outputs.get(0).equivalenceId;
            for (GraphTensor in : op.inputs) {
                if (in != null) {
                    in.equivalenceId = id;
                }
            }
        }
        return op;
    }

    private GraphOp convertDepthwiseToConv(GraphOp op) {
        if (op.type == OpType.DepthwiseConv2DBias && op.depthMultiplier != 1) {
            int ifmDepth = op.ifm().shape[op.ifm().shape.length - 1];
            int ofmDepth = op.ofm().shape[op.ofm().shape.length - 1];
            if (ifmDepth == 1 && ofmDepth == op.depthMultiplier) {
                op.type = OpType.Conv2DBias;
                GraphTensor w = op.weights();
                w.values = w.values.transpose(0, 1, 3, 2);
                w.shape = w.values.shape();
                op.depthMultiplier = 1;
            } else {
                throw new FrontEndException("Depthwise convolution '" + op.name + "' has depth multiplier "
                        + op.depthMultiplier + " with ifm depth " + ifmDepth + " and ofm depth " + ofmDepth
                        + "; the NPU needs ifm depth 1 and ofm depth equal to the multiplier");
            }
        }
        return op;
    }

    private GraphOp convertConvToFc(GraphOp op) {
        if (op.type == OpType.Conv2DBias) {
            Shape4 ifm = op.ifmShapes.get(0);
            int[] ws = op.inputs.get(1).shape;
            if (ifm.height() == 1 && ifm.width() == 1 && ws[0] == 1 && ws[1] == 1) {
                op.name = op.name + "_fc";
                op.type = OpType.FullyConnected;
                op.strideW = 1;
                op.strideH = 1;
                op.padding = null;
                op.dilationW = 1;
                op.dilationH = 1;
                GraphTensor w = op.inputs.get(1);
                w.values = w.values.reshape(ws[2], ws[3]);
                w.shape = w.values.shape();
            }
        }
        return op;
    }

    private GraphOp convertAvgPoolToConv(GraphOp op) {
        if (op.type != OpType.AvgPool || op.strideW <= 3) {
            return op;
        }
        // A stride the pooling unit cannot do becomes a convolution with all-ones weights scaled by 1/(h*w).
        GraphTensor ifm = op.ifm();
        int h = op.kernelHeight();
        int w = op.kernelWidth();
        int c = op.ifmShapes.get(0).depth();
        GraphTensor weights = ctx.constTensor(op.name + "_weights", ConstArray.filled(ifm.type, new int[]{h, w, 1, c}, 1),
                Quant.of(1.0 / (h * w), 0, ModelImport.quantMin(ifm.type), ModelImport.quantMax(ifm.type)));
        op.type = OpType.Conv2DBias;
        op.name = op.name + "_conv2d";
        op.roundingMode = RoundingMode.AWAY_ZERO;
        op.inputs = new ArrayList<>(List.of(ifm));
        op.addInput(weights);
        op.addInput(null);
        return op;
    }

    private GraphOp rewriteFullyConnectedInput(GraphOp op) {
        if (op.type == OpType.FullyConnected && op.readShapes[0] == null) {
            int inner = op.weights().shape[op.weights().shape.length - 2];
            long elements = op.ifm().elements();
            // Rows of the 2-D view go into the batch dimension, which the batched-FC rewrite then folds
            // into height and width.
            op.ifmShapes.set(0, new Shape4((int) (elements / inner), 1, 1, inner));
            Shape4 ofm = op.ofmShapes.get(0);
            if (op.ifmShapes.get(0).batch() > 1 && ofm.batch() == 1) {
                op.ofmShapes.set(0, new Shape4(ofm.height() * ofm.width(), 1, 1, ofm.depth()));
            }
        }
        return op;
    }

    /**
     * A fully connected layer over a batch of n rows reads them as an n-pixel image, [1, h, w, depth] with
     * (h, w) a near-square split of n for 4, 8 and 16 and (1, n) otherwise; the weights become a 1x1 kernel.
     */
    private GraphOp convertBatchedFcShape(GraphOp op) {
        if (op.type == OpType.FullyConnected && op.ifmShapes.get(0).batch() > 1) {
            op.ifmShapes.set(0, batchAsImage(op.ifmShapes.get(0)));
            GraphTensor w = op.inputs.get(1);
            int[] ws = w.values.shape();
            int[] expanded = new int[ws.length + 2];
            expanded[0] = 1;
            expanded[1] = 1;
            System.arraycopy(ws, 0, expanded, 2, ws.length);
            w.values = w.values.reshape(expanded);
            w.shape = expanded;
            op.ofmShapes.set(0, batchAsImage(op.ofmShapes.get(0)));
        }
        return op;
    }

    private static Shape4 batchAsImage(Shape4 s) {
        int n = s.batch();
        int[] hw = switch (n) {
            case 4 -> new int[]{2, 2};
            case 8 -> new int[]{2, 4};
            case 16 -> new int[]{4, 4};
            default -> new int[]{1, n};
        };
        return new Shape4(1, hw[0], hw[1], s.depth());
    }

    private GraphOp reorderDepthwiseWeights(GraphOp op) {
        if (op.type == OpType.DepthwiseConv2DBias && !op.weightsReordered) {
            GraphTensor w = op.weights();
            w.values = w.values.transpose(0, 1, 3, 2);
            w.shape = w.values.shape();
            op.weightsReordered = true;
        }
        return op;
    }

    /** Operations that take a bias and have none get zeros: int64 for an int16 ifm, else int32, one per filter. */
    private GraphOp fixupBiasTensors(GraphOp op) {
        if (op.type.needsBias() && op.bias() == null && op.inputs.size() > 1 && op.inputs.get(1) != null) {
            int[] ws = op.inputs.get(1).shape;
            int n = ws[ws.length - 1];
            DataType t = op.ifm().type == DataType.INT16 ? DataType.INT64 : DataType.INT32;
            GraphTensor bias = ctx.constTensor(op.name + "_bias", ConstArray.filled(t, new int[]{n}, 0),
                    Quant.of(1.0, 0, ModelImport.quantMin(t), ModelImport.quantMax(t)));
            int index = op.type.layout.bias;
            while (op.inputs.size() < index) {
                op.inputs.add(null);
            }
            if (index < op.inputs.size()) {
                op.setInput(index, bias);
            } else {
                op.addInput(bias);
            }
        }
        return op;
    }

    private GraphOp convertQuantize(GraphOp op) {
        if (op.type == OpType.Quantize) {
            op.type = OpType.AvgPool;
            op.strideW = 1;
            op.strideH = 1;
            op.filterW = 1;
            op.filterH = 1;
            op.hasFilter = true;
            op.padding = PaddingKind.VALID;
            op.explicitPadding = new int[4];
            op.skirt = new int[4];
        }
        return op;
    }

    // Pass 10: final fusing and padding

    private GraphTensor removePassthroughTensor(GraphTensor t) {
        if (t != null && t.producers.size() == 1 && t.producers.get(0).type == OpType.Identity) {
            return t.producers.get(0).ifm();
        }
        return t;
    }

    private GraphOp fuseActivationWithPrevious(GraphOp op) {
        if (!op.isNop || op.activation == null) {
            return op;
        }
        GraphTensor ifm = op.ifm();
        GraphTensor ofm = op.ofm();
        if (ifm == null || ofm == null || ifm.producers.isEmpty()) {
            return op;
        }
        GraphOp prev = ifm.producers.get(0);
        boolean fuse = prev.runOnNpu && prev.type != OpType.Memcpy && prev.type.blockType() != NpuBlockType.DEFAULT
                && ifm.producers.size() == 1 && prev.outputs.get(0).consumers.size() == 1 && prev.activation == null;
        if (op.activation.lut() != null && ctx.accelerator.shramReservedUnusedBanks() == 0) {
            fuse = false;
        }
        if (fuse) {
            prev.activation = op.activation;
            prev.forcedOutputQuantization = op.forcedOutputQuantization;
            prev.setOutput(ofm);
        }
        return op;
    }

    private GraphOp addPaddingFields(GraphOp op) {
        if (op.runOnNpu && op.padding != null && !op.ifmShapes.isEmpty()) {
            Shape4 ifm = op.ifmShapes.get(0);
            if (op.type == OpType.Conv2DBackpropInputSwitchedBias && op.ifmResampling == ResamplingMode.TRANSPOSE) {
                Shape4 ofm = op.ofmShapes.get(0);
                int[] pad = Padding2D.upscaledPadding(op.padding, op.kernelHeight(), op.kernelWidth(), ifm,
                        ofm.height() / ifm.height(), ofm.width() / ifm.width());
                op.explicitPadding = pad;
                op.skirt = pad.clone();
            } else {
                int[][] ps = Padding2D.paddingAndSkirt(op, ifm);
                op.explicitPadding = ps[0];
                op.skirt = ps[1];
            }
        }
        return op;
    }
}
