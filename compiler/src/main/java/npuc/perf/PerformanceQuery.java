package npuc.perf;

import npuc.arch.MemoryArea;
import npuc.frontend.FrontEndResult.Kernel;
import npuc.frontend.NpuBlockType;
import npuc.frontend.OpType;

/**
 * One operation as the cost model sees it.
 *
 * @param activation the fused activation's type, null without one
 * @param ifm2       null without a second IFM
 * @param constDepth OFM depth when the operation reads scales and biases, 0 otherwise
 * @param constArea  where the scales and biases are read from (null when constDepth is 0)
 */
public record PerformanceQuery(NpuBlockType blockType, OpType opType, OpType activation, FeatureMapAccess ifm,
                               FeatureMapAccess ifm2, FeatureMapAccess ofm, int constDepth, MemoryArea constArea,
                               Kernel kernel, BlockConfig config) {
    public PerformanceQuery withOfmDepth(int depth) {
        return new PerformanceQuery(blockType, opType, activation, ifm, ifm2, ofm.withShape(ofm.shape().withDepth(depth)),
                constDepth, constArea, kernel, config);
    }

    public PerformanceQuery withConfig(BlockConfig c) {
        return new PerformanceQuery(blockType, opType, activation, ifm, ifm2, ofm, constDepth, constArea, kernel, c);
    }
}
