package npuc.weights;

import java.util.List;

import npuc.graph.ConstantData;

/**
 * An operation's encoded weights: one buffer holding, for each depth slice in order and each core within
 * it, that core's bias/scale records (16-byte aligned) and compressed weight stream. A core takes every
 * n-th output channel of a slice, so the U65-512's two cores read interleaved ranges of the same buffer.
 *
 * @param bytes            the buffer, as it is placed in the model's constant area
 * @param traversal        the block traversal the weights are stored in (the command stream must match)
 * @param depthSlices      the slice boundaries: first output channel of each slice, then the OFM depth
 * @param ranges           one range per (slice, core with channels), in buffer order
 * @param evenSliceBytes   largest number of bytes of an even-numbered slice (slice 0, 2, ...)
 * @param oddSliceBytes    largest number of bytes of an odd-numbered slice (0 with a single slice)
 */
public record EncodedWeights(ConstantData bytes, BlockTraversal traversal, List<Integer> depthSlices,
                             List<WeightRange> ranges, long evenSliceBytes, long oddSliceBytes) {
    public EncodedWeights {
        depthSlices = List.copyOf(depthSlices);
        ranges = List.copyOf(ranges);
    }

    /** Bytes of the buffer: what the summary's total_npu_encoded_weights adds up per distinct buffer. */
    public long size() {
        return bytes.size();
    }

    /**
     * The two weight buffers double buffering needs: slices alternate between them, so each must hold the
     * largest slice of its parity. Their sum is the memory double buffering costs.
     */
    public long doubleBufferSize() {
        return evenSliceBytes + oddSliceBytes;
    }

    /**
     * Bytes of the first transfer into a weight buffer: the first depth slice of every core, each core's part
     * rounded up to 16 bytes.
     */
    public long firstSliceTransferBytes() {
        return sliceTransferBytes(depthSlices.get(0));
    }

    /** Bytes of the transfer of the depth slice starting at {@code depthOffset}: every core's part rounded up to 16. */
    public long sliceTransferBytes(int depthOffset) {
        long bytes = 0;
        for (WeightRange r : ranges) {
            if (r.depthOffset() == depthOffset) {
                bytes += (r.totalBytes() + 15) / 16 * 16;
            }
        }
        return bytes;
    }

    /** The larger of the two double-buffering buffers. */
    public long largestSliceBytes() {
        return Math.max(evenSliceBytes, oddSliceBytes);
    }

    /** The range of {@code core} in the slice starting at {@code depthOffset}, or null when it has none. */
    public WeightRange range(int core, int depthOffset) {
        for (WeightRange r : ranges) {
            if (r.core() == core && r.depthOffset() == depthOffset) {
                return r;
            }
        }
        return null;
    }

    /** The ranges of one core, in buffer order. */
    public List<WeightRange> rangesOfCore(int core) {
        return ranges.stream().filter(r -> r.core() == core).toList();
    }
}
