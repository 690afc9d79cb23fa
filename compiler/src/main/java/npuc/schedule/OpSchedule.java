package npuc.schedule;

import java.util.List;

import npuc.frontend.Shape4;
import npuc.perf.BlockConfig;
import npuc.perf.CycleCost;
import npuc.weights.EncodedWeights;

/**
 * How one operation runs in one schedule.
 *
 * @param stripeInput            IFM stripe read per OFM stripe
 * @param stripeInput2           second-IFM stripe, null without one
 * @param stripe                 OFM stripe produced at a time (the whole OFM when not striped)
 * @param cascade                index of the last operation of the cascade holding this one, 0 when none
 * @param depthSlices            OFM depth slices the weights are encoded in, {@code [0, ..., depth]}
 * @param weights                the encoded weights used, null for operations without weights
 * @param weightBuffers          sizes of the fast-storage weight buffers (none, one, or two when double buffered)
 * @param doubleBuffered         two weight buffers whose transfers overlap compute
 * @param preBuffer              the first weight buffer is filled under the previous operation
 * @param cycles                 compute cycles at full depth
 * @param slackBufferingCycles   cycles of this operation's tail under which the next one's weights may load
 * @param slackBufferingMemory   fast storage left after this operation's buffers
 * @param fullWeightTransferCycles DMA cycles of the whole encoded stream
 */
public record OpSchedule(BlockConfig blockConfig, Shape4 stripeInput, Shape4 stripeInput2, Shape4 stripe, int cascade,
                         List<Integer> depthSlices, EncodedWeights weights, List<Long> weightBuffers,
                         boolean doubleBuffered, boolean preBuffer, CycleCost cycles, double slackBufferingCycles,
                         long slackBufferingMemory, double fullWeightTransferCycles) {
    public OpSchedule {
        depthSlices = List.copyOf(depthSlices);
        weightBuffers = List.copyOf(weightBuffers);
    }

    public boolean isBuffered() {
        return !weightBuffers.isEmpty();
    }

    public long weightBufferBytes() {
        return weightBuffers.stream().mapToLong(Long::longValue).sum();
    }

    OpSchedule withCascade(int c) {
        return new OpSchedule(blockConfig, stripeInput, stripeInput2, stripe, c, depthSlices, weights, weightBuffers,
                doubleBuffered, preBuffer, cycles, slackBufferingCycles, slackBufferingMemory,
                fullWeightTransferCycles);
    }
}
