package npuc.weights;

/**
 * Where one core's part of one depth slice lies in the encoded buffer: its bias/scale records, then (at
 * {@code weightOffset} from the start of the range) its compressed weight stream.
 *
 * @param core          the core that reads this range
 * @param depthOffset   first output channel of the depth slice
 * @param index         position of the range in the buffer, counting from 0
 * @param offset        byte offset of the range in the buffer
 * @param scaleBytes    bytes of bias/scale records (10 per channel of the core), without alignment padding
 * @param weightOffset  offset of the weight stream from {@code offset}
 * @param weightBytes   bytes of the weight stream
 */
public record WeightRange(int core, int depthOffset, int index, long offset, long scaleBytes, long weightOffset,
                          long weightBytes) {
    /** Bytes the NPU reads for this range: records and weights, without the padding between them. */
    public long totalBytes() {
        return scaleBytes + weightBytes;
    }
}
