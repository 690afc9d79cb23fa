package npuc.arch;

/**
 * How one memory area behaves on its AXI port: its clock relative to the NPU core clock (which sets its
 * bandwidth), the burst length in bytes, and read and write latencies in core cycles.
 *
 * @param clockScale   memory clock / core clock; bandwidth per core cycle is port width × clockScale
 * @param burstLength  bytes per burst; shorter transfers are charged as a whole burst
 * @param readLatency  cycles before the first read data arrives
 * @param writeLatency cycles before a write is accepted
 */
public record MemoryTiming(double clockScale, int burstLength, int readLatency, int writeLatency) {
    /** What an area has when nothing configures it: Vela's "1 (or the equivalent)", latencies 0. */
    public static final MemoryTiming UNCONFIGURED = new MemoryTiming(1.0, 1, 0, 0);

    public MemoryTiming withClockScale(double value) {
        return new MemoryTiming(value, burstLength, readLatency, writeLatency);
    }

    public MemoryTiming withBurstLength(int value) {
        return new MemoryTiming(clockScale, value, readLatency, writeLatency);
    }

    public MemoryTiming withReadLatency(int value) {
        return new MemoryTiming(clockScale, burstLength, value, writeLatency);
    }

    public MemoryTiming withWriteLatency(int value) {
        return new MemoryTiming(clockScale, burstLength, readLatency, value);
    }
}
