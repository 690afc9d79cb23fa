package npuc.tflite;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import npuc.frontend.FrontEndResult;
import npuc.frontend.FrontEndResult.OperationInfo;
import npuc.frontend.FrontEndResult.PassInfo;
import npuc.frontend.FrontEndResult.SubgraphPlan;
import npuc.frontend.FrontEndResult.TensorInfo;
import npuc.frontend.OpType;
import npuc.frontend.PassPlacement;
import npuc.frontend.Quant;
import npuc.graph.Buffer;
import npuc.graph.BuiltinOperator;
import npuc.graph.BuiltinOptions;
import npuc.graph.ConstantData;
import npuc.graph.DataType;
import npuc.graph.Graph;
import npuc.graph.Metadata;
import npuc.graph.Operator;
import npuc.graph.OperatorCode;
import npuc.graph.Quantization;
import npuc.graph.Subgraph;
import npuc.graph.Tensor;
import npuc.serialise.NpuConstantLayout;

/**
 * Builds the optimised model as Vela lays it out: one subgraph in which every NPU subgraph is a call to an
 * {@code ethos-u} custom operator and the CPU operators are the input model's, unchanged. An ethos-u operator's
 * inputs are its subgraph's command stream, the flash tensor shared by all of them (the NPU constants), the
 * scratch and fast-scratch arenas, then the feature maps it reads; its outputs are the feature maps it writes
 * that the CPU or the model's caller reads. Tensors are sorted by name; feature maps in the arena point at the
 * empty buffer; the metadata keeps the input model's entries and adds the reference's version and the arena
 * addresses (OfflineMemoryAllocation) that TFLite Micro reads.
 */
public final class OptimisedModelWriter {
    /** The Vela release whose optimised-model format this reproduces, as its metadata and description say. */
    public static final String FORMAT_VERSION = "3.10.0";
    static final String CUSTOM_CODE = "ethos-u";
    /** The ethos-u operator's custom options: a flexbuffer holding the operator kind (1, an NPU call). */
    static final byte[] CUSTOM_OPTIONS = {0x01, 0x04, 0x01};
    static final String OFFLINE_ALLOCATION = "OfflineMemoryAllocation";

    /**
     * Vela's operation types in the order it defines them: operator codes are sorted by it. Types not listed
     * sort after these by name.
     */
    private static final List<String> OPERATION_ORDER = List.of(("Abs Add AddN Any ArgMax ArgMin AvgPool Atan2 "
            + "BatchMatMul BatchToSpaceND BidirectionalSequenceLstm BidirectionalSequenceRnn CLZ Call Cast Ceil Clamp "
            + "Clip Concat ConcatEmbeddings ConcatSliceWrite ConcatTFLite Const Conv2D Conv2DBackpropInput "
            + "Conv2DBackpropInputSwitchedBias Conv2DBias Cos Cumsum Custom CustomNpuOp Delegate Densify "
            + "DepthToSpace DepthwiseConv2DBias Dequantize Div Memcpy Elu EmbeddingLookup EmbeddingLookupSparse "
            + "Equal Exp ExpandDims FakeQuantWithMinMaxArgs Fill Floor FloorDiv FloorMod FullyConnected GatherNd "
            + "GatherV2 Greater GreaterEqual HardSwish HashtableLookup Identity If L2Norm L2Pool2D LRN "
            + "LSHProjection LeakyRelu Less LessEqual Log LogSoftmax LogicalAnd LogicalNot LogicalOr Lstm LUT "
            + "MatMul MatrixDiag MatrixSetDiag Max MaxPool Maximum Mean Min Minimum MirrorPad Mul Neg "
            + "NonMaxSuppressionV4 NonMaxSuppressionV5 NotEqual OneHot Pack PackReshaped Pad PadV2 Placeholder "
            + "Pow Prelu Prod Quantize QuantizedAvgPool QuantizedConv2D QuantizedMatMul QuantizedMaxPool "
            + "QuantizedReshape Range Rank ReduceSum Relu Relu0To1 Relu6 ReluN1To1 ReluN Rescale Reshape "
            + "ResizeBilinear ResizeNearestNeighbor ReverseSequence ReverseV2 Rnn Round Rsqrt SHL SHR ScatterNd "
            + "SegmentSum Select SelectV2 Shape Sigmoid Sign SignBit Sin SkipGram Slice Softmax SpaceToBatchND "
            + "SpaceToDepth SparseToDense Split SplitSliceRead SplitV Sqrt Square SquaredDifference Squeeze "
            + "StridedSlice Sub SubgraphInput Sum Svdf Table Tanh Tile TopKV2 Transpose UnidirectionalSequenceLstm "
            + "UnidirectionalSequenceRnn Unique Unpack UnpackReshaped VariableTensorWrite Where While ZerosLike "
            + "CallOnce BroadcastTo Rfft2D Conv3D Imag Real ComplexAbs Hashtable HashtableFind HashtableImport "
            + "HashtableSize ReduceAll Conv3DTranspose VarHandle ReadVariable AssignVariable BroadcastArgs "
            + "RandomStandardNormal Bucketize RandomUniform Multinomial Gelu DynamicUpdateSlice UnsortedSegmentProd "
            + "UnsortedSegmentMax UnsortedSegmentMin UnsortedSegmentSum Bitcast BitwiseXor RightShift").split(" "));

    private OptimisedModelWriter() {
    }

    /** The optimised model's bytes. */
    public static byte[] write(Graph input, FrontEndResult frontEnd, NpuConstantLayout constants,
            List<NpuSubgraphStream> streams, ArenaLayout arena) {
        return TfliteWriter.write(build(input, frontEnd, constants, streams, arena));
    }

    /**
     * The optimised model as a value.
     *
     * @param input     the model that was compiled
     * @param frontEnd  its partition into CPU and NPU passes
     * @param constants the NPU constants, which become the flash tensor
     * @param streams   one command stream per NPU subgraph, in subgraph order
     * @param arena     where the arena allocation put the feature maps
     * @throws IllegalArgumentException when the streams do not match the NPU subgraphs one for one, or a feature
     *                                  map in the arena has no address
     * @throws OptimisedModelException  when the model is of a kind the writer cannot lay out (several
     *                                  subgraphs, CPU operations the front end made)
     */
    public static Graph build(Graph input, FrontEndResult frontEnd, NpuConstantLayout constants,
            List<NpuSubgraphStream> streams, ArenaLayout arena) {
        return new Build(input, frontEnd, constants, streams, arena).graph();
    }

    /** A tensor of the optimised model before buffers are numbered. */
    private record Entry(Tensor tensor, ConstantData data, boolean inArena, int equivalenceId, int firstSeen) {
    }

    /** A feature map of the compiled graph that is not one of the input model's tensors. */
    private record FeatureMapKey(int equivalenceId) {
    }

    /** An operator before its operator code and tensors are numbered. */
    private record PendingOp(OpKey code, List<Object> inputs, List<Object> outputs, List<Object> intermediates,
                             Operator original) {
    }

    /** What sorts and identifies an operator code: Vela's operation type, custom code and version. */
    private record OpKey(String velaType, int builtinCode, String customCode, int version) {
        int typeRank() {
            int i = OPERATION_ORDER.indexOf(velaType);
            return i >= 0 ? i : OPERATION_ORDER.size();
        }
    }

    private static final Comparator<OpKey> CODE_ORDER = Comparator.comparingInt(OpKey::typeRank)
            .thenComparing(OpKey::velaType).thenComparing(k -> k.customCode() == null ? "" : k.customCode())
            .thenComparingInt(OpKey::version);

    private static final class Build {
        private final Graph input;
        private final Subgraph root;
        private final FrontEndResult frontEnd;
        private final NpuConstantLayout constants;
        private final List<NpuSubgraphStream> streams;
        private final ArenaLayout arena;
        /**
         * Tensors by key: an Integer is an input-model tensor's index, a String names a tensor this writer makes
         * (command streams, flash, scratch areas), a {@link FeatureMapKey} a feature map the input model lacks.
         */
        private final Map<Object, Entry> tensors = new LinkedHashMap<>();
        private final List<PendingOp> ops = new ArrayList<>();

        Build(Graph input, FrontEndResult frontEnd, NpuConstantLayout constants, List<NpuSubgraphStream> streams,
                ArenaLayout arena) {
            this.input = Objects.requireNonNull(input, "input");
            this.root = input.subgraphs().get(0);
            this.frontEnd = frontEnd;
            this.constants = constants;
            this.streams = List.copyOf(streams);
            this.arena = arena;
        }

        Graph graph() {
            List<SubgraphPlan> npu = frontEnd.npuSubgraphs();
            if (npu.size() != streams.size()) {
                throw new IllegalArgumentException(npu.size() + " NPU subgraphs but " + streams.size()
                        + " command streams");
            }
            for (int i = 0; i < npu.size(); i++) {
                if (!npu.get(i).name().equals(streams.get(i).subgraph())) {
                    throw new IllegalArgumentException("command stream " + i + " is for " + streams.get(i).subgraph()
                            + ", not " + npu.get(i).name());
                }
            }
            if (input.subgraphs().size() != 1) {
                throw new OptimisedModelException("the model has " + input.subgraphs().size()
                        + " subgraphs; optimised models are written for models of one subgraph only");
            }
            for (int i : root.inputs()) {
                addInputTensor(i);
            }
            int call = 0;
            Set<Integer> written = new HashSet<>();
            for (PassInfo pass : frontEnd.subgraphs().get(0).passes()) {
                if (pass.placement() == PassPlacement.STARTUP_INIT || pass.ops().isEmpty()) {
                    continue;
                }
                if (pass.ops().get(0).type() == OpType.CustomNpuOp) {
                    addNpuCall(npu, call++);
                    continue;
                }
                for (OperationInfo op : pass.ops()) {
                    if (op.type().isStartup()) {
                        continue;
                    }
                    if (op.opIndex() == null) {
                        throw new OptimisedModelException("the CPU operation " + op.name() + " (" + op.typeName()
                                + ") is not an operator of the input model, and only those are written back");
                    }
                    if (written.add(op.opIndex())) {
                        addCpuOperator(op);
                    }
                }
            }
            return assemble();
        }

        private void addCpuOperator(OperationInfo info) {
            Operator op = root.operators().get(info.opIndex());
            OperatorCode code = input.operatorCode(op);
            String custom = code.isCustom() ? code.customCode() : null;
            OpKey key = new OpKey(info.typeName(), code.builtinCode(), custom, code.version());
            ops.add(new PendingOp(key, rewired(op.inputs(), info.inputs()), rewired(op.outputs(), info.outputs()),
                    intermediates(op.intermediates()), op));
        }

        /**
         * A CPU operator's tensors as the front end left them: where a rewrite bypassed the operator that fed it
         * (an identity resize, a reshape), it reads the tensor it now reads, as Vela writes it.
         */
        private List<Object> rewired(List<Integer> original, List<TensorInfo> now) {
            if (now.size() != original.size()) {
                return keys(original);
            }
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < original.size(); i++) {
                TensorInfo t = now.get(i);
                int j = original.get(i);
                boolean bypassed = t != null && j >= 0 && t.values() == null && !isConstant(j)
                        && !root.tensors().get(j).name().equals(t.name());
                out.add(bypassed ? modelTensor(t) : keys(List.of(j)).get(0));
            }
            return out;
        }

        private List<Object> intermediates(List<Integer> indices) {
            for (int i : indices) {
                if (i >= 0) {
                    addInputTensor(i, false);
                }
            }
            return keys(indices);
        }

        private boolean isConstant(int tensor) {
            int buffer = root.tensors().get(tensor).buffer();
            return buffer > 0 && buffer < input.buffers().size() && !input.buffers().get(buffer).data().isEmpty();
        }

        private List<Object> keys(List<Integer> indices) {
            List<Object> out = new ArrayList<>();
            for (int i : indices) {
                if (i < 0) {
                    out.add(null);
                } else {
                    addInputTensor(i);
                    out.add(i);
                }
            }
            return out;
        }

        private void addInputTensor(int index) {
            addInputTensor(index, true);
        }

        /**
         * Adds input-model tensor {@code index}. A tensor without data is an arena feature map unless
         * {@code arenaIfEmpty} is false: a CPU operator's intermediates are scratch of the CPU kernel, which Vela
         * leaves out of the arena (its own empty buffer, offset -1).
         */
        private void addInputTensor(int index, boolean arenaIfEmpty) {
            if (tensors.containsKey(index)) {
                return;
            }
            Tensor t = root.tensors().get(index);
            ConstantData data = t.buffer() > 0 && t.buffer() < input.buffers().size()
                    ? input.buffers().get(t.buffer()).data() : ConstantData.EMPTY;
            // Vela writes neither shape signatures nor has_rank, and drops quantization without scale or zero point.
            Quantization q = t.quantization();
            if (q != null && q.scale().isEmpty() && q.zeroPoint().isEmpty()) {
                q = null;
            }
            Tensor copy = new Tensor(t.name(), t.shape(), null, t.type(), 0, q, t.variable(), false);
            tensors.put(index, new Entry(copy, data, arenaIfEmpty && data.isEmpty(), index, tensors.size()));
        }

        private void addNpuCall(List<SubgraphPlan> npu, int index) {
            SubgraphPlan sg = npu.get(index);
            String first = npu.get(0).name();
            String stream = sg.name() + "_command_stream";
            byte[] payload = streams.get(index).payload();
            addMadeTensor(stream, payload.length, ConstantData.copyOf(payload), false);
            if (!tensors.containsKey(first + "_flash")) {
                byte[] image = constants.image();
                addMadeTensor(first + "_flash", image.length, ConstantData.copyOf(image), false);
            }
            addMadeTensor(first + "_scratch", arena.scratchSize(), ConstantData.EMPTY, true);
            addMadeTensor(first + "_scratch_fast", arena.scratchFastSize(), ConstantData.EMPTY, true);
            List<Object> in = new ArrayList<>(List.of(stream, first + "_flash", first + "_scratch",
                    first + "_scratch_fast"));
            PassInfo call = frontEnd.callOf(sg);
            for (TensorInfo t : call.inputs()) {
                in.add(modelTensor(t));
            }
            List<Object> out = new ArrayList<>();
            for (TensorInfo t : call.outputs()) {
                out.add(modelTensor(t));
            }
            OpKey key = new OpKey(OpType.CustomNpuOp.name(), BuiltinOperator.CUSTOM.code(), CUSTOM_CODE, 1);
            ops.add(new PendingOp(key, in, out, List.of(), null));
        }

        private void addMadeTensor(String name, long size, ConstantData data, boolean inArena) {
            if (tensors.containsKey(name)) {
                return;
            }
            if (size > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(name + " of " + size + " bytes does not fit a tensor shape");
            }
            Tensor t = new Tensor(name, List.of((int) size), null, DataType.UINT8, 0, null, false, false);
            tensors.put(name, new Entry(t, data, inArena, -1, tensors.size()));
        }

        /** The key of the input-model tensor behind {@code t}, adding a tensor of its own when there is none. */
        private Object modelTensor(TensorInfo t) {
            int id = t.equivalenceId();
            // The front end numbers the input model's tensors first, in file order.
            if (id >= 0 && id < root.tensors().size() && root.tensors().get(id).name().equals(t.name())) {
                addInputTensor(id);
                return id;
            }
            for (int i = 0; i < root.tensors().size(); i++) {
                if (root.tensors().get(i).name().equals(t.name())) {
                    addInputTensor(i);
                    return i;
                }
            }
            FeatureMapKey key = new FeatureMapKey(t.equivalenceId());
            if (!tensors.containsKey(key)) {
                Tensor made = new Tensor(t.name(), t.shape(), null, t.type(), 0, quantization(t.quantization()),
                        false, false);
                tensors.put(key, new Entry(made, ConstantData.EMPTY, true, t.equivalenceId(), tensors.size()));
            }
            return key;
        }

        private static Quantization quantization(Quant q) {
            if (q == null) {
                return null;
            }
            List<Float> scales = q.scales().stream().map(Double::floatValue).toList();
            return new Quantization(List.of(), List.of(), scales, q.zeroPoints(), 0);
        }

        private Graph assemble() {
            boolean hasArena = !frontEnd.npuSubgraphs().isEmpty();
            List<Map.Entry<Object, Entry>> sorted = new ArrayList<>(tensors.entrySet());
            sorted.sort(Comparator.comparing((Map.Entry<Object, Entry> e) -> e.getValue().tensor().name())
                    .thenComparingInt(e -> e.getValue().firstSeen()));
            Map<Object, Integer> index = new HashMap<>();
            List<Tensor> outTensors = new ArrayList<>();
            List<Buffer> buffers = new ArrayList<>();
            buffers.add(Buffer.EMPTY);
            List<Integer> offsets = new ArrayList<>();
            for (Map.Entry<Object, Entry> e : sorted) {
                Entry entry = e.getValue();
                int buffer = 0;
                if (!(hasArena && entry.inArena())) {
                    buffer = buffers.size();
                    buffers.add(new Buffer(entry.data()));
                }
                Tensor t = entry.tensor();
                index.put(e.getKey(), outTensors.size());
                outTensors.add(new Tensor(t.name(), t.shape(), null, t.type(), buffer, t.quantization(),
                        t.variable(), false));
                offsets.add(entry.inArena() ? arenaAddress(e.getKey(), entry) : -1);
            }
            List<OpKey> codes = ops.stream().map(PendingOp::code).distinct().sorted(CODE_ORDER).toList();
            List<OperatorCode> operatorCodes = codes.stream()
                    .map(k -> new OperatorCode(k.builtinCode(), k.customCode(), k.version())).toList();
            List<Operator> operators = new ArrayList<>();
            for (PendingOp op : ops) {
                int code = codes.indexOf(op.code());
                List<Integer> in = indices(op.inputs(), index, true);
                List<Integer> out = indices(op.outputs(), index, false);
                List<Integer> mid = indices(op.intermediates(), index, false);
                if (op.original() == null) {
                    operators.add(new Operator(code, in, out, mid, null, ConstantData.copyOf(CUSTOM_OPTIONS),
                            List.of()));
                } else {
                    Operator o = op.original();
                    BuiltinOptions options = o.options() != null ? o.options()
                            : DefaultBuiltinOptions.of(BuiltinOperator.fromCode(op.code().builtinCode()));
                    operators.add(new Operator(code, in, out, mid, options, o.customOptions(), List.of()));
                }
            }
            List<Integer> inputs = new ArrayList<>();
            for (int i : root.inputs()) {
                inputs.add(index.get(i));
            }
            List<Integer> outputs = new ArrayList<>();
            for (int i : root.outputs()) {
                if (index.containsKey(i)) {
                    outputs.add(index.get(i));
                }
            }
            List<Metadata> metadata = new ArrayList<>();
            boolean hasOffline = false;
            for (Metadata m : input.metadata()) {
                hasOffline |= m.name().equals(OFFLINE_ALLOCATION);
                metadata.add(new Metadata(m.name(), buffers.size()));
                buffers.add(input.buffers().get(m.buffer()));
            }
            metadata.add(new Metadata("vela_version", buffers.size()));
            buffers.add(new Buffer(ConstantData.copyOf(FORMAT_VERSION.getBytes(StandardCharsets.US_ASCII))));
            if (!hasOffline) {
                metadata.add(new Metadata(OFFLINE_ALLOCATION, buffers.size()));
                buffers.add(new Buffer(offlineAllocation(offsets)));
            }
            Subgraph sg = new Subgraph(root.name() == null ? "" : root.name(), outTensors, inputs, outputs, operators);
            return new Graph(3, "Vela " + FORMAT_VERSION + " Optimised", operatorCodes, List.of(sg), buffers,
                    metadata, List.of());
        }

        private int arenaAddress(Object key, Entry entry) {
            if (key instanceof String) {
                return 0; // the scratch areas themselves start the arena
            }
            Long address = arena.addresses().get(entry.equivalenceId());
            if (address == null) {
                throw new IllegalArgumentException("no arena address for tensor '" + entry.tensor().name() + "'");
            }
            return Math.toIntExact(address);
        }

        private static List<Integer> indices(List<Object> keys, Map<Object, Integer> index, boolean keepAbsent) {
            List<Integer> out = new ArrayList<>();
            for (Object k : keys) {
                if (k == null) {
                    if (keepAbsent) {
                        out.add(-1);
                    }
                } else {
                    out.add(index.get(k));
                }
            }
            return out;
        }

        /** TFLite Micro's offline plan: version 0, one subgraph, the tensor count, each tensor's arena offset. */
        private static ConstantData offlineAllocation(List<Integer> offsets) {
            ByteBuffer b = ByteBuffer.allocate(4 * (3 + offsets.size())).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(0).putInt(1).putInt(offsets.size());
            offsets.forEach(b::putInt);
            return ConstantData.copyOf(b.array());
        }
    }
}
