package npuc.frontend;

/** The NPU hardware block an operation runs on; decides its MAC formula and how passes are packed. */
public enum NpuBlockType {
    DEFAULT, CONVOLUTION_MXN, VECTOR_PRODUCT, POOLING, CONVOLUTION_DEPTHWISE, ELEMENTWISE, REDUCE_SUM, DMA
}
