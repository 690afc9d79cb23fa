package npuc.weights;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import npuc.arch.Accelerator;
import npuc.graph.ConstantData;

/**
 * Builds an operation's encoded weight buffer: for each depth slice and each core, the core's bias/scale
 * records and its weights in brick order, compressed.
 */
public final class WeightEncoder {
    private WeightEncoder() {
    }

    /**
     * Encodes weights together with their biases and scales.
     *
     * @param weights  the zero-point corrected weights in OHWI order, or null for a buffer of biases and
     *                 scales only (when identical weights are already encoded for a different rescale)
     * @param biases   one bias per output channel, or null for a buffer of weights only
     * @param scales   the quantised scale per output channel, as many as biases (null with no biases)
     */
    public static EncodedWeights encode(WeightVolume weights, long[] biases, List<QuantisedScale> scales,
            EncodingParameters p) throws WeightEncodingException {
        if (weights == null && biases == null) {
            throw new IllegalArgumentException("nothing to encode: neither weights nor biases");
        }
        if (biases != null && (scales == null || scales.size() != biases.length)) {
            throw new IllegalArgumentException((scales == null ? 0 : scales.size()) + " scales for "
                    + biases.length + " biases");
        }
        int ofmDepth = weights != null ? weights.ofmDepth() : biases.length;
        List<Integer> slices = p.depthSlices();
        if (slices.get(slices.size() - 2) >= ofmDepth) {
            throw new IllegalArgumentException("depth slices " + slices + " start outside the OFM depth " + ofmDepth);
        }
        if (weights != null && weights.maxMagnitude() > CompressedWeightStream.MAX_WEIGHT) {
            throw new WeightEncodingException("weight " + weights.firstOfMagnitude(weights.maxMagnitude())
                    + " (after the zero point) is outside the NPU's 9-bit range [-255, 255]");
        }
        WeightVolume volume = weights != null && p.reversedKernel() ? weights.flippedHw() : weights;
        BlockTraversal traversal = BlockTraversal.DEPTH_FIRST;
        if (weights != null && p.kind() == WeightKind.CONVOLUTION) {
            traversal = BlockTraversal.forConvolution(weights.height(), weights.width(), weights.ifmDepth(),
                    p.ifmBits());
        }
        Accelerator accelerator = p.accelerator();
        int cores = accelerator.cores();
        // One writer for the whole buffer: records and streams all start at multiples of 16 bytes.
        BitWriter stream = new BitWriter(weights == null ? ofmDepth * BiasScaleRecord.BYTES + 16
                : (int) Math.min(Integer.MAX_VALUE - 8, (long) ofmDepth * weights.height() * weights.width()
                        * weights.ifmDepth() + 64L * slices.size() * cores));
        CompressedWeightStream compressor = volume == null ? null : new CompressedWeightStream();
        short[] ordered = new short[0];
        List<WeightRange> ranges = new ArrayList<>();
        long[] sliceBytes = new long[2];
        for (int s = 0; s + 1 < slices.size(); s++) {
            int depthOffset = slices.get(s);
            int depthLength = slices.get(s + 1) - depthOffset;
            int sliceStart = bytesOf(stream);
            for (int core = 0; core < Math.min(cores, ofmDepth); core++) {
                // The OFM block is shared out between the cores channel by channel.
                int coreBlockDepth = (p.ofmBlockDepth() + cores - 1 - core) / cores;
                if (coreBlockDepth == 0) {
                    continue;
                }
                int rangeStart = bytesOf(stream);
                long scaleBytes = 0;
                if (biases != null) {
                    // The records run one slice length from the core's first channel, so with two cores and
                    // an odd slice length the second core's records reach one channel into the next slice.
                    int end = Math.min(depthOffset + core + depthLength, biases.length);
                    for (int c = depthOffset + core; c < end; c += cores) {
                        stream.putBytes(BiasScaleRecord.of(biases[c], scales.get(c)));
                        scaleBytes += BiasScaleRecord.BYTES;
                    }
                    stream.padBytes(CompressedWeightStream.ALIGNMENT);
                }
                long weightOffset = bytesOf(stream) - rangeStart;
                long weightBytes = 0;
                if (volume != null) {
                    BrickOrder order = brickOrder(p, coreBlockDepth, traversal);
                    int first = depthOffset + core;
                    int end = depthOffset + depthLength;
                    int length = order.length(volume, first, end, cores);
                    if (ordered.length < length) {
                        ordered = new short[length];
                    }
                    order.reorder(volume, first, end, cores, ordered);
                    if (length > 0) {
                        compressor.append(ordered, length, stream);
                    }
                    weightBytes = bytesOf(stream) - rangeStart - weightOffset;
                }
                ranges.add(new WeightRange(core, depthOffset, ranges.size(), rangeStart, scaleBytes, weightOffset,
                        weightBytes));
            }
            sliceBytes[s % 2] = Math.max(sliceBytes[s % 2], bytesOf(stream) - sliceStart);
        }
        return new EncodedWeights(ConstantData.wrap(ByteBuffer.wrap(stream.toByteArray())), traversal, slices, ranges,
                sliceBytes[0], sliceBytes[1]);
    }

    /** Bytes written so far; at the points it is asked, the writer is at a byte boundary. */
    private static int bytesOf(BitWriter stream) {
        return (int) (stream.position() >>> 3);
    }

    /** The brick order one core's weights of one slice are streamed in. */
    public static BrickOrder brickOrder(EncodingParameters p, int coreBlockDepth, BlockTraversal traversal) {
        Accelerator a = p.accelerator();
        return new BrickOrder(a.ifmMicroBlock().depth(), a.ofmMicroBlock().depth(), coreBlockDepth,
                p.kind() == WeightKind.DEPTHWISE, traversal, p.ifmBits(),
                Accelerator.SUB_KERNEL_MAX.height() / p.dilationY(), Accelerator.SUB_KERNEL_MAX.width() / p.dilationX());
    }
}
