package npuc.perf;

/**
 * Where a block config puts things in SHRAM, in banks: IFM buffers from {@code ibStart} to {@code ibEnd} (the
 * second IFM of elementwise operations from {@code ibStart2}), accumulators from {@code abStart}, and the
 * activation lookup table from {@code lutStart} to the end.
 */
public record ShramLayout(int ibStart, int ibStart2, int ibEnd, int abStart, int lutStart) {
}
