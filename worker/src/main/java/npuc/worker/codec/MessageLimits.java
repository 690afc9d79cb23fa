package npuc.worker.codec;

/**
 * How large a job message may be, checked before anything is allocated for it: the message's bytes, and the
 * targets it lists. Every string, byte array, array and map inside an Avro message is also checked against
 * the bytes that remain, so no length field can make the decoder allocate more than the message holds.
 *
 * @param maxBytes a message's size
 * @param maxTargets targets of one job
 */
public record MessageLimits(int maxBytes, int maxTargets) {
    public static final int DEFAULT_MAX_BYTES = 1 << 20;
    public static final int DEFAULT_MAX_TARGETS = 10_000;
    /** Entries of arrays and maps whose items take no bytes (nulls): the one count the message size does not bound. */
    static final int MAX_EMPTY_ITEMS = 100_000;

    public MessageLimits {
        if (maxBytes < 64 || maxTargets < 1) {
            throw new IllegalArgumentException("a job message must be allowed at least 64 bytes and one target");
        }
    }

    public static MessageLimits defaults() {
        return new MessageLimits(DEFAULT_MAX_BYTES, DEFAULT_MAX_TARGETS);
    }
}
