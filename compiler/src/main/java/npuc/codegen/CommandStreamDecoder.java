package npuc.codegen;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Reads a register command stream (words as the NPU fetches them) back into commands. */
public final class CommandStreamDecoder {
    private CommandStreamDecoder() {
    }

    public static List<Command> decode(int[] words) {
        List<Command> out = new ArrayList<>();
        int i = 0;
        while (i < words.length) {
            int w = words[i];
            NpuCommand c = NpuCommand.ofCode(w & 0xFFFF);
            if (c == null) {
                throw new CommandStreamException(String.format(Locale.ROOT,
                        "unknown command code 0x%04x at word %d", w & 0xFFFF, i));
            }
            if (c.hasPayload()) {
                if (i + 1 >= words.length) {
                    throw new CommandStreamException(c.name() + " at word " + i + " lacks its payload word");
                }
                out.add(Command.withPayload(c, w >>> 16, words[i + 1]));
                i += 2;
            } else {
                out.add(Command.of(c, w >>> 16));
                i++;
            }
        }
        return out;
    }

    /** The words of {@code commands}, in order. */
    public static int[] encode(List<Command> commands) {
        int n = commands.stream().mapToInt(Command::size).sum();
        int[] words = new int[n];
        int i = 0;
        for (Command c : commands) {
            words[i++] = c.firstWord();
            if (c.command().hasPayload()) {
                words[i++] = c.payload();
            }
        }
        return words;
    }
}
