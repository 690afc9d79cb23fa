package npuc.frontend;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import npuc.graph.BuiltinOperator;
import npuc.graph.BuiltinOptions;

/**
 * The attributes Vela reads from each operator's options table, by Vela's attribute names and in the order
 * it reads them. When a model leaves out an operator's options table Vela reports every one of them as
 * missing ("Op has missing attributes: ..."), so the names and their order are part of the output.
 * Operators absent here have no options table in Vela (RELU, LOGISTIC, ...) or are custom.
 *
 * @param table      the TFLite options table Vela reads
 * @param attributes Vela's attribute names, in its reading order
 */
record OptionAttributes(String table, List<String> attributes) {
    private static final Map<BuiltinOperator, OptionAttributes> BY_OPERATOR = byOperator();

    OptionAttributes {
        attributes = List.copyOf(attributes);
    }

    /** The table and attributes Vela reads for {@code op}, or null when it reads none. */
    static OptionAttributes of(BuiltinOperator op) {
        return op == null ? null : BY_OPERATOR.get(op);
    }

    /** The union code of {@link #table} in the schema's BuiltinOptions union. */
    int unionType() {
        return BuiltinOptions.TABLE_NAMES.indexOf(table) + 1;
    }

    private static Map.Entry<BuiltinOperator, OptionAttributes> entry(BuiltinOperator op, String table,
                                                                        String attributes) {
        return Map.entry(op, new OptionAttributes(table,
                attributes.isEmpty() ? List.of() : List.of(attributes.split(" "))));
    }

    @SafeVarargs
    private static Map<BuiltinOperator, OptionAttributes> build(
            Map.Entry<BuiltinOperator, OptionAttributes>... entries) {
        Map<BuiltinOperator, OptionAttributes> map = new EnumMap<>(BuiltinOperator.class);
        for (Map.Entry<BuiltinOperator, OptionAttributes> e : entries) {
            map.put(e.getKey(), e.getValue());
        }
        return map;
    }

    private static Map<BuiltinOperator, OptionAttributes> byOperator() {
        return build(
                entry(BuiltinOperator.ADD,
                        "AddOptions", "fused_activation_function pot_scale_int16"),
                entry(BuiltinOperator.AVERAGE_POOL_2D,
                        "Pool2DOptions",
                        "filter_height filter_width fused_activation_function padding stride_h stride_w"),
                entry(BuiltinOperator.ATAN2, "ATan2Options", ""),
                entry(BuiltinOperator.CONCATENATION,
                        "ConcatenationOptions", "axis fused_activation_function"),
                entry(BuiltinOperator.CONV_2D,
                        "Conv2DOptions",
                        "dilation_h_factor dilation_w_factor fused_activation_function padding stride_h " +
                        "stride_w"),
                entry(BuiltinOperator.DEPTHWISE_CONV_2D,
                        "DepthwiseConv2DOptions",
                        "depth_multiplier dilation_h_factor dilation_w_factor fused_activation_function " +
                        "padding stride_h stride_w"),
                entry(BuiltinOperator.DEPTH_TO_SPACE, "DepthToSpaceOptions", "block_size"),
                entry(BuiltinOperator.DEQUANTIZE, "DequantizeOptions", ""),
                entry(BuiltinOperator.FULLY_CONNECTED,
                        "FullyConnectedOptions",
                        "asymmetric_quantize_inputs fused_activation_function keep_num_dims " +
                        "weights_format"),
                entry(BuiltinOperator.L2_NORMALIZATION, "L2NormOptions", "fused_activation_function"),
                entry(BuiltinOperator.L2_POOL_2D,
                        "Pool2DOptions",
                        "filter_height filter_width fused_activation_function padding stride_h stride_w"),
                entry(BuiltinOperator.LOCAL_RESPONSE_NORMALIZATION,
                        "LocalResponseNormalizationOptions", "alpha beta bias radius"),
                entry(BuiltinOperator.LSH_PROJECTION, "LSHProjectionOptions", "type"),
                entry(BuiltinOperator.LSTM,
                        "LSTMOptions",
                        "asymmetric_quantize_inputs cell_clip fused_activation_function kernel_type " +
                        "proj_clip"),
                entry(BuiltinOperator.MAX_POOL_2D,
                        "Pool2DOptions",
                        "filter_height filter_width fused_activation_function padding stride_h stride_w"),
                entry(BuiltinOperator.MUL, "MulOptions", "fused_activation_function"),
                entry(BuiltinOperator.RESHAPE, "ReshapeOptions", "new_shape"),
                entry(BuiltinOperator.RESIZE_BILINEAR,
                        "ResizeBilinearOptions", "align_corners half_pixel_centers"),
                entry(BuiltinOperator.RNN,
                        "RNNOptions", "asymmetric_quantize_inputs fused_activation_function"),
                entry(BuiltinOperator.SOFTMAX, "SoftmaxOptions", "beta"),
                entry(BuiltinOperator.SPACE_TO_DEPTH, "SpaceToDepthOptions", "block_size"),
                entry(BuiltinOperator.SVDF,
                        "SVDFOptions", "asymmetric_quantize_inputs fused_activation_function rank"),
                entry(BuiltinOperator.CONCAT_EMBEDDINGS,
                        "ConcatEmbeddingsOptions",
                        "embedding_dim_per_channel embedding_dim_per_channel_as_numpy " +
                        "embedding_dim_per_channel_is_none embedding_dim_per_channel_length num_channels " +
                        "num_columns_per_channel num_columns_per_channel_as_numpy " +
                        "num_columns_per_channel_is_none num_columns_per_channel_length"),
                entry(BuiltinOperator.SKIP_GRAM,
                        "SkipGramOptions", "include_all_ngrams max_skip_size ngram_size"),
                entry(BuiltinOperator.CALL, "CallOptions", "subgraph"),
                entry(BuiltinOperator.EMBEDDING_LOOKUP_SPARSE, "EmbeddingLookupSparseOptions", "combiner"),
                entry(BuiltinOperator.PAD, "PadOptions", ""),
                entry(BuiltinOperator.UNIDIRECTIONAL_SEQUENCE_RNN,
                        "SequenceRNNOptions", "asymmetric_quantize_inputs fused_activation_function time_major"),
                entry(BuiltinOperator.GATHER, "GatherOptions", "axis batch_dims"),
                entry(BuiltinOperator.BATCH_TO_SPACE_ND, "BatchToSpaceNDOptions", ""),
                entry(BuiltinOperator.SPACE_TO_BATCH_ND, "SpaceToBatchNDOptions", ""),
                entry(BuiltinOperator.TRANSPOSE, "TransposeOptions", ""),
                entry(BuiltinOperator.MEAN, "ReducerOptions", "keep_dims"),
                entry(BuiltinOperator.SUB,
                        "SubOptions", "fused_activation_function pot_scale_int16"),
                entry(BuiltinOperator.DIV, "DivOptions", "fused_activation_function"),
                entry(BuiltinOperator.SQUEEZE, "SqueezeOptions", "squeeze_dims"),
                entry(BuiltinOperator.UNIDIRECTIONAL_SEQUENCE_LSTM,
                        "UnidirectionalSequenceLSTMOptions",
                        "asymmetric_quantize_inputs cell_clip diagonal_recurrent_tensors " +
                        "fused_activation_function proj_clip time_major"),
                entry(BuiltinOperator.STRIDED_SLICE,
                        "StridedSliceOptions",
                        "begin_mask ellipsis_mask end_mask new_axis_mask shrink_axis_mask offset"),
                entry(BuiltinOperator.BIDIRECTIONAL_SEQUENCE_RNN,
                        "BidirectionalSequenceRNNOptions",
                        "asymmetric_quantize_inputs fused_activation_function merge_outputs time_major"),
                entry(BuiltinOperator.EXP, "ExpOptions", ""),
                entry(BuiltinOperator.TOPK_V2, "TopKV2Options", ""),
                entry(BuiltinOperator.SPLIT, "SplitOptions", "num_splits"),
                entry(BuiltinOperator.LOG_SOFTMAX, "LogSoftmaxOptions", ""),
                entry(BuiltinOperator.BIDIRECTIONAL_SEQUENCE_LSTM,
                        "BidirectionalSequenceLSTMOptions",
                        "asymmetric_quantize_inputs cell_clip fused_activation_function merge_outputs " +
                        "proj_clip time_major"),
                entry(BuiltinOperator.CAST, "CastOptions", "in_data_type out_data_type"),
                entry(BuiltinOperator.MAXIMUM, "MaximumMinimumOptions", ""),
                entry(BuiltinOperator.ARG_MAX, "ArgMaxOptions", "output_type"),
                entry(BuiltinOperator.MINIMUM, "MaximumMinimumOptions", ""),
                entry(BuiltinOperator.LESS, "LessOptions", ""),
                entry(BuiltinOperator.NEG, "NegOptions", ""),
                entry(BuiltinOperator.PADV2, "PadV2Options", ""),
                entry(BuiltinOperator.GREATER, "GreaterOptions", ""),
                entry(BuiltinOperator.GREATER_EQUAL, "GreaterEqualOptions", ""),
                entry(BuiltinOperator.LESS_EQUAL, "LessEqualOptions", ""),
                entry(BuiltinOperator.SELECT, "SelectOptions", ""),
                entry(BuiltinOperator.SLICE, "SliceOptions", ""),
                entry(BuiltinOperator.TRANSPOSE_CONV, "TransposeConvOptions", "padding stride_h stride_w"),
                entry(BuiltinOperator.SIGN, "SignOptions", ""),
                entry(BuiltinOperator.SPARSE_TO_DENSE, "SparseToDenseOptions", "validate_indices"),
                entry(BuiltinOperator.TILE, "TileOptions", ""),
                entry(BuiltinOperator.EXPAND_DIMS, "ExpandDimsOptions", ""),
                entry(BuiltinOperator.EQUAL, "EqualOptions", ""),
                entry(BuiltinOperator.NOT_EQUAL, "NotEqualOptions", ""),
                entry(BuiltinOperator.SUM, "ReducerOptions", "keep_dims"),
                entry(BuiltinOperator.SHAPE, "ShapeOptions", "out_type"),
                entry(BuiltinOperator.POW, "PowOptions", ""),
                entry(BuiltinOperator.ARG_MIN, "ArgMinOptions", "output_type"),
                entry(BuiltinOperator.FAKE_QUANT, "FakeQuantOptions", "max min narrow_range num_bits"),
                entry(BuiltinOperator.REDUCE_PROD, "ReducerOptions", "keep_dims"),
                entry(BuiltinOperator.REDUCE_MAX, "ReducerOptions", "keep_dims"),
                entry(BuiltinOperator.PACK, "PackOptions", "axis values_count"),
                entry(BuiltinOperator.LOGICAL_OR, "LogicalOrOptions", ""),
                entry(BuiltinOperator.ONE_HOT, "OneHotOptions", "axis"),
                entry(BuiltinOperator.LOGICAL_AND, "LogicalAndOptions", ""),
                entry(BuiltinOperator.LOGICAL_NOT, "LogicalNotOptions", ""),
                entry(BuiltinOperator.UNPACK, "UnpackOptions", "axis num"),
                entry(BuiltinOperator.REDUCE_MIN, "ReducerOptions", "keep_dims"),
                entry(BuiltinOperator.FLOOR_DIV, "FloorDivOptions", ""),
                entry(BuiltinOperator.REDUCE_ANY, "ReducerOptions", "keep_dims"),
                entry(BuiltinOperator.SQUARE, "SquareOptions", ""),
                entry(BuiltinOperator.ZEROS_LIKE, "ZerosLikeOptions", ""),
                entry(BuiltinOperator.FILL, "FillOptions", ""),
                entry(BuiltinOperator.FLOOR_MOD, "FloorModOptions", ""),
                entry(BuiltinOperator.RANGE, "RangeOptions", ""),
                entry(BuiltinOperator.RESIZE_NEAREST_NEIGHBOR,
                        "ResizeNearestNeighborOptions", "align_corners half_pixel_centers"),
                entry(BuiltinOperator.LEAKY_RELU, "LeakyReluOptions", "alpha"),
                entry(BuiltinOperator.SQUARED_DIFFERENCE, "SquaredDifferenceOptions", ""),
                entry(BuiltinOperator.MIRROR_PAD, "MirrorPadOptions", "mode"),
                entry(BuiltinOperator.ABS, "AbsOptions", ""),
                entry(BuiltinOperator.SPLIT_V, "SplitVOptions", "num_splits"),
                entry(BuiltinOperator.UNIQUE, "UniqueOptions", "idx_out_type"),
                entry(BuiltinOperator.REVERSE_V2, "ReverseV2Options", ""),
                entry(BuiltinOperator.ADD_N, "AddNOptions", ""),
                entry(BuiltinOperator.GATHER_ND, "GatherNdOptions", ""),
                entry(BuiltinOperator.COS, "CosOptions", ""),
                entry(BuiltinOperator.WHERE, "WhereOptions", ""),
                entry(BuiltinOperator.RANK, "RankOptions", ""),
                entry(BuiltinOperator.REVERSE_SEQUENCE, "ReverseSequenceOptions", "batch_dim seq_dim"),
                entry(BuiltinOperator.MATRIX_DIAG, "MatrixDiagOptions", ""),
                entry(BuiltinOperator.QUANTIZE, "QuantizeOptions", ""),
                entry(BuiltinOperator.MATRIX_SET_DIAG, "MatrixSetDiagOptions", ""),
                entry(BuiltinOperator.HARD_SWISH, "HardSwishOptions", ""),
                entry(BuiltinOperator.IF,
                        "IfOptions", "else_subgraph_index then_subgraph_index"),
                entry(BuiltinOperator.WHILE,
                        "WhileOptions", "body_subgraph_index cond_subgraph_index"),
                entry(BuiltinOperator.NON_MAX_SUPPRESSION_V4, "NonMaxSuppressionV4Options", ""),
                entry(BuiltinOperator.NON_MAX_SUPPRESSION_V5, "NonMaxSuppressionV5Options", ""),
                entry(BuiltinOperator.SCATTER_ND, "ScatterNdOptions", ""),
                entry(BuiltinOperator.SELECT_V2, "SelectV2Options", ""),
                entry(BuiltinOperator.DENSIFY, "DensifyOptions", ""),
                entry(BuiltinOperator.SEGMENT_SUM, "SegmentSumOptions", ""),
                entry(BuiltinOperator.BATCH_MATMUL,
                        "BatchMatMulOptions", "adj_x adj_y asymmetric_quantize_inputs"),
                entry(BuiltinOperator.CUMSUM, "CumsumOptions", "exclusive reverse"),
                entry(BuiltinOperator.CALL_ONCE, "CallOnceOptions", "init_subgraph_index"),
                entry(BuiltinOperator.BROADCAST_TO, "BroadcastToOptions", ""),
                entry(BuiltinOperator.RFFT2D, "Rfft2dOptions", ""),
                entry(BuiltinOperator.CONV_3D,
                        "Conv3DOptions",
                        "dilation_d_factor dilation_h_factor dilation_w_factor fused_activation_function " +
                        "padding stride_d stride_h stride_w"),
                entry(BuiltinOperator.HASHTABLE,
                        "HashtableOptions", "key_dtype table_id value_dtype"),
                entry(BuiltinOperator.HASHTABLE_FIND, "HashtableFindOptions", ""),
                entry(BuiltinOperator.HASHTABLE_IMPORT, "HashtableImportOptions", ""),
                entry(BuiltinOperator.HASHTABLE_SIZE, "HashtableSizeOptions", ""),
                entry(BuiltinOperator.REDUCE_ALL, "ReducerOptions", "keep_dims"),
                entry(BuiltinOperator.CONV_3D_TRANSPOSE,
                        "Conv3DOptions",
                        "dilation_d_factor dilation_h_factor dilation_w_factor fused_activation_function " +
                        "padding stride_d stride_h stride_w"),
                entry(BuiltinOperator.VAR_HANDLE, "VarHandleOptions", "container shared_name"),
                entry(BuiltinOperator.READ_VARIABLE, "ReadVariableOptions", ""),
                entry(BuiltinOperator.ASSIGN_VARIABLE, "AssignVariableOptions", ""),
                entry(BuiltinOperator.RANDOM_STANDARD_NORMAL, "RandomOptions", "seed seed2"),
                entry(BuiltinOperator.BUCKETIZE,
                        "BucketizeOptions", "boundaries boundaries_as_numpy boundaries_length boundaries_is_none"),
                entry(BuiltinOperator.RANDOM_UNIFORM, "RandomOptions", "seed seed2"),
                entry(BuiltinOperator.GELU, "GeluOptions", "approximate"),
                entry(BuiltinOperator.DYNAMIC_UPDATE_SLICE, "DynamicUpdateSliceOptions", ""),
                entry(BuiltinOperator.UNSORTED_SEGMENT_PROD, "UnsortedSegmentProdOptions", ""),
                entry(BuiltinOperator.UNSORTED_SEGMENT_MAX, "UnsortedSegmentMaxOptions", ""),
                entry(BuiltinOperator.UNSORTED_SEGMENT_MIN, "UnsortedSegmentMinOptions", ""),
                entry(BuiltinOperator.UNSORTED_SEGMENT_SUM, "UnsortedSegmentSumOptions", ""),
                entry(BuiltinOperator.BITCAST, "BitcastOptions", ""),
                entry(BuiltinOperator.BITWISE_XOR, "BitwiseXorOptions", ""),
                entry(BuiltinOperator.RIGHT_SHIFT, "RightShiftOptions", ""));
    }
}
