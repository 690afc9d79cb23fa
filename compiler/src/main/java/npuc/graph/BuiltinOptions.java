package npuc.graph;

import java.util.List;

/**
 * Builtin options of an operator, one record per TFLite options table, named after the table without
 * its "Options" suffix; components are the table's fields. {@link #unionType()} is the table's code in
 * the schema's BuiltinOptions union. A table npuc does not model is kept as {@link Unmodelled}, so
 * such a model still reads; it cannot be written back.
 */
public sealed interface BuiltinOptions {

    int unionType();

    record Conv2D(Padding padding, int strideW, int strideH, Activation activation, int dilationW, int dilationH)
            implements BuiltinOptions {
        public int unionType() {
            return 1;
        }
    }

    record DepthwiseConv2D(Padding padding, int strideW, int strideH, int depthMultiplier, Activation activation,
                           int dilationW, int dilationH) implements BuiltinOptions {
        public int unionType() {
            return 2;
        }
    }

    /** Options of AVERAGE_POOL_2D, MAX_POOL_2D and L2_POOL_2D. */
    record Pool2D(Padding padding, int strideW, int strideH, int filterWidth, int filterHeight,
                  Activation activation) implements BuiltinOptions {
        public int unionType() {
            return 5;
        }
    }

    record SVDF(int rank, Activation activation, boolean asymmetricQuantizeInputs) implements BuiltinOptions {
        public int unionType() {
            return 6;
        }
    }

    record RNN(Activation activation, boolean asymmetricQuantizeInputs) implements BuiltinOptions {
        public int unionType() {
            return 7;
        }
    }

    record FullyConnected(Activation activation, int weightsFormat, boolean keepNumDims,
                          boolean asymmetricQuantizeInputs) implements BuiltinOptions {
        public int unionType() {
            return 8;
        }
    }

    record Softmax(float beta) implements BuiltinOptions {
        public int unionType() {
            return 9;
        }
    }

    record Concatenation(int axis, Activation activation) implements BuiltinOptions {
        public int unionType() {
            return 10;
        }
    }

    record Add(Activation activation, boolean potScaleInt16) implements BuiltinOptions {
        public int unionType() {
            return 11;
        }
    }

    record L2Norm(Activation activation) implements BuiltinOptions {
        public int unionType() {
            return 12;
        }
    }

    record LocalResponseNormalization(int radius, float bias, float alpha, float beta) implements BuiltinOptions {
        public int unionType() {
            return 13;
        }
    }

    /** {@code kernelType}: 0 full kernel (peephole and projection), 1 basic kernel. */
    record LSTM(Activation activation, float cellClip, float projClip, int kernelType,
                boolean asymmetricQuantizeInputs) implements BuiltinOptions {
        public int unionType() {
            return 14;
        }
    }

    record ResizeBilinear(boolean alignCorners, boolean halfPixelCenters) implements BuiltinOptions {
        public int unionType() {
            return 15;
        }
    }

    /** {@code subgraph} is the index of the subgraph CALL runs. */
    record Call(int subgraph) implements BuiltinOptions {
        public int unionType() {
            return 16;
        }
    }

    /** {@code newShape} is null when the options table does not carry it (the shape is an input tensor). */
    record Reshape(List<Integer> newShape) implements BuiltinOptions {
        public Reshape {
            newShape = newShape == null ? null : List.copyOf(newShape);
        }

        public int unionType() {
            return 17;
        }
    }

    record SpaceToDepth(int blockSize) implements BuiltinOptions {
        public int unionType() {
            return 19;
        }
    }

    record Mul(Activation activation) implements BuiltinOptions {
        public int unionType() {
            return 21;
        }
    }

    record Pad() implements BuiltinOptions {
        public int unionType() {
            return 22;
        }
    }

    record Gather(int axis, int batchDims) implements BuiltinOptions {
        public int unionType() {
            return 23;
        }
    }

    record BatchToSpaceND() implements BuiltinOptions {
        public int unionType() {
            return 24;
        }
    }

    record SpaceToBatchND() implements BuiltinOptions {
        public int unionType() {
            return 25;
        }
    }

    record Transpose() implements BuiltinOptions {
        public int unionType() {
            return 26;
        }
    }

    /** Options of MEAN, SUM, REDUCE_MAX and the other reductions. */
    record Reducer(boolean keepDims) implements BuiltinOptions {
        public int unionType() {
            return 27;
        }
    }

    record Sub(Activation activation, boolean potScaleInt16) implements BuiltinOptions {
        public int unionType() {
            return 28;
        }
    }

    record Div(Activation activation) implements BuiltinOptions {
        public int unionType() {
            return 29;
        }
    }

    /** {@code squeezeDims} is null when the options table does not carry it (every size-1 dimension goes). */
    record Squeeze(List<Integer> squeezeDims) implements BuiltinOptions {
        public Squeeze {
            squeezeDims = squeezeDims == null ? null : List.copyOf(squeezeDims);
        }

        public int unionType() {
            return 30;
        }
    }

    record SequenceRNN(boolean timeMajor, Activation activation, boolean asymmetricQuantizeInputs)
            implements BuiltinOptions {
        public int unionType() {
            return 31;
        }
    }

    record StridedSlice(int beginMask, int endMask, int ellipsisMask, int newAxisMask, int shrinkAxisMask,
                        boolean offset) implements BuiltinOptions {
        public int unionType() {
            return 32;
        }
    }

    record Exp() implements BuiltinOptions {
        public int unionType() {
            return 33;
        }
    }

    record Split(int numSplits) implements BuiltinOptions {
        public int unionType() {
            return 35;
        }
    }

    record LogSoftmax() implements BuiltinOptions {
        public int unionType() {
            return 36;
        }
    }

    record Cast(DataType inDataType, DataType outDataType) implements BuiltinOptions {
        public int unionType() {
            return 37;
        }
    }

    record Dequantize() implements BuiltinOptions {
        public int unionType() {
            return 38;
        }
    }

    /** Options of MAXIMUM and MINIMUM. */
    record MaximumMinimum() implements BuiltinOptions {
        public int unionType() {
            return 39;
        }
    }

    record ArgMax(DataType outputType) implements BuiltinOptions {
        public int unionType() {
            return 40;
        }
    }

    record Less() implements BuiltinOptions {
        public int unionType() {
            return 41;
        }
    }

    record Neg() implements BuiltinOptions {
        public int unionType() {
            return 42;
        }
    }

    record PadV2() implements BuiltinOptions {
        public int unionType() {
            return 43;
        }
    }

    record Greater() implements BuiltinOptions {
        public int unionType() {
            return 44;
        }
    }

    record GreaterEqual() implements BuiltinOptions {
        public int unionType() {
            return 45;
        }
    }

    record LessEqual() implements BuiltinOptions {
        public int unionType() {
            return 46;
        }
    }

    record Select() implements BuiltinOptions {
        public int unionType() {
            return 47;
        }
    }

    record Slice() implements BuiltinOptions {
        public int unionType() {
            return 48;
        }
    }

    /** {@code quantizedBiasType} is FLOAT32 (the schema default) unless the model sets the bias and accumulator
     * type. */
    record TransposeConv(Padding padding, int strideW, int strideH, Activation activation,
                         DataType quantizedBiasType) implements BuiltinOptions {
        public int unionType() {
            return 49;
        }
    }

    record Tile() implements BuiltinOptions {
        public int unionType() {
            return 51;
        }
    }

    record ExpandDims() implements BuiltinOptions {
        public int unionType() {
            return 52;
        }
    }

    record Equal() implements BuiltinOptions {
        public int unionType() {
            return 53;
        }
    }

    record NotEqual() implements BuiltinOptions {
        public int unionType() {
            return 54;
        }
    }

    record Shape(DataType outType) implements BuiltinOptions {
        public int unionType() {
            return 55;
        }
    }

    record Pow() implements BuiltinOptions {
        public int unionType() {
            return 56;
        }
    }

    record ArgMin(DataType outputType) implements BuiltinOptions {
        public int unionType() {
            return 57;
        }
    }

    record FakeQuant(float min, float max, int numBits, boolean narrowRange) implements BuiltinOptions {
        public int unionType() {
            return 58;
        }
    }

    record Pack(int valuesCount, int axis) implements BuiltinOptions {
        public int unionType() {
            return 59;
        }
    }

    record LogicalOr() implements BuiltinOptions {
        public int unionType() {
            return 60;
        }
    }

    record OneHot(int axis) implements BuiltinOptions {
        public int unionType() {
            return 61;
        }
    }

    record LogicalAnd() implements BuiltinOptions {
        public int unionType() {
            return 62;
        }
    }

    record LogicalNot() implements BuiltinOptions {
        public int unionType() {
            return 63;
        }
    }

    record Unpack(int num, int axis) implements BuiltinOptions {
        public int unionType() {
            return 64;
        }
    }

    record FloorDiv() implements BuiltinOptions {
        public int unionType() {
            return 65;
        }
    }

    record Square() implements BuiltinOptions {
        public int unionType() {
            return 66;
        }
    }

    record ZerosLike() implements BuiltinOptions {
        public int unionType() {
            return 67;
        }
    }

    record Fill() implements BuiltinOptions {
        public int unionType() {
            return 68;
        }
    }

    record BidirectionalSequenceLSTM(Activation activation, float cellClip, float projClip, boolean mergeOutputs,
                                     boolean timeMajor, boolean asymmetricQuantizeInputs)
            implements BuiltinOptions {
        public int unionType() {
            return 69;
        }
    }

    record BidirectionalSequenceRNN(boolean timeMajor, Activation activation, boolean mergeOutputs,
                                    boolean asymmetricQuantizeInputs) implements BuiltinOptions {
        public int unionType() {
            return 70;
        }
    }

    record UnidirectionalSequenceLSTM(Activation activation, float cellClip, float projClip, boolean timeMajor,
                                      boolean asymmetricQuantizeInputs, boolean diagonalRecurrentTensors)
            implements BuiltinOptions {
        public int unionType() {
            return 71;
        }
    }

    record FloorMod() implements BuiltinOptions {
        public int unionType() {
            return 72;
        }
    }

    record Range() implements BuiltinOptions {
        public int unionType() {
            return 73;
        }
    }

    record ResizeNearestNeighbor(boolean alignCorners, boolean halfPixelCenters) implements BuiltinOptions {
        public int unionType() {
            return 74;
        }
    }

    record LeakyRelu(float alpha) implements BuiltinOptions {
        public int unionType() {
            return 75;
        }
    }

    record SquaredDifference() implements BuiltinOptions {
        public int unionType() {
            return 76;
        }
    }

    /** {@code mode}: 0 reflect (borders excluded), 1 symmetric (borders included). */
    record MirrorPad(int mode) implements BuiltinOptions {
        public int unionType() {
            return 77;
        }
    }

    record Abs() implements BuiltinOptions {
        public int unionType() {
            return 78;
        }
    }

    record SplitV(int numSplits) implements BuiltinOptions {
        public int unionType() {
            return 79;
        }
    }

    record Unique(DataType idxOutType) implements BuiltinOptions {
        public int unionType() {
            return 80;
        }
    }

    record ReverseV2() implements BuiltinOptions {
        public int unionType() {
            return 81;
        }
    }

    record AddN() implements BuiltinOptions {
        public int unionType() {
            return 82;
        }
    }

    record GatherNd() implements BuiltinOptions {
        public int unionType() {
            return 83;
        }
    }

    record Cos() implements BuiltinOptions {
        public int unionType() {
            return 84;
        }
    }

    record Where() implements BuiltinOptions {
        public int unionType() {
            return 85;
        }
    }

    record Rank() implements BuiltinOptions {
        public int unionType() {
            return 86;
        }
    }

    record ReverseSequence(int seqDim, int batchDim) implements BuiltinOptions {
        public int unionType() {
            return 87;
        }
    }

    record MatrixDiag() implements BuiltinOptions {
        public int unionType() {
            return 88;
        }
    }

    record Quantize() implements BuiltinOptions {
        public int unionType() {
            return 89;
        }
    }

    record MatrixSetDiag() implements BuiltinOptions {
        public int unionType() {
            return 90;
        }
    }

    record HardSwish() implements BuiltinOptions {
        public int unionType() {
            return 91;
        }
    }

    record If(int thenSubgraphIndex, int elseSubgraphIndex) implements BuiltinOptions {
        public int unionType() {
            return 92;
        }
    }

    record While(int condSubgraphIndex, int bodySubgraphIndex) implements BuiltinOptions {
        public int unionType() {
            return 93;
        }
    }

    record DepthToSpace(int blockSize) implements BuiltinOptions {
        public int unionType() {
            return 94;
        }
    }

    record ScatterNd() implements BuiltinOptions {
        public int unionType() {
            return 97;
        }
    }

    record SelectV2() implements BuiltinOptions {
        public int unionType() {
            return 98;
        }
    }

    record Densify() implements BuiltinOptions {
        public int unionType() {
            return 99;
        }
    }

    record SegmentSum() implements BuiltinOptions {
        public int unionType() {
            return 100;
        }
    }

    record BatchMatMul(boolean adjX, boolean adjY, boolean asymmetricQuantizeInputs) implements BuiltinOptions {
        public int unionType() {
            return 101;
        }
    }

    record Cumsum(boolean exclusive, boolean reverse) implements BuiltinOptions {
        public int unionType() {
            return 102;
        }
    }

    record CallOnce(int initSubgraphIndex) implements BuiltinOptions {
        public int unionType() {
            return 103;
        }
    }

    record BroadcastTo() implements BuiltinOptions {
        public int unionType() {
            return 104;
        }
    }

    record Gelu(boolean approximate) implements BuiltinOptions {
        public int unionType() {
            return 116;
        }
    }

    record DynamicUpdateSlice() implements BuiltinOptions {
        public int unionType() {
            return 117;
        }
    }

    /**
     * An options table npuc does not model (an operator it never compiles for the NPU, or a table newer
     * than npuc). Only its union code is kept.
     */
    record Unmodelled(int unionType) implements BuiltinOptions {
        /** The TFLite name of the table, or a name made from the code when it is newer than this list. */
        public String tableName() {
            return unionType >= 1 && unionType <= TABLE_NAMES.size()
                    ? TABLE_NAMES.get(unionType - 1) : "BuiltinOptions code " + unionType;
        }
    }

    /** TFLite's options tables in union order: the table with code c is at index c - 1. */
    List<String> TABLE_NAMES = List.of(
            "Conv2DOptions", "DepthwiseConv2DOptions", "ConcatEmbeddingsOptions", "LSHProjectionOptions",
            "Pool2DOptions", "SVDFOptions", "RNNOptions", "FullyConnectedOptions",
            "SoftmaxOptions", "ConcatenationOptions", "AddOptions", "L2NormOptions",
            "LocalResponseNormalizationOptions", "LSTMOptions", "ResizeBilinearOptions", "CallOptions",
            "ReshapeOptions", "SkipGramOptions", "SpaceToDepthOptions", "EmbeddingLookupSparseOptions",
            "MulOptions", "PadOptions", "GatherOptions", "BatchToSpaceNDOptions",
            "SpaceToBatchNDOptions", "TransposeOptions", "ReducerOptions", "SubOptions",
            "DivOptions", "SqueezeOptions", "SequenceRNNOptions", "StridedSliceOptions",
            "ExpOptions", "TopKV2Options", "SplitOptions", "LogSoftmaxOptions",
            "CastOptions", "DequantizeOptions", "MaximumMinimumOptions", "ArgMaxOptions",
            "LessOptions", "NegOptions", "PadV2Options", "GreaterOptions",
            "GreaterEqualOptions", "LessEqualOptions", "SelectOptions", "SliceOptions",
            "TransposeConvOptions", "SparseToDenseOptions", "TileOptions", "ExpandDimsOptions",
            "EqualOptions", "NotEqualOptions", "ShapeOptions", "PowOptions",
            "ArgMinOptions", "FakeQuantOptions", "PackOptions", "LogicalOrOptions",
            "OneHotOptions", "LogicalAndOptions", "LogicalNotOptions", "UnpackOptions",
            "FloorDivOptions", "SquareOptions", "ZerosLikeOptions", "FillOptions",
            "BidirectionalSequenceLSTMOptions", "BidirectionalSequenceRNNOptions",
            "UnidirectionalSequenceLSTMOptions",
            "FloorModOptions",
            "RangeOptions", "ResizeNearestNeighborOptions", "LeakyReluOptions", "SquaredDifferenceOptions",
            "MirrorPadOptions", "AbsOptions", "SplitVOptions", "UniqueOptions",
            "ReverseV2Options", "AddNOptions", "GatherNdOptions", "CosOptions",
            "WhereOptions", "RankOptions", "ReverseSequenceOptions", "MatrixDiagOptions",
            "QuantizeOptions", "MatrixSetDiagOptions", "HardSwishOptions", "IfOptions",
            "WhileOptions", "DepthToSpaceOptions", "NonMaxSuppressionV4Options", "NonMaxSuppressionV5Options",
            "ScatterNdOptions", "SelectV2Options", "DensifyOptions", "SegmentSumOptions",
            "BatchMatMulOptions", "CumsumOptions", "CallOnceOptions", "BroadcastToOptions",
            "Rfft2dOptions", "Conv3DOptions", "HashtableOptions", "HashtableFindOptions",
            "HashtableImportOptions", "HashtableSizeOptions", "VarHandleOptions", "ReadVariableOptions",
            "AssignVariableOptions", "RandomOptions", "BucketizeOptions", "GeluOptions",
            "DynamicUpdateSliceOptions", "UnsortedSegmentProdOptions", "UnsortedSegmentMaxOptions",
            "UnsortedSegmentMinOptions",
            "UnsortedSegmentSumOptions", "ATan2Options", "SignOptions", "BitcastOptions",
            "BitwiseXorOptions", "RightShiftOptions");
}
