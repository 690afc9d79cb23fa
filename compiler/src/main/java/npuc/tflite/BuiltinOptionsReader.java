package npuc.tflite;

import com.google.flatbuffers.Table;

import npuc.graph.Activation;
import npuc.graph.BuiltinOptions;
import npuc.graph.DataType;
import npuc.graph.Padding;
import npuc.schema.tflite.*;

/**
 * Decodes an operator's builtin options table into its {@link BuiltinOptions} record. Enum fields are
 * checked here, so a record never holds a code the rest of npuc cannot interpret.
 */
final class BuiltinOptionsReader {
    private BuiltinOptionsReader() {
    }

    /** The options of {@code op}, whose union type is {@code unionType} (not 0). */
    static BuiltinOptions read(npuc.schema.tflite.Operator op, int unionType, ModelDecoder decoder) {
        return switch (unionType) {
            case 1 -> {
                Conv2DOptions t = (Conv2DOptions) table(op, new Conv2DOptions(), 1);
                yield new BuiltinOptions.Conv2D(padding(t.padding()), t.strideW(), t.strideH(), activation(t.fusedActivationFunction()), t.dilationWFactor(), t.dilationHFactor());
            }
            case 2 -> {
                DepthwiseConv2DOptions t = (DepthwiseConv2DOptions) table(op, new DepthwiseConv2DOptions(), 2);
                yield new BuiltinOptions.DepthwiseConv2D(padding(t.padding()), t.strideW(), t.strideH(), t.depthMultiplier(), activation(t.fusedActivationFunction()), t.dilationWFactor(), t.dilationHFactor());
            }
            case 5 -> {
                Pool2DOptions t = (Pool2DOptions) table(op, new Pool2DOptions(), 5);
                yield new BuiltinOptions.Pool2D(padding(t.padding()), t.strideW(), t.strideH(), t.filterWidth(), t.filterHeight(), activation(t.fusedActivationFunction()));
            }
            case 6 -> {
                SVDFOptions t = (SVDFOptions) table(op, new SVDFOptions(), 6);
                yield new BuiltinOptions.SVDF(t.rank(), activation(t.fusedActivationFunction()), t.asymmetricQuantizeInputs());
            }
            case 7 -> {
                RNNOptions t = (RNNOptions) table(op, new RNNOptions(), 7);
                yield new BuiltinOptions.RNN(activation(t.fusedActivationFunction()), t.asymmetricQuantizeInputs());
            }
            case 8 -> {
                FullyConnectedOptions t = (FullyConnectedOptions) table(op, new FullyConnectedOptions(), 8);
                yield new BuiltinOptions.FullyConnected(activation(t.fusedActivationFunction()), smallEnum(t.weightsFormat(), 1, "weights_format"), t.keepNumDims(), t.asymmetricQuantizeInputs());
            }
            case 9 -> {
                SoftmaxOptions t = (SoftmaxOptions) table(op, new SoftmaxOptions(), 9);
                yield new BuiltinOptions.Softmax(t.beta());
            }
            case 10 -> {
                ConcatenationOptions t = (ConcatenationOptions) table(op, new ConcatenationOptions(), 10);
                yield new BuiltinOptions.Concatenation(t.axis(), activation(t.fusedActivationFunction()));
            }
            case 11 -> {
                AddOptions t = (AddOptions) table(op, new AddOptions(), 11);
                yield new BuiltinOptions.Add(activation(t.fusedActivationFunction()), t.potScaleInt16());
            }
            case 12 -> {
                L2NormOptions t = (L2NormOptions) table(op, new L2NormOptions(), 12);
                yield new BuiltinOptions.L2Norm(activation(t.fusedActivationFunction()));
            }
            case 13 -> {
                LocalResponseNormalizationOptions t = (LocalResponseNormalizationOptions) table(op, new LocalResponseNormalizationOptions(), 13);
                yield new BuiltinOptions.LocalResponseNormalization(t.radius(), t.bias(), t.alpha(), t.beta());
            }
            case 14 -> {
                LSTMOptions t = (LSTMOptions) table(op, new LSTMOptions(), 14);
                yield new BuiltinOptions.LSTM(activation(t.fusedActivationFunction()), t.cellClip(), t.projClip(), smallEnum(t.kernelType(), 1, "kernel_type"), t.asymmetricQuantizeInputs());
            }
            case 15 -> {
                ResizeBilinearOptions t = (ResizeBilinearOptions) table(op, new ResizeBilinearOptions(), 15);
                yield new BuiltinOptions.ResizeBilinear(t.alignCorners(), t.halfPixelCenters());
            }
            case 16 -> {
                CallOptions t = (CallOptions) table(op, new CallOptions(), 16);
                yield new BuiltinOptions.Call(uint32(t.subgraph(), "subgraph"));
            }
            case 17 -> {
                ReshapeOptions t = (ReshapeOptions) table(op, new ReshapeOptions(), 17);
                yield new BuiltinOptions.Reshape(decoder.ints(t.newShapeAsByteBuffer(), t.newShapeLength(), "new_shape"));
            }
            case 19 -> {
                SpaceToDepthOptions t = (SpaceToDepthOptions) table(op, new SpaceToDepthOptions(), 19);
                yield new BuiltinOptions.SpaceToDepth(t.blockSize());
            }
            case 21 -> {
                MulOptions t = (MulOptions) table(op, new MulOptions(), 21);
                yield new BuiltinOptions.Mul(activation(t.fusedActivationFunction()));
            }
            case 22 -> {
                table(op, new PadOptions(), 22);
                yield new BuiltinOptions.Pad();
            }
            case 23 -> {
                GatherOptions t = (GatherOptions) table(op, new GatherOptions(), 23);
                yield new BuiltinOptions.Gather(t.axis(), t.batchDims());
            }
            case 24 -> {
                table(op, new BatchToSpaceNDOptions(), 24);
                yield new BuiltinOptions.BatchToSpaceND();
            }
            case 25 -> {
                table(op, new SpaceToBatchNDOptions(), 25);
                yield new BuiltinOptions.SpaceToBatchND();
            }
            case 26 -> {
                table(op, new TransposeOptions(), 26);
                yield new BuiltinOptions.Transpose();
            }
            case 27 -> {
                ReducerOptions t = (ReducerOptions) table(op, new ReducerOptions(), 27);
                yield new BuiltinOptions.Reducer(t.keepDims());
            }
            case 28 -> {
                SubOptions t = (SubOptions) table(op, new SubOptions(), 28);
                yield new BuiltinOptions.Sub(activation(t.fusedActivationFunction()), t.potScaleInt16());
            }
            case 29 -> {
                DivOptions t = (DivOptions) table(op, new DivOptions(), 29);
                yield new BuiltinOptions.Div(activation(t.fusedActivationFunction()));
            }
            case 30 -> {
                SqueezeOptions t = (SqueezeOptions) table(op, new SqueezeOptions(), 30);
                yield new BuiltinOptions.Squeeze(decoder.ints(t.squeezeDimsAsByteBuffer(), t.squeezeDimsLength(), "squeeze_dims"));
            }
            case 31 -> {
                SequenceRNNOptions t = (SequenceRNNOptions) table(op, new SequenceRNNOptions(), 31);
                yield new BuiltinOptions.SequenceRNN(t.timeMajor(), activation(t.fusedActivationFunction()), t.asymmetricQuantizeInputs());
            }
            case 32 -> {
                StridedSliceOptions t = (StridedSliceOptions) table(op, new StridedSliceOptions(), 32);
                yield new BuiltinOptions.StridedSlice(t.beginMask(), t.endMask(), t.ellipsisMask(), t.newAxisMask(), t.shrinkAxisMask(), t.offset());
            }
            case 33 -> {
                table(op, new ExpOptions(), 33);
                yield new BuiltinOptions.Exp();
            }
            case 35 -> {
                SplitOptions t = (SplitOptions) table(op, new SplitOptions(), 35);
                yield new BuiltinOptions.Split(t.numSplits());
            }
            case 36 -> {
                table(op, new LogSoftmaxOptions(), 36);
                yield new BuiltinOptions.LogSoftmax();
            }
            case 37 -> {
                CastOptions t = (CastOptions) table(op, new CastOptions(), 37);
                yield new BuiltinOptions.Cast(dataType(t.inDataType(), "in_data_type"), dataType(t.outDataType(), "out_data_type"));
            }
            case 38 -> {
                table(op, new DequantizeOptions(), 38);
                yield new BuiltinOptions.Dequantize();
            }
            case 39 -> {
                table(op, new MaximumMinimumOptions(), 39);
                yield new BuiltinOptions.MaximumMinimum();
            }
            case 40 -> {
                ArgMaxOptions t = (ArgMaxOptions) table(op, new ArgMaxOptions(), 40);
                yield new BuiltinOptions.ArgMax(dataType(t.outputType(), "output_type"));
            }
            case 41 -> {
                table(op, new LessOptions(), 41);
                yield new BuiltinOptions.Less();
            }
            case 42 -> {
                table(op, new NegOptions(), 42);
                yield new BuiltinOptions.Neg();
            }
            case 43 -> {
                table(op, new PadV2Options(), 43);
                yield new BuiltinOptions.PadV2();
            }
            case 44 -> {
                table(op, new GreaterOptions(), 44);
                yield new BuiltinOptions.Greater();
            }
            case 45 -> {
                table(op, new GreaterEqualOptions(), 45);
                yield new BuiltinOptions.GreaterEqual();
            }
            case 46 -> {
                table(op, new LessEqualOptions(), 46);
                yield new BuiltinOptions.LessEqual();
            }
            case 47 -> {
                table(op, new SelectOptions(), 47);
                yield new BuiltinOptions.Select();
            }
            case 48 -> {
                table(op, new SliceOptions(), 48);
                yield new BuiltinOptions.Slice();
            }
            case 49 -> {
                TransposeConvOptions t = (TransposeConvOptions) table(op, new TransposeConvOptions(), 49);
                yield new BuiltinOptions.TransposeConv(padding(t.padding()), t.strideW(), t.strideH(), activation(t.fusedActivationFunction()), dataType(t.quantizedBiasType(), "quantized_bias_type"));
            }
            case 51 -> {
                table(op, new TileOptions(), 51);
                yield new BuiltinOptions.Tile();
            }
            case 52 -> {
                table(op, new ExpandDimsOptions(), 52);
                yield new BuiltinOptions.ExpandDims();
            }
            case 53 -> {
                table(op, new EqualOptions(), 53);
                yield new BuiltinOptions.Equal();
            }
            case 54 -> {
                table(op, new NotEqualOptions(), 54);
                yield new BuiltinOptions.NotEqual();
            }
            case 55 -> {
                ShapeOptions t = (ShapeOptions) table(op, new ShapeOptions(), 55);
                yield new BuiltinOptions.Shape(dataType(t.outType(), "out_type"));
            }
            case 56 -> {
                table(op, new PowOptions(), 56);
                yield new BuiltinOptions.Pow();
            }
            case 57 -> {
                ArgMinOptions t = (ArgMinOptions) table(op, new ArgMinOptions(), 57);
                yield new BuiltinOptions.ArgMin(dataType(t.outputType(), "output_type"));
            }
            case 58 -> {
                FakeQuantOptions t = (FakeQuantOptions) table(op, new FakeQuantOptions(), 58);
                yield new BuiltinOptions.FakeQuant(t.min(), t.max(), t.numBits(), t.narrowRange());
            }
            case 59 -> {
                PackOptions t = (PackOptions) table(op, new PackOptions(), 59);
                yield new BuiltinOptions.Pack(t.valuesCount(), t.axis());
            }
            case 60 -> {
                table(op, new LogicalOrOptions(), 60);
                yield new BuiltinOptions.LogicalOr();
            }
            case 61 -> {
                OneHotOptions t = (OneHotOptions) table(op, new OneHotOptions(), 61);
                yield new BuiltinOptions.OneHot(t.axis());
            }
            case 62 -> {
                table(op, new LogicalAndOptions(), 62);
                yield new BuiltinOptions.LogicalAnd();
            }
            case 63 -> {
                table(op, new LogicalNotOptions(), 63);
                yield new BuiltinOptions.LogicalNot();
            }
            case 64 -> {
                UnpackOptions t = (UnpackOptions) table(op, new UnpackOptions(), 64);
                yield new BuiltinOptions.Unpack(t.num(), t.axis());
            }
            case 65 -> {
                table(op, new FloorDivOptions(), 65);
                yield new BuiltinOptions.FloorDiv();
            }
            case 66 -> {
                table(op, new SquareOptions(), 66);
                yield new BuiltinOptions.Square();
            }
            case 67 -> {
                table(op, new ZerosLikeOptions(), 67);
                yield new BuiltinOptions.ZerosLike();
            }
            case 68 -> {
                table(op, new FillOptions(), 68);
                yield new BuiltinOptions.Fill();
            }
            case 69 -> {
                BidirectionalSequenceLSTMOptions t = (BidirectionalSequenceLSTMOptions) table(op, new BidirectionalSequenceLSTMOptions(), 69);
                yield new BuiltinOptions.BidirectionalSequenceLSTM(activation(t.fusedActivationFunction()), t.cellClip(), t.projClip(), t.mergeOutputs(), t.timeMajor(), t.asymmetricQuantizeInputs());
            }
            case 70 -> {
                BidirectionalSequenceRNNOptions t = (BidirectionalSequenceRNNOptions) table(op, new BidirectionalSequenceRNNOptions(), 70);
                yield new BuiltinOptions.BidirectionalSequenceRNN(t.timeMajor(), activation(t.fusedActivationFunction()), t.mergeOutputs(), t.asymmetricQuantizeInputs());
            }
            case 71 -> {
                UnidirectionalSequenceLSTMOptions t = (UnidirectionalSequenceLSTMOptions) table(op, new UnidirectionalSequenceLSTMOptions(), 71);
                yield new BuiltinOptions.UnidirectionalSequenceLSTM(activation(t.fusedActivationFunction()), t.cellClip(), t.projClip(), t.timeMajor(), t.asymmetricQuantizeInputs(), t.diagonalRecurrentTensors());
            }
            case 72 -> {
                table(op, new FloorModOptions(), 72);
                yield new BuiltinOptions.FloorMod();
            }
            case 73 -> {
                table(op, new RangeOptions(), 73);
                yield new BuiltinOptions.Range();
            }
            case 74 -> {
                ResizeNearestNeighborOptions t = (ResizeNearestNeighborOptions) table(op, new ResizeNearestNeighborOptions(), 74);
                yield new BuiltinOptions.ResizeNearestNeighbor(t.alignCorners(), t.halfPixelCenters());
            }
            case 75 -> {
                LeakyReluOptions t = (LeakyReluOptions) table(op, new LeakyReluOptions(), 75);
                yield new BuiltinOptions.LeakyRelu(t.alpha());
            }
            case 76 -> {
                table(op, new SquaredDifferenceOptions(), 76);
                yield new BuiltinOptions.SquaredDifference();
            }
            case 77 -> {
                MirrorPadOptions t = (MirrorPadOptions) table(op, new MirrorPadOptions(), 77);
                yield new BuiltinOptions.MirrorPad(smallEnum(t.mode(), 1, "mode"));
            }
            case 78 -> {
                table(op, new AbsOptions(), 78);
                yield new BuiltinOptions.Abs();
            }
            case 79 -> {
                SplitVOptions t = (SplitVOptions) table(op, new SplitVOptions(), 79);
                yield new BuiltinOptions.SplitV(t.numSplits());
            }
            case 80 -> {
                UniqueOptions t = (UniqueOptions) table(op, new UniqueOptions(), 80);
                yield new BuiltinOptions.Unique(dataType(t.idxOutType(), "idx_out_type"));
            }
            case 81 -> {
                table(op, new ReverseV2Options(), 81);
                yield new BuiltinOptions.ReverseV2();
            }
            case 82 -> {
                table(op, new AddNOptions(), 82);
                yield new BuiltinOptions.AddN();
            }
            case 83 -> {
                table(op, new GatherNdOptions(), 83);
                yield new BuiltinOptions.GatherNd();
            }
            case 84 -> {
                table(op, new CosOptions(), 84);
                yield new BuiltinOptions.Cos();
            }
            case 85 -> {
                table(op, new WhereOptions(), 85);
                yield new BuiltinOptions.Where();
            }
            case 86 -> {
                table(op, new RankOptions(), 86);
                yield new BuiltinOptions.Rank();
            }
            case 87 -> {
                ReverseSequenceOptions t = (ReverseSequenceOptions) table(op, new ReverseSequenceOptions(), 87);
                yield new BuiltinOptions.ReverseSequence(t.seqDim(), t.batchDim());
            }
            case 88 -> {
                table(op, new MatrixDiagOptions(), 88);
                yield new BuiltinOptions.MatrixDiag();
            }
            case 89 -> {
                table(op, new QuantizeOptions(), 89);
                yield new BuiltinOptions.Quantize();
            }
            case 90 -> {
                table(op, new MatrixSetDiagOptions(), 90);
                yield new BuiltinOptions.MatrixSetDiag();
            }
            case 91 -> {
                table(op, new HardSwishOptions(), 91);
                yield new BuiltinOptions.HardSwish();
            }
            case 92 -> {
                IfOptions t = (IfOptions) table(op, new IfOptions(), 92);
                yield new BuiltinOptions.If(t.thenSubgraphIndex(), t.elseSubgraphIndex());
            }
            case 93 -> {
                WhileOptions t = (WhileOptions) table(op, new WhileOptions(), 93);
                yield new BuiltinOptions.While(t.condSubgraphIndex(), t.bodySubgraphIndex());
            }
            case 94 -> {
                DepthToSpaceOptions t = (DepthToSpaceOptions) table(op, new DepthToSpaceOptions(), 94);
                yield new BuiltinOptions.DepthToSpace(t.blockSize());
            }
            case 97 -> {
                table(op, new ScatterNdOptions(), 97);
                yield new BuiltinOptions.ScatterNd();
            }
            case 98 -> {
                table(op, new SelectV2Options(), 98);
                yield new BuiltinOptions.SelectV2();
            }
            case 99 -> {
                table(op, new DensifyOptions(), 99);
                yield new BuiltinOptions.Densify();
            }
            case 100 -> {
                table(op, new SegmentSumOptions(), 100);
                yield new BuiltinOptions.SegmentSum();
            }
            case 101 -> {
                BatchMatMulOptions t = (BatchMatMulOptions) table(op, new BatchMatMulOptions(), 101);
                yield new BuiltinOptions.BatchMatMul(t.adjX(), t.adjY(), t.asymmetricQuantizeInputs());
            }
            case 102 -> {
                CumsumOptions t = (CumsumOptions) table(op, new CumsumOptions(), 102);
                yield new BuiltinOptions.Cumsum(t.exclusive(), t.reverse());
            }
            case 103 -> {
                CallOnceOptions t = (CallOnceOptions) table(op, new CallOnceOptions(), 103);
                yield new BuiltinOptions.CallOnce(t.initSubgraphIndex());
            }
            case 104 -> {
                table(op, new BroadcastToOptions(), 104);
                yield new BuiltinOptions.BroadcastTo();
            }
            case 116 -> {
                GeluOptions t = (GeluOptions) table(op, new GeluOptions(), 116);
                yield new BuiltinOptions.Gelu(t.approximate());
            }
            case 117 -> {
                table(op, new DynamicUpdateSliceOptions(), 117);
                yield new BuiltinOptions.DynamicUpdateSlice();
            }
            default -> new BuiltinOptions.Unmodelled(unionType);
        };
    }

    private static Table table(npuc.schema.tflite.Operator op, Table into, int unionType) {
        Table table = op.builtinOptions(into);
        if (table == null) {
            throw new FormatDefect("builtin options type " + unionType + " is set but the options table is missing");
        }
        return table;
    }

    private static Activation activation(byte code) {
        Activation a = Activation.fromCode(code);
        if (a == null) {
            throw new FormatDefect("unknown fused_activation_function " + code);
        }
        return a;
    }

    private static Padding padding(byte code) {
        Padding p = Padding.fromCode(code);
        if (p == null) {
            throw new FormatDefect("unknown padding " + code);
        }
        return p;
    }

    private static DataType dataType(byte code, String field) {
        DataType t = DataType.fromCode(code);
        if (t == null) {
            throw new FormatDefect("unknown tensor type " + code + " in " + field);
        }
        return t;
    }

    /** A schema enum with codes 0..max that npuc keeps as its code. */
    private static int smallEnum(byte code, int max, String field) {
        if (code < 0 || code > max) {
            throw new FormatDefect("unknown " + field + " " + code);
        }
        return code;
    }

    private static int uint32(long value, String field) {
        if (value > Integer.MAX_VALUE) {
            throw new FormatDefect(field + " " + value + " is out of range");
        }
        return (int) value;
    }
}
