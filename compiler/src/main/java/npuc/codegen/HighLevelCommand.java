package npuc.codegen;

import npuc.schedule.ScheduledOp;

/** One step of an NPU subgraph's high-level command stream: a stripe of an operation, or a DMA before one. */
public sealed interface HighLevelCommand {
    ScheduledOp op();

    /**
     * One stripe of an operation: the OFM box it writes, the IFM (and IFM2) boxes it reads, the OFM channels of
     * the weights it uses and, when the weights are buffered in fast storage, which buffer holds them.
     *
     * @param ifm2Box       null without a second IFM
     * @param weightBuffer  index of the fast-storage weight buffer, -1 when weights are read where they are stored
     * @param padTop        rows of padding above this stripe's IFM box (used when the OFM is split in height)
     * @param padBottom     rows of padding below it
     */
    record NpuStripe(ScheduledOp op, Box ifmBox, Box ifm2Box, Box ofmBox, int weightDepthStart, int weightDepthEnd,
                     int weightBuffer, boolean firstHeightStripe, boolean lastHeightStripe, int padTop,
                     int padBottom) implements HighLevelCommand {
    }

    /**
     * The operation's activation lookup table at {@code shramAddress} in the NPU's SHRAM (-1 until placed): copied
     * there when {@code transfer}, else already present from an earlier operation.
     */
    record LutDma(ScheduledOp op, int shramAddress, boolean transfer) implements HighLevelCommand {
    }

    /** Copies a whole feature map to where the operation's OFM is (a memory copy the NPU does by DMA). */
    record FeatureMapDma(ScheduledOp op) implements HighLevelCommand {
    }

    /** Copies the encoded weights of the OFM channels from {@code depthStart} into fast-storage weight buffer. */
    record WeightDma(ScheduledOp op, int depthStart, int buffer) implements HighLevelCommand {
    }
}
