package npuc.generator;

import java.util.List;

import npuc.graph.DataType;
import npuc.graph.Quantization;

/**
 * What the generator knows of a tensor a statement made: where it is, its shape, type and quantization, and
 * whether it is a constant.
 */
record TensorInfo(Ref ref, List<Integer> shape, DataType type, Quantization quantization, boolean constant) {
    int rank() {
        return shape.size();
    }

    int dim(int i) {
        return shape.get(i < 0 ? shape.size() + i : i);
    }

    long elements() {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** A feature map in NHWC with batch 1. */
    boolean isImage() {
        return rank() == 4 && shape.get(0) == 1;
    }

    boolean quantized() {
        return type != DataType.FLOAT32 && quantization != null && !quantization.scale().isEmpty();
    }
}
