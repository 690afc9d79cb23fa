package npuc.codegen;

/** A command stream or driver payload that cannot be read: an unknown opcode, a truncated command, a bad header. */
public final class CommandStreamFormatException extends RuntimeException {
    public CommandStreamFormatException(String message) {
        super(message);
    }
}
