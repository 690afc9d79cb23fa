package npuc.graph;

import java.util.List;

/**
 * Builtin options of an operator, one record per TFLite options table. {@link #unionType()} is the
 * table's code in the schema's BuiltinOptions union.
 */
public sealed interface BuiltinOptions {

    int unionType();

    record Conv2D(Padding padding, int strideW, int strideH, Activation activation, int dilationW, int dilationH)
            implements BuiltinOptions {
        public int unionType() {
            return 1;
        }
    }

    record DepthwiseConv2D(Padding padding, int strideW, int strideH, int depthMultiplier, Activation activation,
                           int dilationW, int dilationH) implements BuiltinOptions {
        public int unionType() {
            return 2;
        }
    }

    record Pool2D(Padding padding, int strideW, int strideH, int filterWidth, int filterHeight,
                  Activation activation) implements BuiltinOptions {
        public int unionType() {
            return 5;
        }
    }

    record FullyConnected(Activation activation, int weightsFormat, boolean keepNumDims,
                          boolean asymmetricQuantizeInputs) implements BuiltinOptions {
        public int unionType() {
            return 8;
        }
    }

    record Softmax(float beta) implements BuiltinOptions {
        public int unionType() {
            return 9;
        }
    }

    record Concatenation(int axis, Activation activation) implements BuiltinOptions {
        public int unionType() {
            return 10;
        }
    }

    record Add(Activation activation, boolean potScaleInt16) implements BuiltinOptions {
        public int unionType() {
            return 11;
        }
    }

    /** {@code newShape} is null when the options table does not carry it (the shape is an input tensor). */
    record Reshape(List<Integer> newShape) implements BuiltinOptions {
        public Reshape {
            newShape = newShape == null ? null : List.copyOf(newShape);
        }

        public int unionType() {
            return 17;
        }
    }

    record Mul(Activation activation) implements BuiltinOptions {
        public int unionType() {
            return 21;
        }
    }

    record Pad() implements BuiltinOptions {
        public int unionType() {
            return 22;
        }
    }

    /** Options of MEAN, SUM, REDUCE_MAX and the other reductions. */
    record Reducer(boolean keepDims) implements BuiltinOptions {
        public int unionType() {
            return 27;
        }
    }
}
