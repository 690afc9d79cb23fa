package npuc.codegen;

import java.util.List;

import npuc.arch.Accelerator;

/**
 * The register command stream of one NPU subgraph, ready for the optimised model: the command words and, in
 * {@link #payload()}, the driver payload that goes into the custom operator's command-stream buffer.
 */
public record CommandStream(String subgraph, Accelerator accelerator, int[] words) {
    public CommandStream {
        words = words.clone();
    }

    @Override
    public int[] words() {
        return words.clone();
    }

    public List<Command> commands() {
        return CommandStreamDecoder.decode(words);
    }

    /** The driver header followed by the command words, little endian. */
    public byte[] payload() {
        return DriverPayload.of(accelerator, words).bytes();
    }
}
