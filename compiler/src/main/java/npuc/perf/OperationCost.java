package npuc.perf;

import java.util.List;

import npuc.arch.MemoryArea;

/**
 * The full estimate of one scheduled operation, as the reports show it: compute cycles, plus weight and other
 * DMA that the previous operation's tail does not hide, plus the bytes every memory moves and the cycles those
 * bytes take at the memory's bandwidth (after burst efficiency). Weight streams copied into fast storage are
 * charged in NPU cycles, not access cycles.
 */
public final class OperationCost {
    private OperationCost() {
    }

    /**
     * @param ifmPurpose   what the IFM tensor holds (feature map, or a constant)
     * @param ifm2Purpose  the same for the second IFM (ignored without one)
     * @param ofmPurpose   the same for the OFM
     * @param weights      null for operations without weights
     * @param dma          lookup-table and memory-copy transfers
     * @param prevSlack    cycles of the previous operation's tail available to hide this operation's DMA
     */
    public static OpPerformance estimate(CostModel model, PerformanceQuery q, TrafficPurpose ifmPurpose,
            TrafficPurpose ifm2Purpose, TrafficPurpose ofmPurpose, WeightTraffic weights, List<DmaTransfer> dma,
            double prevSlack) {
        double[] cycles = new double[CycleKind.values().length];
        Bandwidths.Builder bws = new Bandwidths.Builder();
        Bandwidths.Builder scaled = new Bandwidths.Builder();
        CycleCost cost = model.cycleCost(q);
        cycles[CycleKind.NPU.ordinal()] = cost.cycles();
        ElementAccess access = model.elementAccess(q);

        double dmaCycles = 0;
        for (DmaTransfer t : dma) {
            dmaCycles += model.mem2memCycles(t.from(), t.to(), t.bytes());
            bws.add(t.from(), t.purpose(), Direction.READ, t.bytes());
            if (t.countWrite()) {
                bws.add(t.to(), t.purpose(), Direction.WRITE, t.bytes());
            }
        }
        WeightTraffic.Buffering buffering = weights == null ? null : weights.buffered();
        if (buffering != null) {
            bws.add(weights.area(), TrafficPurpose.WEIGHTS, Direction.READ, weights.encodedBytes());
            bws.add(buffering.bufferArea(), TrafficPurpose.WEIGHTS, Direction.WRITE, weights.encodedBytes());
            double first = model.mem2memCycles(weights.area(), buffering.bufferArea(), buffering.firstTransferBytes());
            double npu;
            if (buffering.doubleBuffered()) {
                npu = Math.max(buffering.fullTransferCycles() - prevSlack + buffering.slackBufferingCycles(),
                        cost.cycles() + Math.max(first - prevSlack, 0));
            } else {
                npu = cost.cycles() + buffering.fullTransferCycles() - Math.min(first, prevSlack);
            }
            cycles[CycleKind.NPU.ordinal()] = npu + dmaCycles;
        } else {
            cycles[CycleKind.NPU.ordinal()] += Math.max(dmaCycles - prevSlack, 0);
        }

        FeatureMapAccess ofm = q.ofm();
        double bw = (double) access.ofmWrite() * (ofm.bits() / 8);
        bws.add(ofm.area(), ofmPurpose, Direction.WRITE, bw);
        scaled.add(ofm.area(), ofmPurpose, Direction.WRITE, model.transferEfficiency(false, ofm.area(), ofm.format(),
                ofm.bits(), q.config().ofmBlock(), ofm.shape(), bw));

        FeatureMapAccess ifm = q.ifm();
        bw = (double) access.ifmRead() * (ifm.bits() / 8);
        bws.add(ifm.area(), ifmPurpose, Direction.READ, bw);
        scaled.add(ifm.area(), ifmPurpose, Direction.READ, model.transferEfficiency(true, ifm.area(), ifm.format(),
                ifm.bits(), q.config().ifmBlock(), ifm.shape(), bw));
        FeatureMapAccess ifm2 = q.ifm2();
        if (ifm2 != null) {
            bw = (double) access.ifm2Read() * (ifm2.bits() / 8);
            bws.add(ifm2.area(), ifm2Purpose, Direction.READ, bw);
            scaled.add(ifm2.area(), ifm2Purpose, Direction.READ, model.transferEfficiency(true, ifm2.area(),
                    ifm2.format(), ifm2.bits(), q.config().ifmBlock(), ifm2.shape(), bw));
        }

        MemoryArea constArea = q.constArea();
        if (access.weightRead() > 0 && weights != null) {
            // The encoded stream less its scale records, per original weight: the compression ratio.
            double approx = (double) (weights.encodedBytes() - access.scaleRead() * weights.biasElementBytes())
                    / weights.originalElements();
            bw = access.weightRead() * approx;
            bws.add(constArea, TrafficPurpose.WEIGHTS, Direction.READ, bw);
            if (buffering == null) {
                scaled.add(constArea, TrafficPurpose.WEIGHTS, Direction.READ, bw);
            }
        }
        if (access.scaleRead() > 0 && weights != null) {
            bw = (double) access.scaleRead() * weights.biasElementBytes();
            bws.add(constArea, TrafficPurpose.SCALES, Direction.READ, bw);
            if (buffering == null) {
                scaled.add(constArea, TrafficPurpose.SCALES, Direction.READ, bw);
            }
        }

        Bandwidths s = scaled.build();
        double max = cycles[CycleKind.NPU.ordinal()];
        for (MemoryArea a : MemoryArea.PORT_AREAS) {
            double c = s.total(a) / model.bandwidthPerCycle(a);
            cycles[CycleKind.accessOf(a).ordinal()] = c;
            max = Math.max(max, c);
        }
        cycles[CycleKind.TOTAL.ordinal()] = max;
        return new OpPerformance(cycles, bws.build(), cost.macs());
    }
}
