package npuc.serialise;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import npuc.frontend.ConstArray;
import npuc.frontend.FrontEndResult;
import npuc.frontend.FrontEndResult.OperationInfo;
import npuc.frontend.FrontEndResult.PassInfo;
import npuc.frontend.FrontEndResult.SubgraphPlan;
import npuc.frontend.FrontEndResult.TensorInfo;
import npuc.frontend.TensorPurpose;
import npuc.schedule.NetworkSchedule;
import npuc.schedule.ScheduledOp;
import npuc.schedule.ScheduledSubgraph;
import npuc.weights.BiasScaleRecord;
import npuc.weights.EncodedWeights;

/**
 * Where the NPU's constants lie in the one constant area all NPU subgraphs share (the flash tensor of the
 * optimised model): every subgraph's constant pass inputs other than weights (biases, elementwise operands,
 * lookup tables) in pass order, then the encoded weights of its operations in schedule order; subgraph after
 * subgraph. A tensor and its clones take one region, as does an encoded buffer several operations share. Each
 * region starts where the previous ended, rounded up to 16 bytes.
 *
 * @param constants the regions in address order
 * @param size      bytes of the area: what the permanent-storage memory column counts for the NPU's constants
 */
public record NpuConstantLayout(List<NpuConstant> constants, long size, Map<EncodedWeights, Long> weightOffsets,
                                Map<Integer, Long> tensorOffsets, Map<ByteBuffer, Long> tableOffsets) {
    private static final int ALIGNMENT = 16;

    /**
     * @param weightOffsets where each encoded buffer starts (compared by identity: the schedule's own buffers)
     * @param tensorOffsets where each constant input starts, by equivalence id (a tensor and its clones)
     * @param tableOffsets  where each lookup table starts, by its bytes (equal tables share a region)
     */
    public NpuConstantLayout {
        constants = List.copyOf(constants);
        IdentityHashMap<EncodedWeights, Long> w = new IdentityHashMap<>(weightOffsets);
        weightOffsets = java.util.Collections.unmodifiableMap(w);
        tensorOffsets = Map.copyOf(tensorOffsets);
        tableOffsets = Map.copyOf(tableOffsets);
    }

    /** The offset of {@code weights} in the area: what an operation's weight addresses are based on. */
    public long offsetOf(EncodedWeights weights) {
        Long offset = weightOffsets.get(weights);
        if (offset == null) {
            throw new IllegalArgumentException("encoded weights not in this layout");
        }
        return offset;
    }

    /** The offset of a lookup table, whether an input of its pass or fused into the pass's operation. */
    public long offsetOf(ConstArray table) {
        Long offset = tableOffsets.get(ByteBuffer.wrap(table.bytes()));
        if (offset == null) {
            throw new IllegalArgumentException("lookup table not in this layout");
        }
        return offset;
    }

    /** The offset of the lookup table {@code pass}'s operation applies: an input of the pass, or fused into it. */
    public long lookupTableOffset(PassInfo pass) {
        for (TensorInfo t : pass.inputs()) {
            if (t != null && t.purpose() == TensorPurpose.LUT) {
                return offsetOf(t.values());
            }
        }
        ConstArray table = fusedLut(pass);
        if (table == null) {
            throw new IllegalArgumentException("pass " + pass.name() + " applies no lookup table");
        }
        return offsetOf(table);
    }

    /** The offset of the constant {@code tensor} (a bias, an elementwise operand, a lookup table) in the area. */
    public long offsetOf(TensorInfo tensor) {
        Long offset = tensorOffsets.get(tensor.equivalenceId());
        if (offset == null) {
            throw new IllegalArgumentException("tensor " + tensor.name() + " is not an NPU constant of this layout");
        }
        return offset;
    }

    /** The layout of the constants of every NPU subgraph of {@code frontEnd} as {@code schedule} uses them. */
    public static NpuConstantLayout of(FrontEndResult frontEnd, NetworkSchedule schedule) {
        List<SubgraphPlan> plans = frontEnd.npuSubgraphs();
        if (plans.size() != schedule.subgraphs().size()) {
            throw new IllegalArgumentException(plans.size() + " NPU subgraphs but " + schedule.subgraphs().size()
                    + " schedules");
        }
        Set<Integer> encodedBiases = new HashSet<>();
        Set<Integer> copiedInputs = new HashSet<>();
        for (ScheduledSubgraph sg : schedule.subgraphs()) {
            for (ScheduledOp op : sg.ops()) {
                OperationInfo primary = op.op().primary();
                // Encoding a bias turns its elements into 10-byte records, and the region reserved for the
                // bias tensor is sized by that element size even though its records live in the weights.
                if (op.schedule().weights() != null && primary.bias() != null) {
                    encodedBiases.add(primary.bias().equivalenceId());
                }
                // Only the operation's own feature-map operands and lookup tables have their values copied.
                if (primary.ifm() != null) {
                    copiedInputs.add(primary.ifm().equivalenceId());
                }
                if (primary.ifm2() != null) {
                    copiedInputs.add(primary.ifm2().equivalenceId());
                }
            }
        }
        Map<Integer, Long> tensorRegions = new LinkedHashMap<>();
        Map<EncodedWeights, Long> weightRegions = new IdentityHashMap<>();
        // Equal tables share one region whichever tensor holds them: their identity is their values.
        Map<ByteBuffer, Long> lutRegions = new HashMap<>();
        List<NpuConstant> constants = new ArrayList<>();
        long address = 0;
        for (int s = 0; s < plans.size(); s++) {
            for (PassInfo pass : plans.get(s).passes()) {
                List<TensorInfo> tensors = new ArrayList<>(pass.inputs());
                tensors.addAll(pass.outputs());
                for (TensorInfo t : tensors) {
                    if (t == null || t.values() == null || t.purpose() == TensorPurpose.WEIGHTS
                            || tensorRegions.containsKey(t.equivalenceId())) {
                        continue;
                    }
                    boolean lut = t.purpose() == TensorPurpose.LUT;
                    if (lut) {
                        Long shared = lutRegions.putIfAbsent(ByteBuffer.wrap(t.values().bytes()), address);
                        if (shared != null) {
                            tensorRegions.put(t.equivalenceId(), shared);
                            continue;
                        }
                    }
                    tensorRegions.put(t.equivalenceId(), address);
                    int elementBytes = encodedBiases.contains(t.equivalenceId()) ? BiasScaleRecord.BYTES
                            : t.type().bytes();
                    long reserved = roundUp(Math.max(1, elements(t) * elementBytes));
                    byte[] contents = lut || copiedInputs.contains(t.equivalenceId()) ? t.values().bytes()
                            : new byte[0];
                    constants.add(new NpuConstant(t.name(), lut ? NpuConstant.Kind.LUT
                            : NpuConstant.Kind.CONSTANT_INPUT, address, reserved, contents));
                    address += reserved;
                }
                // A lookup table fused into the pass's primary operation is one more input after the others.
                ConstArray table = fusedLut(pass);
                if (table != null && lutRegions.putIfAbsent(ByteBuffer.wrap(table.bytes()), address) == null) {
                    long reserved = roundUp(Math.max(1, table.byteSize()));
                    constants.add(new NpuConstant(pass.primaryOp().name() + "_lut", NpuConstant.Kind.LUT, address,
                            reserved, table.bytes()));
                    address += reserved;
                }
            }
            for (ScheduledOp op : schedule.subgraphs().get(s).ops()) {
                EncodedWeights w = op.schedule().weights();
                if (w == null || weightRegions.putIfAbsent(w, address) != null) {
                    continue;
                }
                long reserved = roundUp(w.size());
                String name = op.op().primary().weights() != null ? op.op().primary().weights().name()
                        : op.op().name();
                constants.add(new NpuConstant(name, NpuConstant.Kind.ENCODED_WEIGHTS, address, reserved,
                        w.bytes().toArray()));
                address += reserved;
            }
        }
        return new NpuConstantLayout(constants, address, weightRegions, tensorRegions, lutRegions);
    }

    /** The bytes of the constant area: each region's contents at its offset, zeros elsewhere. */
    public byte[] image() {
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("NPU constants of " + size + " bytes do not fit one flash image");
        }
        byte[] image = new byte[(int) size];
        for (NpuConstant c : constants) {
            if (c.contentLength() > c.reserved()) {
                throw new IllegalStateException(c.name() + " holds " + c.contentLength() + " bytes in a region of "
                        + c.reserved());
            }
            c.copyInto(image);
        }
        return image;
    }

    /** The region holding byte {@code offset}, or null past the end. */
    public NpuConstant constantAt(long offset) {
        for (NpuConstant c : constants) {
            if (offset >= c.offset() && offset < c.offset() + c.reserved()) {
                return c;
            }
        }
        return null;
    }

    /** The table of a lookup-table activation fused into the pass's primary operation, when no input holds it. */
    private static ConstArray fusedLut(PassInfo pass) {
        OperationInfo primary = pass.primaryOp();
        if (primary == null || primary.activation() == null || primary.activation().lut() == null) {
            return null;
        }
        for (TensorInfo t : pass.inputs()) {
            if (t != null && t.purpose() == TensorPurpose.LUT) {
                return null;
            }
        }
        return primary.activation().lut();
    }

    private static long elements(TensorInfo t) {
        long n = 1;
        for (int d : t.shape()) {
            n *= d;
        }
        return n;
    }

    private static long roundUp(long n) {
        return (n + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }
}
