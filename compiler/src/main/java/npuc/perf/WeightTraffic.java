package npuc.perf;

import npuc.arch.MemoryArea;

/**
 * How an operation gets its encoded weights and scales.
 *
 * @param area              where the encoded stream is stored
 * @param encodedBytes      length of the encoded stream (weights and scales, all slices and cores)
 * @param originalElements  weight elements before encoding (for the compression ratio of weight reads)
 * @param buffered          how the stream is copied into fast storage first; null when read in place
 * @param biasElementBytes  bytes per output channel the reference counts for scale and bias reads: a record
 *                          ({@link #SCALE_RECORD_BYTES}) once the operation's bias has been encoded, else the
 *                          bias's own element size (an operation reusing another's encoding with equal scales)
 */
public record WeightTraffic(MemoryArea area, long encodedBytes, long originalElements, Buffering buffered,
                            int biasElementBytes) {

    /** Bytes of one scale-and-bias record in the encoded stream. */
    public static final int SCALE_RECORD_BYTES = 10;

    /**
     * Weight buffering in fast storage.
     *
     * @param bufferArea           where the buffers are
     * @param doubleBuffered       two buffers, the next slice's transfer overlapping the current slice's compute
     * @param firstTransferBytes   bytes of the first DMA (the first depth slice of every core, 16-aligned)
     * @param fullTransferCycles   DMA cycles of the whole stream
     * @param slackBufferingCycles compute cycles of the operation's last slice, under which the next
     *                             operation's first transfer may run
     */
    public record Buffering(MemoryArea bufferArea, boolean doubleBuffered, long firstTransferBytes,
                            double fullTransferCycles, double slackBufferingCycles) {
    }
}
