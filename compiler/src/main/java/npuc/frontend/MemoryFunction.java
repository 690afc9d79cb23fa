package npuc.frontend;

/** How an operation writes its output when it is not a plain full-tensor write. */
public enum MemoryFunction {
    NONE, CONCAT_SLICE_WRITE, VARIABLE_TENSOR_WRITE
}
