package npuc.frontend;

/** Where a pass runs: on the NPU, on the CPU, nowhere (a memory-only reshape), or at startup (constants, inputs). */
public enum PassPlacement {
    NPU, CPU, MEMORY_ONLY, STARTUP_INIT
}
