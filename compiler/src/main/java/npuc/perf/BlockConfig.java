package npuc.perf;

import npuc.frontend.Shape4;

/**
 * The block an operation is computed in: the OFM block the MAC array produces at a time, the IFM block it needs
 * for that, the accumulator width, the weight traversal (part-kernel first or depth first) and the SHRAM layout.
 * {@code ofmBlock} is the block as searched, before the one-row adjustment the search applies for its SHRAM test.
 */
public record BlockConfig(Shape4 ofmBlock, Shape4 ifmBlock, boolean accumulator40, boolean partKernel,
                          ShramLayout layout) {

    /** Vela's old-style representation, [ofm height, ofm width, ifm depth, ofm depth]. */
    public int[] oldStyle() {
        return new int[] {ofmBlock.height(), ofmBlock.width(), ifmBlock.depth(), ofmBlock.depth()};
    }
}
