package npuc.schedule;

import java.util.Arrays;

/**
 * Sizes of one operation's encoded weight stream for one block depth and set of OFM depth slices.
 *
 * @param totalBytes          the whole stream: every slice, every core, scales and weights, 16-byte aligned parts
 * @param sliceBytes          bytes of each depth slice (all cores)
 * @param firstTransferBytes  bytes of the first slice summed over cores, each core's part 16-aligned: the first DMA
 */
public record EncodedWeights(long totalBytes, long[] sliceBytes, long firstTransferBytes) {
    public EncodedWeights {
        sliceBytes = sliceBytes.clone();
    }

    /** Sizes of the two weight buffers if double buffered: the largest even and the largest odd slice. */
    public long doubleBufferSize(int buffer) {
        long max = 0;
        for (int i = buffer; i < sliceBytes.length; i += 2) {
            max = Math.max(max, sliceBytes[i]);
        }
        return max;
    }

    public long doubleBufferTotal() {
        return doubleBufferSize(0) + doubleBufferSize(1);
    }

    public long maxSliceBytes() {
        return Math.max(doubleBufferSize(0), doubleBufferSize(1));
    }

    @Override
    public long[] sliceBytes() {
        return sliceBytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EncodedWeights e && totalBytes == e.totalBytes && firstTransferBytes == e.firstTransferBytes
                && Arrays.equals(sliceBytes, e.sliceBytes);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(totalBytes) * 31 + Arrays.hashCode(sliceBytes);
    }
}
