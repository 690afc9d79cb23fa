package npuc.codegen;

import java.util.Locale;

/**
 * One command of a register command stream: its opcode, the 16-bit parameter of its first word and, for
 * commands that carry one, the 32-bit payload word.
 *
 * @param param   the upper half of the first word (as an unsigned 16-bit value)
 * @param payload the second word; 0 for commands without one
 */
public record Command(NpuCommand command, int param, int payload) {
    public Command {
        param &= 0xFFFF;
        if (!command.hasPayload()) {
            payload = 0;
        }
    }

    public static Command of(NpuCommand command, int param) {
        return new Command(command, param, 0);
    }

    public static Command withPayload(NpuCommand command, int param, int payload) {
        return new Command(command, param, payload);
    }

    /** Words of the command: one, or two with the payload. */
    public int size() {
        return command.hasPayload() ? 2 : 1;
    }

    public int firstWord() {
        return command.code() | (param << 16);
    }

    /** This command with an address payload (or parameter) replaced by 0, for comparisons that ignore placement. */
    public Command withoutAddress() {
        return command.isAddress() ? new Command(command, 0, 0) : this;
    }

    /** The parameter as a signed 16-bit value (zero points, activation limits and scalars are signed). */
    public int signedParam() {
        return (short) param;
    }

    /** A listing line: the command's name, its parameter and, when it has one, the payload in hex. */
    @Override
    public String toString() {
        if (command.hasPayload()) {
            return String.format(Locale.ROOT, "%s param=%d 0x%08x", command.name(), param, payload);
        }
        return command.name() + " " + param;
    }
}
