package npuc.perf;

import npuc.frontend.FrontEndResult.Kernel;
import npuc.frontend.NpuBlockType;
import npuc.frontend.Shape4;

/**
 * What the block-config search needs to know about one operation on one stripe.
 *
 * @param ofm        the OFM stripe to produce
 * @param ifm        the IFM stripe it reads
 * @param ifm2       the second IFM stripe, null without one
 * @param usesScalar a binary elementwise operation with a scalar operand
 * @param usesLut    the operation's activation is a lookup table (two SHRAM banks)
 * @param scaled     every operand is quantised (decides 40-bit accumulators for 16-bit IFMs)
 */
public record BlockConfigQuery(NpuBlockType blockType, Shape4 ofm, Shape4 ifm, Shape4 ifm2, boolean usesScalar,
                               int ifmBits, Kernel kernel, boolean usesLut, boolean scaled, Resampling resampling) {
}
