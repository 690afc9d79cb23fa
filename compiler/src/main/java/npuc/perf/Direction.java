package npuc.perf;

/** Which way bytes move between the NPU and a memory. */
public enum Direction {
    READ, WRITE
}
