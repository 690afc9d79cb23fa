package npuc.tflite;

import java.util.Map;

/**
 * Where the tensor arena allocation put the feature maps, as the optimised model records it: the sizes of the
 * scratch and fast-scratch areas and the arena address of each feature map by the front end's equivalence id.
 *
 * @param scratchSize     bytes of the arena ({@code <sg>_scratch})
 * @param scratchFastSize bytes of the fast-storage arena ({@code <sg>_scratch_fast})
 * @param addresses       arena address per tensor equivalence id
 */
public record ArenaLayout(long scratchSize, long scratchFastSize, Map<Integer, Long> addresses) {
    public ArenaLayout {
        addresses = Map.copyOf(addresses);
    }
}
