package npuc.codegen;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import npuc.arch.Target;
import npuc.frontend.FrontEndResult.OperationInfo;
import npuc.frontend.NpuBlockType;
import npuc.frontend.OpType;
import npuc.frontend.ResamplingMode;
import npuc.frontend.Shape4;
import npuc.schedule.OpSchedule;
import npuc.schedule.ScheduledOp;
import npuc.schedule.ScheduledSubgraph;
import npuc.schedule.SchedulerOperation;

/**
 * The high-level command stream of one NPU subgraph: each operation split into the stripes its schedule chose
 * (height and width stripes, then OFM depth slices), with the weight DMAs buffered weights need. Operations of
 * a cascade interleave: before each stripe of a consumer, its producer runs just as many stripes as the
 * consumer's IFM box needs.
 */
public final class HighLevelCommandStream {
    private final ScheduledSubgraph subgraph;
    private final Target target;

    private HighLevelCommandStream(ScheduledSubgraph subgraph, Target target) {
        this.subgraph = subgraph;
        this.target = target;
    }

    public static List<HighLevelCommand> of(ScheduledSubgraph subgraph, Target target) {
        return LookupTableSlots.place(new HighLevelCommandStream(subgraph, target).generate(), target.accelerator());
    }

    private List<HighLevelCommand> generate() {
        List<HighLevelCommand> out = new ArrayList<>();
        Set<Integer> done = new HashSet<>();
        for (ScheduledOp op : subgraph.ops()) {
            int cascade = op.schedule().cascade();
            if (cascade == 0) {
                out.addAll(commandsOf(op));
            } else if (done.add(cascade)) {
                // The cascade's last operation pulls the stripes of those before it.
                out.addAll(commandsOf(subgraph.ops().get(cascade)));
            }
        }
        return out;
    }

    private int cascadeStart(ScheduledOp op) {
        int cascade = op.schedule().cascade();
        int start = op.op().index();
        for (ScheduledOp o : subgraph.ops()) {
            if (o.schedule().cascade() == cascade) {
                start = Math.min(start, o.op().index());
            }
        }
        return start;
    }

    private ScheduledOp producerOf(ScheduledOp op) {
        for (ScheduledOp o : subgraph.ops()) {
            if (o.op().ofm().tensor() == op.op().ifm().tensor() && o != op) {
                return o;
            }
        }
        throw new IllegalArgumentException("no producer of " + op.op().name() + "'s IFM in its cascade");
    }

    /**
     * {@code box}, unless it ends before it starts or starts past the IFM. That happens where a strided operation
     * reads a slice at an offset along its stride: Vela 3.10 scales the offset by the stride and stops with an
     * assertion in its command stream generator (the box, or the address of its first element). npuc stops as
     * well, saying so, rather than write a stream that reads outside the slice.
     */
    private static Box readable(SchedulerOperation op, Box box, Shape4 ifm, Shape4 readOffset) {
        boolean startsInside = box.start().height() < ifm.height() && box.start().width() < ifm.width();
        if (!box.isInverted() && startsInside) {
            return box;
        }
        throw new CommandStreamException("operation '" + op.name() + "' (" + op.type() + ", stride "
                + op.kernel().strideX() + "x" + op.kernel().strideY() + ") reads a slice at offset " + readOffset
                + " that its stride takes past the slice's end (IFM box " + box.start() + " to " + box.end()
                + "); Vela 3.10 stops here with an assertion. Slicing through an operation of stride 1 first, or "
                + "slicing at offset 0 along the strided axes, avoids it");
    }

    /** Every command of {@code op}, with those of the operations it pulls in a cascade. */
    private List<HighLevelCommand> commandsOf(ScheduledOp sop) {
        SchedulerOperation op = sop.op();
        OpSchedule schedule = sop.schedule();
        OperationInfo primary = op.primary();
        NpuBlockType blockType = op.blockType();
        Shape4 ofmShape = op.ofm().shape();
        Shape4 ifmShape = op.ifm() == null ? null : op.ifm().shape();
        int strideX = op.kernel().strideX();
        int strideY = op.kernel().strideY();
        int[] skirt = primary.hardware().skirt() == null ? null
                : primary.hardware().skirt().stream().mapToInt(Integer::intValue).toArray();
        int upscaling = 1;
        if (op.type() == OpType.Conv2DBackpropInputSwitchedBias) {
            upscaling = ofmShape.height() / ifmShape.height();
        } else if (primary.ifmResampling() == ResamplingMode.NEAREST) {
            upscaling = (ofmShape.height() + ifmShape.height() - 1) / ifmShape.height();
        }
        int dilatedKernelHeight = op.kernel().dilationY() * (op.kernel().height() - 1) + 1;
        List<Integer> slices = schedule.depthSlices();
        Shape4 ofmStart = new Shape4(0, 0, 0, slices.get(0));
        Shape4 ofmEnd = ofmShape;
        Shape4 writeOffset = Shape4.ZERO;
        if (primary.writeOffset() != null) {
            writeOffset = primary.writeOffset();
            ofmStart = writeOffset;
            Shape4 ws = primary.writeShape();
            ofmEnd = new Shape4(writeOffset.batch() + ws.batch(), writeOffset.height() + ws.height(),
                    writeOffset.width() + ws.width(), writeOffset.depth() + ws.depth());
        }
        // Read offsets stay with the operand positions of the operation, also when the scheduler swapped them.
        Shape4 ifmRead = primary.ifmReadOffset();
        Shape4 ifmReadShape = primary.ifmReadShape();
        Shape4 ifm2Read = primary.ifm2ReadOffset();
        Shape4 ifm2ReadShape = primary.ifm2ReadShape();
        boolean binary = op.type().isBinaryElementwise();

        List<HighLevelCommand> out = new ArrayList<>();
        Box ifmPresent;
        List<HighLevelCommand> producerCommands = List.of();
        ScheduledOp producer = null;
        int pulled = 0;
        if (schedule.cascade() == 0 || cascadeStart(sop) == op.index()) {
            ifmPresent = Box.of(ifmShape);
        } else {
            ifmPresent = new Box(Shape4.ZERO, Shape4.ZERO);
            producer = producerOf(sop);
            producerCommands = commandsOf(producer);
        }
        Shape4 step = schedule.stripe();
        for (int h = ofmStart.height(); h < ofmEnd.height(); h += step.height()) {
            int hEnd = Math.min(h + step.height(), ofmEnd.height());
            for (int w = ofmStart.width(); w < ofmEnd.width(); w += step.width()) {
                int wEnd = Math.min(w + step.width(), ofmEnd.width());
                boolean lutCopied = false;
                for (int d = 0; d < slices.size() - 1; d++) {
                    int c = Math.max(slices.get(d), ofmStart.depth());
                    int cEnd = Math.min(slices.get(d + 1), ofmEnd.depth());
                    Box ofmBox = new Box(new Shape4(ofmStart.batch(), h, w, c),
                            new Shape4(ofmEnd.batch(), hEnd, wEnd, cEnd));
                    Box ifmBox = null;
                    Box ifm2Box = null;
                    int padTop = 0;
                    int padBottom = 0;
                    if (op.ifm() != null) {
                        Box.IfmArea a = ofmBox.toIfm(strideY, strideX, skirt, ifmShape, blockType, writeOffset,
                                dilatedKernelHeight, ifmRead, ifmReadShape, upscaling, binary);
                        ifmBox = readable(op, a.box(), ifmShape, ifmRead);
                        padTop = a.padTop();
                        padBottom = a.padBottom();
                    }
                    if (op.ifm2() != null) {
                        Box.IfmArea a = ofmBox.toIfm(strideY, strideX, skirt, op.ifm2().shape(), blockType,
                                writeOffset, dilatedKernelHeight, ifm2Read, ifm2ReadShape, upscaling, binary);
                        ifm2Box = a.box();
                        padTop = a.padTop();
                        padBottom = a.padBottom();
                    }
                    if (producer != null && !ifmBox.isWithin(ifmPresent)) {
                        while (pulled < producerCommands.size()) {
                            HighLevelCommand pc = producerCommands.get(pulled++);
                            out.add(pc);
                            if (pc instanceof HighLevelCommand.NpuStripe s && s.op() == producer) {
                                ifmPresent = ifmPresent.withEnd(s.ofmBox().end());
                                if (ifmBox.isWithin(ifmPresent)) {
                                    break;
                                }
                            }
                        }
                    }
                    boolean firstH = h == ofmStart.height();
                    boolean lastH = hEnd >= ofmEnd.height();
                    int buffer = -1;
                    if (schedule.weights() != null && schedule.isBuffered()) {
                        buffer = d % schedule.weightBuffers().size();
                        if (firstH && weightsNeedTransfer()) {
                            out.add(new HighLevelCommand.WeightDma(sop, c, buffer));
                        }
                    }
                    if (usesLut(primary) && !lutCopied) {
                        // Once per stripe position, after the first slice's weights; the slot is decided later.
                        lutCopied = true;
                        out.add(new HighLevelCommand.LutDma(sop, -1, true));
                    }
                    if (blockType == NpuBlockType.DMA) {
                        out.add(new HighLevelCommand.FeatureMapDma(sop));
                        continue;
                    }
                    out.add(new HighLevelCommand.NpuStripe(sop, ifmBox, ifm2Box, ofmBox, c, cEnd, buffer, firstH,
                            lastH, padTop, padBottom));
                }
            }
        }
        return out;
    }

    static boolean usesLut(OperationInfo primary) {
        return primary.activation() != null && primary.activation().type() == OpType.Lut
                && primary.activation().lut() != null;
    }

    /** Buffered weights are copied when the buffers are in another memory than the weights themselves. */
    private boolean weightsNeedTransfer() {
        return target.permanentStorageArea() != target.fastStorageArea();
    }
}
