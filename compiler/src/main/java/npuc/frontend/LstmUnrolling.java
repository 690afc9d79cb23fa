package npuc.frontend;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import npuc.graph.DataType;

/**
 * UNIDIRECTIONAL_SEQUENCE_LSTM unrolled over batches and time steps into NPU operations: per step eight
 * FullyConnected (input and recurrent weights for the input, forget, cell and output gates), four gate Adds
 * with fused sigmoid/tanh, the cell update (two Muls and an Add), a tanh copy, the output Mul, and a copy of
 * the new output state into the sequence output. The states are read once per batch from the variables.
 */
final class LstmUnrolling {
    private static final int INPUT = 0;
    private static final int OUTPUT_STATE = 18;
    private static final int CELL_STATE = 19;

    private final FrontEndContext ctx;

    LstmUnrolling(FrontEndContext ctx) {
        this.ctx = ctx;
    }

    GraphOp convert(GraphOp op) {
        if (op.type != OpType.UnidirectionalSequenceLstm) {
            return op;
        }
        return new Unroller(op).unroll();
    }

    private final class Unroller {
        final GraphOp op;
        final GraphTensor ifm;
        final GraphTensor ofm;
        final Shape4 ofmShape;
        final int nBatch;
        final int nTime;
        final int nFeature;
        final int nCell;
        final Map<GraphTensor, GraphTensor> fcWeights = new IdentityHashMap<>();
        final Quant gateQuant;
        final Quant fcQuant;

        Unroller(GraphOp op) {
            this.op = op;
            this.ifm = op.inputs.get(INPUT);
            this.ofm = op.ofm();
            this.ofmShape = op.ofmShapes.get(0);
            int[] s = ifm.shape;
            nBatch = op.timeMajor ? s[1] : s[0];
            nTime = op.timeMajor ? s[0] : s[1];
            nFeature = s[2];
            nCell = op.inputs.get(OUTPUT_STATE).shape[op.inputs.get(OUTPUT_STATE).shape.length - 1];
            gateQuant = Quant.of(Math.pow(2, -15), 0, -32768, 32767);
            fcQuant = Quant.of(Math.pow(2, -12), 0, -32768, 32767);
        }

        /** The scale of Q0.15 fixed point, the gates' output format. */
        private static final double Q0_15 = 1.0 / 32768;

        GraphOp unroll() {
            GraphTensor outputState = op.inputs.get(OUTPUT_STATE);
            GraphTensor cellState = op.inputs.get(CELL_STATE);
            GraphOp last = null;
            for (int b = 0; b < nBatch; b++) {
                GraphTensor outState = op.timeMajor ? outputState : stateSlice(outputState, b);
                GraphTensor cell = op.timeMajor ? cellState : stateSlice(cellState, b);
                for (int t = 0; t < nTime; t++) {
                    String step = "#" + b + "." + t;
                    GraphTensor feature = featureSlice(b, t);
                    GraphTensor inputGate = gate("input_gate" + step, feature, outState, 1, 5, 12, OpType.Sigmoid);
                    GraphTensor forgetGate = gate("forget_gate" + step, feature, outState, 2, 6, 13, OpType.Sigmoid);
                    GraphTensor cellGate = gate("cell_gate" + step, feature, outState, 3, 7, 14, OpType.Tanh);
                    GraphTensor cf = elementwise(OpType.Mul, "cell_state" + step + "_cf_mul", cell, forgetGate,
                            cellState.quant, DataType.INT16, null);
                    GraphTensor ci = elementwise(OpType.Mul, "cell_state" + step + "_ci_mul", cellGate, inputGate,
                            cellState.quant, DataType.INT16, null);
                    ActivationFunction clip = op.cellClip > 0 ? new ActivationFunction(OpType.Clip,
                            (double) -op.cellClip, (double) op.cellClip, null) : null;
                    // Explicit output scales, as the reference kernels compute them in double precision.
                    double cellScale = cellState.quant.scale();
                    explicitScale(cf.producer(), cellScale * Q0_15 / cellScale);
                    explicitScale(ci.producer(), Q0_15 * Q0_15 / cellScale);
                    GraphTensor newCell = elementwise(OpType.Add, "cell_state" + step + "_add", cf, ci,
                            cellState.quant, DataType.INT16, clip);
                    newCell.producer().explicitScalingShift = new int[] {0};
                    newCell.producer().explicitScalingMultiplier = new int[] {1};
                    newCell.equivalenceId = cellState.equivalenceId;
                    newCell.producer().memoryFunction = MemoryFunction.VARIABLE_TENSOR_WRITE;
                    GraphTensor outputGate = gate("output_gate" + step, feature, outState, 4, 8, 15, OpType.Sigmoid);
                    GraphOp tanh = ConcatSplitLowering.avgPoolNop("output_state" + step + "_tanh");
                    tanh.addInput(newCell);
                    GraphTensor tanhOut = ctx.newTensor(tanh.name + "_tens0", newCell.shape, DataType.INT16);
                    tanhOut.quant = Quant.of(Math.pow(2, -15), 0, -32768, 32767);
                    tanh.setOutput(tanhOut);
                    tanh.activation = ActivationFunction.of(OpType.Tanh);
                    tanh.setIfmOfmShapes();
                    GraphTensor newOut = elementwise(OpType.Mul, "output_state" + step + "_mul", tanhOut, outputGate,
                            outputState.quant, outputState.type, null);
                    if (op.intermediates.size() > 4 && op.intermediates.get(4) != null
                            && op.intermediates.get(4).quant != null) {
                        explicitScale(newOut.producer(), Q0_15 * Q0_15 / op.intermediates.get(4).quant.scale());
                    }
                    newOut.equivalenceId = outputState.equivalenceId;
                    newOut.producer().memoryFunction = MemoryFunction.VARIABLE_TENSOR_WRITE;
                    last = putOfm(newOut, b, t);
                    outState = newOut;
                    cell = newCell;
                }
            }
            return last;
        }

        /** The per-batch state read from a state variable. */
        GraphTensor stateSlice(GraphTensor state, int b) {
            GraphOp read = new GraphOp(OpType.SplitSliceRead, state.name + "_state#" + b);
            read.addInput(state);
            GraphTensor out = ctx.newTensor(read.name, new int[]{1, nCell}, state.type);
            out.quant = state.quant;
            // The slice is a view of the variable: it shares the variable's buffer and, like any clone of it in
            // Vela, counts as a variable (its buffer lives for the whole inference).
            out.equivalenceId = state.equivalenceId;
            out.variable = state.variable;
            read.setOutput(out);
            read.ifmShapes.add(state.shape4());
            read.ofmShapes.add(out.shape4());
            read.readOffsets[0] = Shape4.offset(b, 0);
            read.readShapes[0] = out.shape4();
            return out;
        }

        GraphTensor featureSlice(int b, int t) {
            GraphOp read = new GraphOp(OpType.SplitSliceRead, ifm.name + "_feature#" + b + "." + t);
            read.addInput(ifm);
            // Time major reads all batches of a step at once.
            GraphTensor out = ctx.newTensor(read.name, new int[]{op.timeMajor ? nBatch : 1, nFeature}, ifm.type);
            out.quant = ifm.quant;
            // A view of the input: it shares the input's buffer.
            out.equivalenceId = ifm.equivalenceId;
            read.setOutput(out);
            read.ifmShapes.add(ifm.shape4());
            read.ofmShapes.add(out.shape4());
            read.readOffsets[0] = op.timeMajor ? Shape4.offset(t, 0, 0) : Shape4.offset(b, t, 0);
            read.readShapes[0] = out.shape4();
            return out;
        }

        GraphTensor gate(String name, GraphTensor feature, GraphTensor outState, int inputWeights,
                         int recurrentWeights, int bias, OpType activation) {
            GraphTensor fromInput = fullyConnected(name + ":" + op.inputs.get(inputWeights).name + "_fc", feature,
                    op.inputs.get(inputWeights), op.inputs.get(bias));
            GraphTensor fromState = fullyConnected(name + ":" + op.inputs.get(recurrentWeights).name + "_fc", outState,
                    op.inputs.get(recurrentWeights), null);
            GraphTensor sum = elementwise(OpType.Add, name + "_add", fromInput, fromState, gateQuant, DataType.INT16,
                    null);
            ActivationFunction act = ActivationFunction.of(activation);
            if (activation == OpType.Sigmoid) {
                act = act.withLimits(11.0 / 0x3000, 32757.0 / 0x3000);
            }
            sum.producer().activation = act;
            return sum;
        }

        GraphTensor fullyConnected(String name, GraphTensor in, GraphTensor weights, GraphTensor bias) {
            GraphOp fc = new GraphOp(OpType.FullyConnected, name);
            fc.addInput(in);
            // The weights are shared by every step: one [in, out] copy with the original's equivalence id.
            GraphTensor w = fcWeights.computeIfAbsent(weights, orig -> {
                GraphTensor c = ctx.cloneTensor(orig, "_reshape", false);
                c.values = orig.values.transpose(1, 0);
                c.shape = c.values.shape();
                GraphOp k = new GraphOp(OpType.Const, c.name);
                k.runOnNpu = false;
                k.setOutput(c);
                return c;
            });
            fc.addInput(w);
            if (bias == null) {
                // A missing bias becomes zeros whose equivalence follows their values, so every step's and
                // gate's zeros of one length share one constant, as in the reference.
                int n = weights.shape[0];
                DataType t = in.type == DataType.INT16 ? DataType.INT64 : DataType.INT32;
                bias = ctx.constTensor(name + "_bias", ConstArray.filled(t, new int[]{n}, 0),
                        Quant.of(1.0, 0, ModelImport.quantMin(t), ModelImport.quantMax(t)));
                bias.equivalenceId = ctx.equivalenceIdFor("zeros:" + n);
            }
            fc.addInput(bias);
            GraphTensor out = ctx.newTensor(name + "_tens0", new int[]{1, weights.shape[0]}, DataType.INT16);
            out.quant = fcQuant;
            fc.setOutput(out);
            fc.setIfmOfmShapes();
            return out;
        }

        private static void explicitScale(GraphOp mul, double rescale) {
            npuc.weights.QuantisedScale q = npuc.weights.QuantisedScale.of(rescale);
            mul.explicitScalingShift = new int[] {q.shift()};
            mul.explicitScalingMultiplier = new int[] {(int) q.multiplier()};
        }

        GraphTensor elementwise(OpType type, String name, GraphTensor a, GraphTensor b, Quant quant, DataType dtype,
                                ActivationFunction act) {
            GraphOp e = new GraphOp(type, name);
            e.addInput(a);
            e.addInput(b);
            GraphTensor out = ctx.newTensor(name + "_tens0", a.shape, dtype);
            out.quant = quant;
            e.setOutput(out);
            e.activation = act;
            e.setIfmOfmShapes();
            return out;
        }

        GraphOp putOfm(GraphTensor state, int b, int t) {
            GraphOp put = ConcatSplitLowering.avgPoolNop(ofm.name + "#" + b + "." + t);
            put.addInput(state);
            put.outputs = new ArrayList<>(List.of(ofm));
            if (b == 0 && t == 0) {
                ofm.producers = new ArrayList<>();
            }
            ofm.producers.add(put);
            put.ifmShapes.add(state.shape4());
            put.ofmShapes.add(ofmShape);
            put.writeOffset = op.timeMajor ? Shape4.offset(t, 0, 0) : Shape4.offset(b, t, 0);
            if (!op.timeMajor) {
                // The new state shares the output-state variable's buffer: read this batch's row of it.
                put.readOffsets[0] = Shape4.offset(b, 0);
                put.readShapes[0] = state.shape4();
                put.ifmShapes.set(0, op.inputs.get(OUTPUT_STATE).shape4());
            }
            put.writeShape = state.shape4();
            put.memoryFunction = MemoryFunction.CONCAT_SLICE_WRITE;
            return put;
        }
    }
}
