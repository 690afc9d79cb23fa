package npuc.schedule;

import java.util.List;

import npuc.weights.EncodedWeights;

/**
 * What the scheduler needs from the weight encoder: an operation's encoded weights and scales for an OFM block
 * depth and a list of OFM depth slices ({@code [0, s1, ..., depth]}). The same inputs give the same object, so
 * callers can count each distinct buffer once. Implementations must be deterministic; one instance serves one
 * compile.
 */
public interface EncodedWeightSizes {
    EncodedWeights encode(SchedulerOperation op, int ofmBlockDepth, List<Integer> depthSlices);

    /**
     * Bytes per output channel the performance model counts for reading the operation's scales and biases: a
     * whole record once the operation's own bias has been encoded by some call so far, else the bias's element
     * size (its encoding was taken from another operation with the same weights and scales).
     */
    int biasElementBytes(SchedulerOperation op);
}
