package npuc.arch;

/** The classes of fused activation whose throughput differs, indexing {@link Accelerator#activationCyclesPerElement}. */
public enum ActivationCycleClass {
    /** Sigmoid, tanh and other table lookups. */
    LOOKUP_TABLE,
    /** ReLU, ReLU6, ReLU-1-to-1: clamping. */
    CLAMP,
    /** No activation. */
    NONE
}
