package npuc.alloc;

/**
 * One buffer to place in memory: live over the time slots [start, end] inclusive, {@code size} bytes, at an address
 * that is a multiple of {@code alignment}. The name breaks ties in the greedy allocator's order, as the reference's
 * live-range ordering does. Ranges with an equal non-null sharing key hold the same constant data (identical
 * encoded weight streams, equivalent lookup tables); the linear allocator gives them one address.
 */
public record LiveRange(int start, int end, long size, int alignment, String name, Object sharingKey) {
    public LiveRange {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("live range " + name + " has an empty or negative time span ["
                    + start + ", " + end + "]");
        }
        if (size < 0) {
            throw new IllegalArgumentException("live range " + name + " has a negative size " + size);
        }
        if (alignment < 1) {
            throw new IllegalArgumentException("live range " + name + " has alignment " + alignment);
        }
        if (name == null) {
            throw new IllegalArgumentException("live range without a name");
        }
    }

    /** A range whose data is its own. */
    public LiveRange(int start, int end, long size, int alignment, String name) {
        this(start, end, size, alignment, name, null);
    }

    /** Whether the two ranges are live in at least one common time slot. */
    public boolean overlapsInTime(LiveRange other) {
        return start <= other.end && other.start <= end;
    }
}
