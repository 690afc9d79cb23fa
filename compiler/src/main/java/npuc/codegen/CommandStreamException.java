package npuc.codegen;

/**
 * A command stream that cannot be read (an unknown opcode, a truncated command, a bad driver header) or written
 * (an address, stride or length the hardware cannot take, a stream over the hardware's size limit).
 */
public final class CommandStreamException extends RuntimeException {
    public CommandStreamException(String message) {
        super(message);
    }
}
