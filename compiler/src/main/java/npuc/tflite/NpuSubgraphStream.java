package npuc.tflite;

import java.util.Objects;

/**
 * The command stream of one NPU subgraph as the optimised model stores it: the driver payload (its header and
 * the register command words) that becomes the first input of the subgraph's ethos-u operator.
 *
 * @param subgraph the NPU subgraph's name ({@code <root>_split_<n>})
 * @param payload  the driver payload bytes
 */
public record NpuSubgraphStream(String subgraph, byte[] payload) {
    public NpuSubgraphStream {
        Objects.requireNonNull(subgraph, "subgraph");
        payload = payload.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }
}
