package npuc.frontend;

/** The points of the front end at which Vela's verbose outputs show the graph. */
public enum GraphStage {
    /** As read from the model, before any rewrite (Vela's --verbose-operators and "Before Graph Optimization"). */
    BEFORE_OPTIMISATION,
    /** After the graph rewrites ("After Graph Optimization", --verbose-quantization). */
    AFTER_OPTIMISATION,
    /** After every tensor got its purpose (--verbose-tensor-purpose). */
    TENSOR_PURPOSE
}
