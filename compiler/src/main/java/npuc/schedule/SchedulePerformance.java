package npuc.schedule;

import java.util.ArrayList;
import java.util.List;

import npuc.arch.MemoryArea;
import npuc.arch.Target;
import npuc.frontend.ConstArray;
import npuc.frontend.FrontEndResult.TensorInfo;
import npuc.frontend.OpType;
import npuc.perf.CostModel;
import npuc.perf.DmaTransfer;
import npuc.perf.FeatureMapAccess;
import npuc.perf.OpPerformance;
import npuc.perf.OperationCost;
import npuc.perf.PerformanceQuery;
import npuc.perf.TrafficPurpose;
import npuc.perf.WeightTraffic;

/** The full estimate of each operation of a final schedule, as the reports show it. */
final class SchedulePerformance {
    private SchedulePerformance() {
    }

    static List<OpPerformance> estimate(Scheduler s, Schedule schedule, Target target, CostModel model) {
        List<OpPerformance> out = new ArrayList<>();
        double prevSlack = 0;
        for (SchedulerOperation op : s.graph().ops()) {
            OpSchedule cost = schedule.get(op);
            PerformanceQuery base = s.query(op, cost.blockConfig(), op.ofm().shape().depth());
            FeatureMapAccess ofm = base.ofm().withShape(op.ofmWriteShape());
            MemoryArea constArea = null;
            if (op.hasBias()) {
                constArea = cost.isBuffered() ? target.fastStorageArea() : target.permanentStorageArea();
            }
            PerformanceQuery q = new PerformanceQuery(base.blockType(), base.opType(), base.activation(), base.ifm(),
                    base.ifm2(), ofm, base.constDepth(), constArea, base.kernel(), base.config());
            WeightTraffic weights = null;
            if (op.hasWeights() && cost.weights() != null) {
                WeightTraffic.Buffering buffering = cost.isBuffered()
                        ? new WeightTraffic.Buffering(target.fastStorageArea(), cost.doubleBuffered(),
                        cost.weights().firstSliceTransferBytes(), cost.fullWeightTransferCycles(),
                        cost.slackBufferingCycles())
                        : null;
                weights = new WeightTraffic(target.permanentStorageArea(), cost.weights().size(),
                        originalElements(op.primary().weights()), buffering, s.biasElementBytes(op));
            }
            List<DmaTransfer> dma = new ArrayList<>();
            if (op.usesLut()) {
                ConstArray lut = op.primary().activation().lut();
                long bytes = (lut.byteSize() + 15) / 16 * 16;
                dma.add(new DmaTransfer(target.permanentStorageArea(), MemoryArea.SHRAM, bytes, TrafficPurpose.LUT,
                        false));
            }
            if (op.type() == OpType.Memcpy) {
                MemoryArea from = s.areaOf(op.ifm());
                MemoryArea to = s.areaOf(op.ofm());
                if (from != to) {
                    // A memory copy moves the whole tensor in its layout.
                    long bytes = op.ifm().tensor().storageSize(op.ifm().format());
                    dma.add(new DmaTransfer(from, to, bytes, purpose(op.ifm().tensor()), true));
                }
            }
            OpPerformance p = OperationCost.estimate(model, q, purpose(op.ifm().tensor()),
                    op.ifm2() == null ? TrafficPurpose.FEATURE_MAP : purpose(op.ifm2().tensor()),
                    purpose(op.ofm().tensor()), weights, dma, prevSlack);
            out.add(p);
            prevSlack = cost.slackBufferingCycles();
        }
        return out;
    }

    private static TrafficPurpose purpose(TensorInfo t) {
        return TrafficPurpose.of(t.purpose());
    }

    private static long originalElements(TensorInfo w) {
        long n = 1;
        for (int d : w.shape()) {
            n *= d;
        }
        return n;
    }
}
