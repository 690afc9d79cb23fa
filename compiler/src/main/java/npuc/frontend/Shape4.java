package npuc.frontend;

import java.util.List;

/** A feature-map shape padded on the left with 1s to rank 4 (batch, height, width, depth), as the NPU sees it. */
public record Shape4(int batch, int height, int width, int depth) {

    public static final Shape4 ZERO = new Shape4(0, 0, 0, 0);

    /** Pads {@code shape} with leading 1s; a shape of rank above 4 keeps its last four dimensions. */
    public static Shape4 of(int[] shape) {
        int[] d = {1, 1, 1, 1};
        int n = Math.min(shape.length, 4);
        for (int i = 0; i < n; i++) {
            d[4 - n + i] = shape[shape.length - n + i];
        }
        return new Shape4(d[0], d[1], d[2], d[3]);
    }

    /** An offset: padded on the left with 0s (not 1s) to rank 4. */
    public static Shape4 offset(int... offset) {
        int[] d = new int[4];
        int n = Math.min(offset.length, 4);
        for (int i = 0; i < n; i++) {
            d[4 - n + i] = offset[offset.length - n + i];
        }
        return new Shape4(d[0], d[1], d[2], d[3]);
    }

    public static Shape4 of(List<Integer> shape) {
        return of(shape.stream().mapToInt(Integer::intValue).toArray());
    }

    public long elements() {
        return (long) batch * height * width * depth;
    }

    public int get(int axis) {
        return switch (axis) {
            case 0 -> batch;
            case 1 -> height;
            case 2 -> width;
            case 3 -> depth;
            default -> throw new IndexOutOfBoundsException(axis);
        };
    }

    public Shape4 with(int axis, int value) {
        int[] d = toArray();
        d[axis] = value;
        return new Shape4(d[0], d[1], d[2], d[3]);
    }

    public Shape4 withBatch(int v) {
        return with(0, v);
    }

    public Shape4 withHeight(int v) {
        return with(1, v);
    }

    public Shape4 withWidth(int v) {
        return with(2, v);
    }

    public Shape4 withDepth(int v) {
        return with(3, v);
    }

    public int[] toArray() {
        return new int[]{batch, height, width, depth};
    }

    @Override
    public String toString() {
        return "[" + batch + ", " + height + ", " + width + ", " + depth + "]";
    }
}
