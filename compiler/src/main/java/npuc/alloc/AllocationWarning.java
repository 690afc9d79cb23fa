package npuc.alloc;

/**
 * The hill climb was given less memory than the ranges need at their busiest time slot; the allocation still
 * completes (the limit only steers the search), and the caller decides whether to show this.
 */
public record AllocationWarning(long memoryLimit, long lowerBound) {
    /** The reference's wording, so that logs compare line for line. */
    public String message() {
        return "Warning: Memory limit = " + memoryLimit + " is less than the minimum possible allocation size = "
                + lowerBound;
    }
}
