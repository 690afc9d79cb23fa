package npuc.tflite;

import java.util.List;

import com.google.flatbuffers.FlatBufferBuilder;

import npuc.graph.BuiltinOptions;
import npuc.schema.tflite.*;

/** Encodes a {@link BuiltinOptions} record as its options table. */
final class BuiltinOptionsWriter {
    private BuiltinOptionsWriter() {
    }

    /**
     * Writes {@code options} and returns the table's offset.
     *
     * @throws IllegalArgumentException for {@link BuiltinOptions.Unmodelled} options: npuc kept only the
     *                                  table's code, not its fields, so it cannot write the table back
     */
    static int write(FlatBufferBuilder fbb, BuiltinOptions options) {
        if (options instanceof BuiltinOptions.Unmodelled unmodelled) {
            throw new IllegalArgumentException("cannot write builtin options " + unmodelled.tableName()
                    + " (union code " + unmodelled.unionType() + "): npuc does not model that table, so it"
                    + " kept only the code when reading");
        }
        return switch (options.unionType()) {
            case 1 -> {
                BuiltinOptions.Conv2D o = (BuiltinOptions.Conv2D) options;
                Conv2DOptions.startConv2DOptions(fbb);
                Conv2DOptions.addPadding(fbb, (byte) o.padding().code());
                Conv2DOptions.addStrideW(fbb, o.strideW());
                Conv2DOptions.addStrideH(fbb, o.strideH());
                Conv2DOptions.addFusedActivationFunction(fbb, (byte) o.activation().code());
                Conv2DOptions.addDilationWFactor(fbb, o.dilationW());
                Conv2DOptions.addDilationHFactor(fbb, o.dilationH());
                yield Conv2DOptions.endConv2DOptions(fbb);
            }
            case 2 -> {
                BuiltinOptions.DepthwiseConv2D o = (BuiltinOptions.DepthwiseConv2D) options;
                DepthwiseConv2DOptions.startDepthwiseConv2DOptions(fbb);
                DepthwiseConv2DOptions.addPadding(fbb, (byte) o.padding().code());
                DepthwiseConv2DOptions.addStrideW(fbb, o.strideW());
                DepthwiseConv2DOptions.addStrideH(fbb, o.strideH());
                DepthwiseConv2DOptions.addDepthMultiplier(fbb, o.depthMultiplier());
                DepthwiseConv2DOptions.addFusedActivationFunction(fbb, (byte) o.activation().code());
                DepthwiseConv2DOptions.addDilationWFactor(fbb, o.dilationW());
                DepthwiseConv2DOptions.addDilationHFactor(fbb, o.dilationH());
                yield DepthwiseConv2DOptions.endDepthwiseConv2DOptions(fbb);
            }
            case 5 -> {
                BuiltinOptions.Pool2D o = (BuiltinOptions.Pool2D) options;
                Pool2DOptions.startPool2DOptions(fbb);
                Pool2DOptions.addPadding(fbb, (byte) o.padding().code());
                Pool2DOptions.addStrideW(fbb, o.strideW());
                Pool2DOptions.addStrideH(fbb, o.strideH());
                Pool2DOptions.addFilterWidth(fbb, o.filterWidth());
                Pool2DOptions.addFilterHeight(fbb, o.filterHeight());
                Pool2DOptions.addFusedActivationFunction(fbb, (byte) o.activation().code());
                yield Pool2DOptions.endPool2DOptions(fbb);
            }
            case 6 -> {
                BuiltinOptions.SVDF o = (BuiltinOptions.SVDF) options;
                SVDFOptions.startSVDFOptions(fbb);
                SVDFOptions.addRank(fbb, o.rank());
                SVDFOptions.addFusedActivationFunction(fbb, (byte) o.activation().code());
                SVDFOptions.addAsymmetricQuantizeInputs(fbb, o.asymmetricQuantizeInputs());
                yield SVDFOptions.endSVDFOptions(fbb);
            }
            case 7 -> {
                BuiltinOptions.RNN o = (BuiltinOptions.RNN) options;
                RNNOptions.startRNNOptions(fbb);
                RNNOptions.addFusedActivationFunction(fbb, (byte) o.activation().code());
                RNNOptions.addAsymmetricQuantizeInputs(fbb, o.asymmetricQuantizeInputs());
                yield RNNOptions.endRNNOptions(fbb);
            }
            case 8 -> {
                BuiltinOptions.FullyConnected o = (BuiltinOptions.FullyConnected) options;
                FullyConnectedOptions.startFullyConnectedOptions(fbb);
                FullyConnectedOptions.addFusedActivationFunction(fbb, (byte) o.activation().code());
                FullyConnectedOptions.addWeightsFormat(fbb, (byte) o.weightsFormat());
                FullyConnectedOptions.addKeepNumDims(fbb, o.keepNumDims());
                FullyConnectedOptions.addAsymmetricQuantizeInputs(fbb, o.asymmetricQuantizeInputs());
                yield FullyConnectedOptions.endFullyConnectedOptions(fbb);
            }
            case 9 -> {
                BuiltinOptions.Softmax o = (BuiltinOptions.Softmax) options;
                SoftmaxOptions.startSoftmaxOptions(fbb);
                SoftmaxOptions.addBeta(fbb, o.beta());
                yield SoftmaxOptions.endSoftmaxOptions(fbb);
            }
            case 10 -> {
                BuiltinOptions.Concatenation o = (BuiltinOptions.Concatenation) options;
                ConcatenationOptions.startConcatenationOptions(fbb);
                ConcatenationOptions.addAxis(fbb, o.axis());
                ConcatenationOptions.addFusedActivationFunction(fbb, (byte) o.activation().code());
                yield ConcatenationOptions.endConcatenationOptions(fbb);
            }
            case 11 -> {
                BuiltinOptions.Add o = (BuiltinOptions.Add) options;
                AddOptions.startAddOptions(fbb);
                AddOptions.addFusedActivationFunction(fbb, (byte) o.activation().code());
                AddOptions.addPotScaleInt16(fbb, o.potScaleInt16());
                yield AddOptions.endAddOptions(fbb);
            }
            case 12 -> {
                BuiltinOptions.L2Norm o = (BuiltinOptions.L2Norm) options;
                L2NormOptions.startL2NormOptions(fbb);
                L2NormOptions.addFusedActivationFunction(fbb, (byte) o.activation().code());
                yield L2NormOptions.endL2NormOptions(fbb);
            }
            case 13 -> {
                BuiltinOptions.LocalResponseNormalization o = (BuiltinOptions.LocalResponseNormalization) options;
                LocalResponseNormalizationOptions.startLocalResponseNormalizationOptions(fbb);
                LocalResponseNormalizationOptions.addRadius(fbb, o.radius());
                LocalResponseNormalizationOptions.addBias(fbb, o.bias());
                LocalResponseNormalizationOptions.addAlpha(fbb, o.alpha());
                LocalResponseNormalizationOptions.addBeta(fbb, o.beta());
                yield LocalResponseNormalizationOptions.endLocalResponseNormalizationOptions(fbb);
            }
            case 14 -> {
                BuiltinOptions.LSTM o = (BuiltinOptions.LSTM) options;
                LSTMOptions.startLSTMOptions(fbb);
                LSTMOptions.addFusedActivationFunction(fbb, (byte) o.activation().code());
                LSTMOptions.addCellClip(fbb, o.cellClip());
                LSTMOptions.addProjClip(fbb, o.projClip());
                LSTMOptions.addKernelType(fbb, (byte) o.kernelType());
                LSTMOptions.addAsymmetricQuantizeInputs(fbb, o.asymmetricQuantizeInputs());
                yield LSTMOptions.endLSTMOptions(fbb);
            }
            case 15 -> {
                BuiltinOptions.ResizeBilinear o = (BuiltinOptions.ResizeBilinear) options;
                ResizeBilinearOptions.startResizeBilinearOptions(fbb);
                ResizeBilinearOptions.addAlignCorners(fbb, o.alignCorners());
                ResizeBilinearOptions.addHalfPixelCenters(fbb, o.halfPixelCenters());
                yield ResizeBilinearOptions.endResizeBilinearOptions(fbb);
            }
            case 16 -> {
                BuiltinOptions.Call o = (BuiltinOptions.Call) options;
                CallOptions.startCallOptions(fbb);
                CallOptions.addSubgraph(fbb, Integer.toUnsignedLong(o.subgraph()));
                yield CallOptions.endCallOptions(fbb);
            }
            case 17 -> {
                BuiltinOptions.Reshape o = (BuiltinOptions.Reshape) options;
                int newShape = o.newShape() == null ? 0 : ReshapeOptions.createNewShapeVector(fbb, ints(o.newShape()));
                ReshapeOptions.startReshapeOptions(fbb);
                if (o.newShape() != null) {
                    ReshapeOptions.addNewShape(fbb, newShape);
                }
                yield ReshapeOptions.endReshapeOptions(fbb);
            }
            case 19 -> {
                BuiltinOptions.SpaceToDepth o = (BuiltinOptions.SpaceToDepth) options;
                SpaceToDepthOptions.startSpaceToDepthOptions(fbb);
                SpaceToDepthOptions.addBlockSize(fbb, o.blockSize());
                yield SpaceToDepthOptions.endSpaceToDepthOptions(fbb);
            }
            case 21 -> {
                BuiltinOptions.Mul o = (BuiltinOptions.Mul) options;
                MulOptions.startMulOptions(fbb);
                MulOptions.addFusedActivationFunction(fbb, (byte) o.activation().code());
                yield MulOptions.endMulOptions(fbb);
            }
            case 22 -> {
                PadOptions.startPadOptions(fbb);
                yield PadOptions.endPadOptions(fbb);
            }
            case 23 -> {
                BuiltinOptions.Gather o = (BuiltinOptions.Gather) options;
                GatherOptions.startGatherOptions(fbb);
                GatherOptions.addAxis(fbb, o.axis());
                GatherOptions.addBatchDims(fbb, o.batchDims());
                yield GatherOptions.endGatherOptions(fbb);
            }
            case 24 -> {
                BatchToSpaceNDOptions.startBatchToSpaceNDOptions(fbb);
                yield BatchToSpaceNDOptions.endBatchToSpaceNDOptions(fbb);
            }
            case 25 -> {
                SpaceToBatchNDOptions.startSpaceToBatchNDOptions(fbb);
                yield SpaceToBatchNDOptions.endSpaceToBatchNDOptions(fbb);
            }
            case 26 -> {
                TransposeOptions.startTransposeOptions(fbb);
                yield TransposeOptions.endTransposeOptions(fbb);
            }
            case 27 -> {
                BuiltinOptions.Reducer o = (BuiltinOptions.Reducer) options;
                ReducerOptions.startReducerOptions(fbb);
                ReducerOptions.addKeepDims(fbb, o.keepDims());
                yield ReducerOptions.endReducerOptions(fbb);
            }
            case 28 -> {
                BuiltinOptions.Sub o = (BuiltinOptions.Sub) options;
                SubOptions.startSubOptions(fbb);
                SubOptions.addFusedActivationFunction(fbb, (byte) o.activation().code());
                SubOptions.addPotScaleInt16(fbb, o.potScaleInt16());
                yield SubOptions.endSubOptions(fbb);
            }
            case 29 -> {
                BuiltinOptions.Div o = (BuiltinOptions.Div) options;
                DivOptions.startDivOptions(fbb);
                DivOptions.addFusedActivationFunction(fbb, (byte) o.activation().code());
                yield DivOptions.endDivOptions(fbb);
            }
            case 30 -> {
                BuiltinOptions.Squeeze o = (BuiltinOptions.Squeeze) options;
                int squeezeDims = o.squeezeDims() == null ? 0 : SqueezeOptions.createSqueezeDimsVector(fbb, ints(o.squeezeDims()));
                SqueezeOptions.startSqueezeOptions(fbb);
                if (o.squeezeDims() != null) {
                    SqueezeOptions.addSqueezeDims(fbb, squeezeDims);
                }
                yield SqueezeOptions.endSqueezeOptions(fbb);
            }
            case 31 -> {
                BuiltinOptions.SequenceRNN o = (BuiltinOptions.SequenceRNN) options;
                SequenceRNNOptions.startSequenceRNNOptions(fbb);
                SequenceRNNOptions.addTimeMajor(fbb, o.timeMajor());
                SequenceRNNOptions.addFusedActivationFunction(fbb, (byte) o.activation().code());
                SequenceRNNOptions.addAsymmetricQuantizeInputs(fbb, o.asymmetricQuantizeInputs());
                yield SequenceRNNOptions.endSequenceRNNOptions(fbb);
            }
            case 32 -> {
                BuiltinOptions.StridedSlice o = (BuiltinOptions.StridedSlice) options;
                StridedSliceOptions.startStridedSliceOptions(fbb);
                StridedSliceOptions.addBeginMask(fbb, o.beginMask());
                StridedSliceOptions.addEndMask(fbb, o.endMask());
                StridedSliceOptions.addEllipsisMask(fbb, o.ellipsisMask());
                StridedSliceOptions.addNewAxisMask(fbb, o.newAxisMask());
                StridedSliceOptions.addShrinkAxisMask(fbb, o.shrinkAxisMask());
                StridedSliceOptions.addOffset(fbb, o.offset());
                yield StridedSliceOptions.endStridedSliceOptions(fbb);
            }
            case 33 -> {
                ExpOptions.startExpOptions(fbb);
                yield ExpOptions.endExpOptions(fbb);
            }
            case 35 -> {
                BuiltinOptions.Split o = (BuiltinOptions.Split) options;
                SplitOptions.startSplitOptions(fbb);
                SplitOptions.addNumSplits(fbb, o.numSplits());
                yield SplitOptions.endSplitOptions(fbb);
            }
            case 36 -> {
                LogSoftmaxOptions.startLogSoftmaxOptions(fbb);
                yield LogSoftmaxOptions.endLogSoftmaxOptions(fbb);
            }
            case 37 -> {
                BuiltinOptions.Cast o = (BuiltinOptions.Cast) options;
                CastOptions.startCastOptions(fbb);
                CastOptions.addInDataType(fbb, (byte) o.inDataType().code());
                CastOptions.addOutDataType(fbb, (byte) o.outDataType().code());
                yield CastOptions.endCastOptions(fbb);
            }
            case 38 -> {
                DequantizeOptions.startDequantizeOptions(fbb);
                yield DequantizeOptions.endDequantizeOptions(fbb);
            }
            case 39 -> {
                MaximumMinimumOptions.startMaximumMinimumOptions(fbb);
                yield MaximumMinimumOptions.endMaximumMinimumOptions(fbb);
            }
            case 40 -> {
                BuiltinOptions.ArgMax o = (BuiltinOptions.ArgMax) options;
                ArgMaxOptions.startArgMaxOptions(fbb);
                ArgMaxOptions.addOutputType(fbb, (byte) o.outputType().code());
                yield ArgMaxOptions.endArgMaxOptions(fbb);
            }
            case 41 -> {
                LessOptions.startLessOptions(fbb);
                yield LessOptions.endLessOptions(fbb);
            }
            case 42 -> {
                NegOptions.startNegOptions(fbb);
                yield NegOptions.endNegOptions(fbb);
            }
            case 43 -> {
                PadV2Options.startPadV2Options(fbb);
                yield PadV2Options.endPadV2Options(fbb);
            }
            case 44 -> {
                GreaterOptions.startGreaterOptions(fbb);
                yield GreaterOptions.endGreaterOptions(fbb);
            }
            case 45 -> {
                GreaterEqualOptions.startGreaterEqualOptions(fbb);
                yield GreaterEqualOptions.endGreaterEqualOptions(fbb);
            }
            case 46 -> {
                LessEqualOptions.startLessEqualOptions(fbb);
                yield LessEqualOptions.endLessEqualOptions(fbb);
            }
            case 47 -> {
                SelectOptions.startSelectOptions(fbb);
                yield SelectOptions.endSelectOptions(fbb);
            }
            case 48 -> {
                SliceOptions.startSliceOptions(fbb);
                yield SliceOptions.endSliceOptions(fbb);
            }
            case 49 -> {
                BuiltinOptions.TransposeConv o = (BuiltinOptions.TransposeConv) options;
                TransposeConvOptions.startTransposeConvOptions(fbb);
                TransposeConvOptions.addPadding(fbb, (byte) o.padding().code());
                TransposeConvOptions.addStrideW(fbb, o.strideW());
                TransposeConvOptions.addStrideH(fbb, o.strideH());
                TransposeConvOptions.addFusedActivationFunction(fbb, (byte) o.activation().code());
                TransposeConvOptions.addQuantizedBiasType(fbb, (byte) o.quantizedBiasType().code());
                yield TransposeConvOptions.endTransposeConvOptions(fbb);
            }
            case 51 -> {
                TileOptions.startTileOptions(fbb);
                yield TileOptions.endTileOptions(fbb);
            }
            case 52 -> {
                ExpandDimsOptions.startExpandDimsOptions(fbb);
                yield ExpandDimsOptions.endExpandDimsOptions(fbb);
            }
            case 53 -> {
                EqualOptions.startEqualOptions(fbb);
                yield EqualOptions.endEqualOptions(fbb);
            }
            case 54 -> {
                NotEqualOptions.startNotEqualOptions(fbb);
                yield NotEqualOptions.endNotEqualOptions(fbb);
            }
            case 55 -> {
                BuiltinOptions.Shape o = (BuiltinOptions.Shape) options;
                ShapeOptions.startShapeOptions(fbb);
                ShapeOptions.addOutType(fbb, (byte) o.outType().code());
                yield ShapeOptions.endShapeOptions(fbb);
            }
            case 56 -> {
                PowOptions.startPowOptions(fbb);
                yield PowOptions.endPowOptions(fbb);
            }
            case 57 -> {
                BuiltinOptions.ArgMin o = (BuiltinOptions.ArgMin) options;
                ArgMinOptions.startArgMinOptions(fbb);
                ArgMinOptions.addOutputType(fbb, (byte) o.outputType().code());
                yield ArgMinOptions.endArgMinOptions(fbb);
            }
            case 58 -> {
                BuiltinOptions.FakeQuant o = (BuiltinOptions.FakeQuant) options;
                FakeQuantOptions.startFakeQuantOptions(fbb);
                FakeQuantOptions.addMin(fbb, o.min());
                FakeQuantOptions.addMax(fbb, o.max());
                FakeQuantOptions.addNumBits(fbb, o.numBits());
                FakeQuantOptions.addNarrowRange(fbb, o.narrowRange());
                yield FakeQuantOptions.endFakeQuantOptions(fbb);
            }
            case 59 -> {
                BuiltinOptions.Pack o = (BuiltinOptions.Pack) options;
                PackOptions.startPackOptions(fbb);
                PackOptions.addValuesCount(fbb, o.valuesCount());
                PackOptions.addAxis(fbb, o.axis());
                yield PackOptions.endPackOptions(fbb);
            }
            case 60 -> {
                LogicalOrOptions.startLogicalOrOptions(fbb);
                yield LogicalOrOptions.endLogicalOrOptions(fbb);
            }
            case 61 -> {
                BuiltinOptions.OneHot o = (BuiltinOptions.OneHot) options;
                OneHotOptions.startOneHotOptions(fbb);
                OneHotOptions.addAxis(fbb, o.axis());
                yield OneHotOptions.endOneHotOptions(fbb);
            }
            case 62 -> {
                LogicalAndOptions.startLogicalAndOptions(fbb);
                yield LogicalAndOptions.endLogicalAndOptions(fbb);
            }
            case 63 -> {
                LogicalNotOptions.startLogicalNotOptions(fbb);
                yield LogicalNotOptions.endLogicalNotOptions(fbb);
            }
            case 64 -> {
                BuiltinOptions.Unpack o = (BuiltinOptions.Unpack) options;
                UnpackOptions.startUnpackOptions(fbb);
                UnpackOptions.addNum(fbb, o.num());
                UnpackOptions.addAxis(fbb, o.axis());
                yield UnpackOptions.endUnpackOptions(fbb);
            }
            case 65 -> {
                FloorDivOptions.startFloorDivOptions(fbb);
                yield FloorDivOptions.endFloorDivOptions(fbb);
            }
            case 66 -> {
                SquareOptions.startSquareOptions(fbb);
                yield SquareOptions.endSquareOptions(fbb);
            }
            case 67 -> {
                ZerosLikeOptions.startZerosLikeOptions(fbb);
                yield ZerosLikeOptions.endZerosLikeOptions(fbb);
            }
            case 68 -> {
                FillOptions.startFillOptions(fbb);
                yield FillOptions.endFillOptions(fbb);
            }
            case 69 -> {
                BuiltinOptions.BidirectionalSequenceLSTM o = (BuiltinOptions.BidirectionalSequenceLSTM) options;
                BidirectionalSequenceLSTMOptions.startBidirectionalSequenceLSTMOptions(fbb);
                BidirectionalSequenceLSTMOptions.addFusedActivationFunction(fbb, (byte) o.activation().code());
                BidirectionalSequenceLSTMOptions.addCellClip(fbb, o.cellClip());
                BidirectionalSequenceLSTMOptions.addProjClip(fbb, o.projClip());
                BidirectionalSequenceLSTMOptions.addMergeOutputs(fbb, o.mergeOutputs());
                BidirectionalSequenceLSTMOptions.addTimeMajor(fbb, o.timeMajor());
                BidirectionalSequenceLSTMOptions.addAsymmetricQuantizeInputs(fbb, o.asymmetricQuantizeInputs());
                yield BidirectionalSequenceLSTMOptions.endBidirectionalSequenceLSTMOptions(fbb);
            }
            case 70 -> {
                BuiltinOptions.BidirectionalSequenceRNN o = (BuiltinOptions.BidirectionalSequenceRNN) options;
                BidirectionalSequenceRNNOptions.startBidirectionalSequenceRNNOptions(fbb);
                BidirectionalSequenceRNNOptions.addTimeMajor(fbb, o.timeMajor());
                BidirectionalSequenceRNNOptions.addFusedActivationFunction(fbb, (byte) o.activation().code());
                BidirectionalSequenceRNNOptions.addMergeOutputs(fbb, o.mergeOutputs());
                BidirectionalSequenceRNNOptions.addAsymmetricQuantizeInputs(fbb, o.asymmetricQuantizeInputs());
                yield BidirectionalSequenceRNNOptions.endBidirectionalSequenceRNNOptions(fbb);
            }
            case 71 -> {
                BuiltinOptions.UnidirectionalSequenceLSTM o = (BuiltinOptions.UnidirectionalSequenceLSTM) options;
                UnidirectionalSequenceLSTMOptions.startUnidirectionalSequenceLSTMOptions(fbb);
                UnidirectionalSequenceLSTMOptions.addFusedActivationFunction(fbb, (byte) o.activation().code());
                UnidirectionalSequenceLSTMOptions.addCellClip(fbb, o.cellClip());
                UnidirectionalSequenceLSTMOptions.addProjClip(fbb, o.projClip());
                UnidirectionalSequenceLSTMOptions.addTimeMajor(fbb, o.timeMajor());
                UnidirectionalSequenceLSTMOptions.addAsymmetricQuantizeInputs(fbb, o.asymmetricQuantizeInputs());
                UnidirectionalSequenceLSTMOptions.addDiagonalRecurrentTensors(fbb, o.diagonalRecurrentTensors());
                yield UnidirectionalSequenceLSTMOptions.endUnidirectionalSequenceLSTMOptions(fbb);
            }
            case 72 -> {
                FloorModOptions.startFloorModOptions(fbb);
                yield FloorModOptions.endFloorModOptions(fbb);
            }
            case 73 -> {
                RangeOptions.startRangeOptions(fbb);
                yield RangeOptions.endRangeOptions(fbb);
            }
            case 74 -> {
                BuiltinOptions.ResizeNearestNeighbor o = (BuiltinOptions.ResizeNearestNeighbor) options;
                ResizeNearestNeighborOptions.startResizeNearestNeighborOptions(fbb);
                ResizeNearestNeighborOptions.addAlignCorners(fbb, o.alignCorners());
                ResizeNearestNeighborOptions.addHalfPixelCenters(fbb, o.halfPixelCenters());
                yield ResizeNearestNeighborOptions.endResizeNearestNeighborOptions(fbb);
            }
            case 75 -> {
                BuiltinOptions.LeakyRelu o = (BuiltinOptions.LeakyRelu) options;
                LeakyReluOptions.startLeakyReluOptions(fbb);
                LeakyReluOptions.addAlpha(fbb, o.alpha());
                yield LeakyReluOptions.endLeakyReluOptions(fbb);
            }
            case 76 -> {
                SquaredDifferenceOptions.startSquaredDifferenceOptions(fbb);
                yield SquaredDifferenceOptions.endSquaredDifferenceOptions(fbb);
            }
            case 77 -> {
                BuiltinOptions.MirrorPad o = (BuiltinOptions.MirrorPad) options;
                MirrorPadOptions.startMirrorPadOptions(fbb);
                MirrorPadOptions.addMode(fbb, (byte) o.mode());
                yield MirrorPadOptions.endMirrorPadOptions(fbb);
            }
            case 78 -> {
                AbsOptions.startAbsOptions(fbb);
                yield AbsOptions.endAbsOptions(fbb);
            }
            case 79 -> {
                BuiltinOptions.SplitV o = (BuiltinOptions.SplitV) options;
                SplitVOptions.startSplitVOptions(fbb);
                SplitVOptions.addNumSplits(fbb, o.numSplits());
                yield SplitVOptions.endSplitVOptions(fbb);
            }
            case 80 -> {
                BuiltinOptions.Unique o = (BuiltinOptions.Unique) options;
                UniqueOptions.startUniqueOptions(fbb);
                UniqueOptions.addIdxOutType(fbb, (byte) o.idxOutType().code());
                yield UniqueOptions.endUniqueOptions(fbb);
            }
            case 81 -> {
                ReverseV2Options.startReverseV2Options(fbb);
                yield ReverseV2Options.endReverseV2Options(fbb);
            }
            case 82 -> {
                AddNOptions.startAddNOptions(fbb);
                yield AddNOptions.endAddNOptions(fbb);
            }
            case 83 -> {
                GatherNdOptions.startGatherNdOptions(fbb);
                yield GatherNdOptions.endGatherNdOptions(fbb);
            }
            case 84 -> {
                CosOptions.startCosOptions(fbb);
                yield CosOptions.endCosOptions(fbb);
            }
            case 85 -> {
                WhereOptions.startWhereOptions(fbb);
                yield WhereOptions.endWhereOptions(fbb);
            }
            case 86 -> {
                RankOptions.startRankOptions(fbb);
                yield RankOptions.endRankOptions(fbb);
            }
            case 87 -> {
                BuiltinOptions.ReverseSequence o = (BuiltinOptions.ReverseSequence) options;
                ReverseSequenceOptions.startReverseSequenceOptions(fbb);
                ReverseSequenceOptions.addSeqDim(fbb, o.seqDim());
                ReverseSequenceOptions.addBatchDim(fbb, o.batchDim());
                yield ReverseSequenceOptions.endReverseSequenceOptions(fbb);
            }
            case 88 -> {
                MatrixDiagOptions.startMatrixDiagOptions(fbb);
                yield MatrixDiagOptions.endMatrixDiagOptions(fbb);
            }
            case 89 -> {
                QuantizeOptions.startQuantizeOptions(fbb);
                yield QuantizeOptions.endQuantizeOptions(fbb);
            }
            case 90 -> {
                MatrixSetDiagOptions.startMatrixSetDiagOptions(fbb);
                yield MatrixSetDiagOptions.endMatrixSetDiagOptions(fbb);
            }
            case 91 -> {
                HardSwishOptions.startHardSwishOptions(fbb);
                yield HardSwishOptions.endHardSwishOptions(fbb);
            }
            case 92 -> {
                BuiltinOptions.If o = (BuiltinOptions.If) options;
                IfOptions.startIfOptions(fbb);
                IfOptions.addThenSubgraphIndex(fbb, o.thenSubgraphIndex());
                IfOptions.addElseSubgraphIndex(fbb, o.elseSubgraphIndex());
                yield IfOptions.endIfOptions(fbb);
            }
            case 93 -> {
                BuiltinOptions.While o = (BuiltinOptions.While) options;
                WhileOptions.startWhileOptions(fbb);
                WhileOptions.addCondSubgraphIndex(fbb, o.condSubgraphIndex());
                WhileOptions.addBodySubgraphIndex(fbb, o.bodySubgraphIndex());
                yield WhileOptions.endWhileOptions(fbb);
            }
            case 94 -> {
                BuiltinOptions.DepthToSpace o = (BuiltinOptions.DepthToSpace) options;
                DepthToSpaceOptions.startDepthToSpaceOptions(fbb);
                DepthToSpaceOptions.addBlockSize(fbb, o.blockSize());
                yield DepthToSpaceOptions.endDepthToSpaceOptions(fbb);
            }
            case 97 -> {
                ScatterNdOptions.startScatterNdOptions(fbb);
                yield ScatterNdOptions.endScatterNdOptions(fbb);
            }
            case 98 -> {
                SelectV2Options.startSelectV2Options(fbb);
                yield SelectV2Options.endSelectV2Options(fbb);
            }
            case 99 -> {
                DensifyOptions.startDensifyOptions(fbb);
                yield DensifyOptions.endDensifyOptions(fbb);
            }
            case 100 -> {
                SegmentSumOptions.startSegmentSumOptions(fbb);
                yield SegmentSumOptions.endSegmentSumOptions(fbb);
            }
            case 101 -> {
                BuiltinOptions.BatchMatMul o = (BuiltinOptions.BatchMatMul) options;
                BatchMatMulOptions.startBatchMatMulOptions(fbb);
                BatchMatMulOptions.addAdjX(fbb, o.adjX());
                BatchMatMulOptions.addAdjY(fbb, o.adjY());
                BatchMatMulOptions.addAsymmetricQuantizeInputs(fbb, o.asymmetricQuantizeInputs());
                yield BatchMatMulOptions.endBatchMatMulOptions(fbb);
            }
            case 102 -> {
                BuiltinOptions.Cumsum o = (BuiltinOptions.Cumsum) options;
                CumsumOptions.startCumsumOptions(fbb);
                CumsumOptions.addExclusive(fbb, o.exclusive());
                CumsumOptions.addReverse(fbb, o.reverse());
                yield CumsumOptions.endCumsumOptions(fbb);
            }
            case 103 -> {
                BuiltinOptions.CallOnce o = (BuiltinOptions.CallOnce) options;
                CallOnceOptions.startCallOnceOptions(fbb);
                CallOnceOptions.addInitSubgraphIndex(fbb, o.initSubgraphIndex());
                yield CallOnceOptions.endCallOnceOptions(fbb);
            }
            case 104 -> {
                BroadcastToOptions.startBroadcastToOptions(fbb);
                yield BroadcastToOptions.endBroadcastToOptions(fbb);
            }
            case 116 -> {
                BuiltinOptions.Gelu o = (BuiltinOptions.Gelu) options;
                GeluOptions.startGeluOptions(fbb);
                GeluOptions.addApproximate(fbb, o.approximate());
                yield GeluOptions.endGeluOptions(fbb);
            }
            case 117 -> {
                DynamicUpdateSliceOptions.startDynamicUpdateSliceOptions(fbb);
                yield DynamicUpdateSliceOptions.endDynamicUpdateSliceOptions(fbb);
            }
            default -> throw new IllegalArgumentException("no options table has union code " + options.unionType());
        };
    }

    private static int[] ints(List<Integer> values) {
        int[] out = new int[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}
