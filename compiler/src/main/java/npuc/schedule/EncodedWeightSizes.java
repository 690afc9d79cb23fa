package npuc.schedule;

import java.util.List;

/**
 * What the scheduler needs from the weight encoder: the size of an operation's encoded weights and scales for an
 * OFM block depth and a list of OFM depth slices ({@code [0, s1, ..., depth]}). Implementations must be
 * deterministic and safe to call from several compiles at once.
 */
public interface EncodedWeightSizes {
    EncodedWeights encode(SchedulerOperation op, int ofmBlockDepth, List<Integer> depthSlices);
}
