package npuc.codegen;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;

import npuc.arch.Accelerator;

/**
 * The bytes the Ethos-U driver receives as the custom operator's command-stream tensor: a header of driver
 * actions (the "COP1" magic, a config action with the NPU's config and id words, no-ops that align what follows
 * to 16 bytes, a command-stream action with the length in words) and the command words, little endian.
 *
 * @param configWord the NPU CONFIG register value the stream expects (product, SHRAM size, MACs per cycle)
 * @param idWord     the NPU ID register value the stream expects (the architecture version)
 */
public record DriverPayload(int configWord, int idWord, int[] commandWords) {
    /** "COP1" as a little-endian word. */
    static final int MAGIC = 'C' | 'O' << 8 | 'P' << 16 | '1' << 24;
    static final int ACTION_CONFIG = 0x01;
    static final int ACTION_COMMAND_STREAM = 0x02;
    static final int ACTION_NOP = 0x05;
    /** The config action's parameter: patch 1, release 0 of the driver interface. */
    static final int CONFIG_VERSION = 1 << 4;
    /** Architecture 1.0.6, the register layout the commands follow. */
    static final int ARCH_MAJOR = 1;
    static final int ARCH_MINOR = 0;
    static final int ARCH_PATCH = 6;
    /** The driver's length field holds 24 bits of words. */
    static final int MAX_WORDS = 1 << 24;

    public DriverPayload {
        commandWords = commandWords.clone();
    }

    @Override
    public int[] commandWords() {
        return commandWords.clone();
    }

    /** The payload of {@code commandWords} for {@code accelerator}. */
    public static DriverPayload of(Accelerator accelerator, int[] commandWords) {
        if (commandWords.length >= MAX_WORDS) {
            throw new CommandStreamException(String.format(Locale.ROOT,
                    "the command stream of %.2f MiB exceeds the driver's limit of 64 MiB",
                    4.0 * commandWords.length / (1 << 20)));
        }
        return new DriverPayload(configWord(accelerator), architectureId(), commandWords);
    }

    static int configWord(Accelerator a) {
        int macsPerCycle = a.cores() * a.macs();
        int log2Macs = (int) Math.floor(Math.log(macsPerCycle) / Math.log(2) + 0.5);
        int shramKiB = a.cores() * (int) (a.shramSizeBytes() / 1024);
        return (log2Macs & 0xF) | ((shramKiB & 0xFF) << 8) | (a.productId() << 28);
    }

    static int architectureId() {
        return (ARCH_PATCH << 16) | (ARCH_MINOR << 20) | (ARCH_MAJOR << 28);
    }

    private static int tag(int action, int reserved, int param) {
        return action | (reserved << 8) | (param << 16);
    }

    /** The header and command words as the driver reads them. */
    public int[] words() {
        int[] header = new int[8];
        int n = 0;
        header[n++] = MAGIC;
        header[n++] = tag(ACTION_CONFIG, 0, CONFIG_VERSION);
        header[n++] = configWord;
        header[n++] = idWord;
        // No-ops until the command-stream action ends a 16-byte line, so the commands start aligned.
        int nops = 4 - ((n + 1) % 4);
        for (int i = 0; i < nops; i++) {
            header[n++] = tag(ACTION_NOP, 0, 0);
        }
        int length = commandWords.length;
        header[n++] = tag(ACTION_COMMAND_STREAM, (length >> 16) & 0xFF, length & 0xFFFF);
        int[] out = new int[n + length];
        System.arraycopy(header, 0, out, 0, n);
        System.arraycopy(commandWords, 0, out, n, length);
        return out;
    }

    public byte[] bytes() {
        int[] w = words();
        ByteBuffer b = ByteBuffer.allocate(w.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : w) {
            b.putInt(x);
        }
        return b.array();
    }

    /** Reads a payload: the config action, then no-ops, then one command-stream action with its words. */
    public static DriverPayload parse(byte[] payload) {
        if (payload.length % 4 != 0) {
            throw new CommandStreamException("driver payload of " + payload.length
                    + " bytes is not whole words");
        }
        ByteBuffer b = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
        int n = payload.length / 4;
        if (n < 1 || b.getInt(0) != MAGIC) {
            throw new CommandStreamException("driver payload does not start with COP1");
        }
        Integer config = null;
        Integer id = null;
        int i = 1;
        while (i < n) {
            int t = b.getInt(4 * i);
            int action = t & 0xFF;
            switch (action) {
                case ACTION_CONFIG -> {
                    if (i + 2 >= n) {
                        throw new CommandStreamException("driver config action at word " + i + " is truncated");
                    }
                    config = b.getInt(4 * (i + 1));
                    id = b.getInt(4 * (i + 2));
                    i += 3;
                }
                case ACTION_NOP -> i++;
                case ACTION_COMMAND_STREAM -> {
                    int length = ((t >>> 8) & 0xFF) << 16 | (t >>> 16);
                    if (i + 1 + length > n) {
                        throw new CommandStreamException("command stream of " + length
                                + " words overruns the payload of " + n + " words");
                    }
                    if (config == null) {
                        throw new CommandStreamException("driver payload has no config action");
                    }
                    int[] words = new int[length];
                    for (int k = 0; k < length; k++) {
                        words[k] = b.getInt(4 * (i + 1 + k));
                    }
                    return new DriverPayload(config, id, words);
                }
                default -> throw new CommandStreamException(String.format(Locale.ROOT,
                        "unknown driver action 0x%02x at word %d", action, i));
            }
        }
        throw new CommandStreamException("driver payload has no command stream");
    }
}
