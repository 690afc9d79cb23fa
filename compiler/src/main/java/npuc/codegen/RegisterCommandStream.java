package npuc.codegen;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import npuc.arch.Accelerator;
import npuc.codegen.NpuOperation.AddressRange;
import npuc.codegen.NpuOperation.Block;
import npuc.codegen.NpuOperation.Dma;
import npuc.codegen.NpuOperation.FeatureMap;

/**
 * Writes the register commands of a list of NPU operations: for each, the registers it needs in the order the
 * reference writes them, leaving out writes that would not change a register, then the block dependency, the
 * waits its memory accesses need on earlier DMAs or kernels, and the operation itself; a stop at the end.
 */
public final class RegisterCommandStream {
    /** Most jobs a kernel may run ahead of the one before it. */
    static final int MAX_BLOCKDEP = 3;
    /** The hardware's command stream limit. */
    static final int MAX_BYTES = 1 << 24;

    private final Accelerator arch;
    private final List<Command> out = new ArrayList<>();
    /** Last value written to each register, kernel and DMA registers apart. */
    private final Map<NpuCommand, Command> kernelRegisters = new HashMap<>();
    private final Map<NpuCommand, Command> dmaRegisters = new HashMap<>();

    private RegisterCommandStream(Accelerator arch) {
        this.arch = arch;
    }

    public static List<Command> generate(List<NpuOperation> ops, Accelerator arch) {
        RegisterCommandStream s = new RegisterCommandStream(arch);
        s.run(ops);
        return List.copyOf(s.out);
    }

    private void run(List<NpuOperation> ops) {
        List<MemoryAccesses> accesses = new ArrayList<>();
        for (NpuOperation op : ops) {
            accesses.add(MemoryAccesses.of(op, arch));
        }
        if (arch.isEthosU65()) {
            set(NpuCommand.NPU_SET_PARALLEL_MODE, arch.cores() - 1);
        }
        Deque<Integer> outstandingDma = new ArrayDeque<>();
        Deque<Integer> outstandingKernels = new ArrayDeque<>();
        Block previous = null;
        for (int i = 0; i < ops.size(); i++) {
            NpuOperation op = ops.get(i);
            int[] waits = waits(i, op, accesses, outstandingDma, outstandingKernels);
            String where = ", in operation " + i + ":" + (op instanceof Block b ? b.kind() : "DMA");
            checkAlignment(op, where);
            if (op instanceof Dma d) {
                dma(d);
            } else {
                Block b = (Block) op;
                block(b);
                int dep = BlockDependency.of(arch, previous, b);
                set(NpuCommand.NPU_SET_BLOCKDEP, Math.min(dep, MAX_BLOCKDEP));
                previous = b;
            }
            if (waits[0] >= 0) {
                out.add(Command.of(NpuCommand.NPU_OP_KERNEL_WAIT, waits[0]));
            }
            if (waits[1] >= 0) {
                out.add(Command.of(NpuCommand.NPU_OP_DMA_WAIT, waits[1]));
            }
            if (op instanceof Dma) {
                out.add(Command.of(NpuCommand.NPU_OP_DMA_START, 0));
            } else {
                Block b = (Block) op;
                NpuCommand c = switch (b.kind()) {
                    case CONV -> NpuCommand.NPU_OP_CONV;
                    case DEPTHWISE -> NpuCommand.NPU_OP_DEPTHWISE;
                    case POOL -> NpuCommand.NPU_OP_POOL;
                    case ELEMENTWISE -> NpuCommand.NPU_OP_ELEMENTWISE;
                };
                out.add(Command.of(c, b.mode()));
            }
        }
        out.add(Command.of(NpuCommand.NPU_OP_STOP, 0xFFFF));
        long bytes = out.stream().mapToLong(c -> 4L * c.size()).sum();
        if (bytes >= MAX_BYTES) {
            throw new CommandStreamException(String.format(java.util.Locale.ROOT,
                    "the command stream of %.2f MiB exceeds the hardware limit of 16 MiB", bytes / 1048576.0));
        }
    }

    /**
     * The kernel and DMA waits (-1 for none) operation {@code i} needs: it waits for the most recent outstanding
     * operation of the other kind whose memory accesses conflict with its own, and everything before that one
     * stops being outstanding.
     */
    private int[] waits(int i, NpuOperation op, List<MemoryAccesses> accesses, Deque<Integer> outstandingDma,
                        Deque<Integer> outstandingKernels) {
        int kernelWait = -1;
        int dmaWait = -1;
        Deque<Integer> others;
        if (op instanceof Dma) {
            others = outstandingKernels;
            outstandingDma.addLast(i);
            if (outstandingDma.size() > arch.maxOutstandingDma()) {
                outstandingDma.removeFirst();
            }
        } else {
            others = outstandingDma;
            outstandingKernels.addLast(i);
            if (outstandingKernels.size() > Accelerator.MAX_OUTSTANDING_KERNELS) {
                outstandingKernels.removeFirst();
            }
        }
        List<Integer> list = new ArrayList<>(others);
        int waits = -1;
        for (int idx = list.size() - 1; idx >= 0; idx--) {
            waits++;
            if (accesses.get(list.get(idx)).conflicts(accesses.get(i))) {
                if (op instanceof Dma) {
                    kernelWait = waits;
                } else {
                    dmaWait = waits;
                }
                for (int k = 0; k <= idx; k++) {
                    others.removeFirst();
                }
                break;
            }
        }
        return new int[] {kernelWait, dmaWait};
    }

    /**
     * The hardware's alignment rules: feature-map bases aligned to their element (16 bytes in brick layout),
     * strides to the element (16 in brick layout), weight and scale streams and DMAs to 16 bytes.
     */
    private void checkAlignment(NpuOperation op, String where) {
        if (op instanceof Dma d) {
            boolean u65 = arch.isEthosU65();
            if (!u65 || d.source().region() == Address.SHRAM) {
                aligned(d.source().address(), 16, "DMA source", where);
            }
            if (!u65 || d.destination().region() == Address.SHRAM) {
                aligned(d.destination().address(), 16, "DMA destination", where);
                aligned(d.source().length(), 16, "DMA length", where);
            }
            return;
        }
        Block b = (Block) op;
        for (FeatureMap fm : b.hasIfm2() ? List.of(b.ifm(), b.ifm2(), b.ofm()) : List.of(b.ifm(), b.ofm())) {
            int elem = fm.type().bytes();
            for (long address : fm.tileAddresses()) {
                aligned(address, fm.brick() ? 16 : elem, "feature map address", where);
            }
            if (fm.brick()) {
                aligned(fm.strideC(), 16, "stride", where);
                aligned(fm.strideY(), 16, "stride", where);
            } else {
                aligned(fm.strideY(), elem, "stride", where);
                aligned(fm.strideX(), elem, "stride", where);
            }
        }
        for (AddressRange w : b.weights()) {
            aligned(w.address(), 16, "weight address", where);
            aligned(w.length(), 16, "weight length", where);
        }
        for (AddressRange s : b.scales()) {
            aligned(s.length(), 16, "scale length", where);
        }
    }

    private static void aligned(long value, int multiple, String what, String where) {
        if (value % multiple != 0) {
            throw new CommandStreamException(what + " " + value + " is not a multiple of " + multiple + " bytes"
                    + where);
        }
    }

    private void set(NpuCommand c, long param) {
        emit(Command.of(c, (int) param));
    }

    private void setWithPayload(NpuCommand c, long payload, int param) {
        emit(Command.withPayload(c, param, (int) payload));
    }

    private void setAddress(NpuCommand c, long address) {
        emit(Command.withPayload(c, (int) (address >>> 32), (int) address));
    }

    private void emit(Command c) {
        Map<NpuCommand, Command> registers = c.command().isDma() ? dmaRegisters : kernelRegisters;
        if (c.equals(registers.get(c.command()))) {
            return;
        }
        registers.put(c.command(), c);
        out.add(c);
    }

    private void dma(Dma d) {
        set(NpuCommand.NPU_SET_DMA0_SRC_REGION, d.source().region());
        setAddress(NpuCommand.NPU_SET_DMA0_SRC, d.source().address());
        set(NpuCommand.NPU_SET_DMA0_DST_REGION, d.destination().region());
        setAddress(NpuCommand.NPU_SET_DMA0_DST, d.destination().address());
        setAddress(NpuCommand.NPU_SET_DMA0_LEN, d.source().length());
    }

    private void block(Block b) {
        boolean elementwise = b.kind() == NpuOperation.Kind.ELEMENTWISE;
        if (elementwise) {
            NpuOperation.Scaling s = b.scaling();
            if (s.opaScale() != null) {
                setWithPayload(NpuCommand.NPU_SET_OPA_SCALE, s.opaScale(), s.opaShift());
                setWithPayload(NpuCommand.NPU_SET_OPB_SCALE, s.opbScale(), 0);
            }
            setWithPayload(NpuCommand.NPU_SET_OFM_SCALE, s.ofmScale(), s.ofmShift());
        }
        // IFM
        FeatureMap ifm = b.ifm();
        set(NpuCommand.NPU_SET_IFM_REGION, ifm.region());
        addresses(ifm, NpuCommand.NPU_SET_IFM_BASE0, NpuCommand.NPU_SET_IFM_BASE1, NpuCommand.NPU_SET_IFM_BASE2,
                NpuCommand.NPU_SET_IFM_BASE3);
        set(NpuCommand.NPU_SET_IFM_HEIGHT0_M1, ifm.tileHeight0() - 1);
        set(NpuCommand.NPU_SET_IFM_HEIGHT1_M1, ifm.tileHeight1() - 1);
        set(NpuCommand.NPU_SET_IFM_WIDTH0_M1, ifm.tileWidth0() - 1);
        set(NpuCommand.NPU_SET_IFM_DEPTH_M1, ifm.depth() - 1);
        strides(ifm, NpuCommand.NPU_SET_IFM_STRIDE_C, NpuCommand.NPU_SET_IFM_STRIDE_Y, NpuCommand.NPU_SET_IFM_STRIDE_X);
        set(NpuCommand.NPU_SET_IFM_ZERO_POINT, ifm.zeroPoint());
        set(NpuCommand.NPU_SET_IFM_PRECISION, ifmPrecision(ifm, b.scaling().operandToScale()));
        set(NpuCommand.NPU_SET_IFM_UPSCALE, b.ifmUpscale());
        if (b.padding() != null) {
            set(NpuCommand.NPU_SET_IFM_PAD_TOP, b.padding()[0]);
            set(NpuCommand.NPU_SET_IFM_PAD_LEFT, b.padding()[1]);
            set(NpuCommand.NPU_SET_IFM_PAD_BOTTOM, b.padding()[2]);
            set(NpuCommand.NPU_SET_IFM_PAD_RIGHT, b.padding()[3]);
        }
        // OFM
        FeatureMap ofm = b.ofm();
        set(NpuCommand.NPU_SET_OFM_REGION, ofm.region());
        addresses(ofm, NpuCommand.NPU_SET_OFM_BASE0, NpuCommand.NPU_SET_OFM_BASE1, NpuCommand.NPU_SET_OFM_BASE2,
                NpuCommand.NPU_SET_OFM_BASE3);
        set(NpuCommand.NPU_SET_OFM_HEIGHT0_M1, ofm.tileHeight0() - 1);
        set(NpuCommand.NPU_SET_OFM_HEIGHT1_M1, ofm.tileHeight1() - 1);
        set(NpuCommand.NPU_SET_OFM_WIDTH0_M1, ofm.tileWidth0() - 1);
        set(NpuCommand.NPU_SET_OFM_HEIGHT_M1, ofm.height() - 1);
        set(NpuCommand.NPU_SET_OFM_WIDTH_M1, ofm.width() - 1);
        set(NpuCommand.NPU_SET_OFM_DEPTH_M1, ofm.depth() - 1);
        strides(ofm, NpuCommand.NPU_SET_OFM_STRIDE_C, NpuCommand.NPU_SET_OFM_STRIDE_Y, NpuCommand.NPU_SET_OFM_STRIDE_X);
        set(NpuCommand.NPU_SET_OFM_ZERO_POINT, ofm.zeroPoint());
        set(NpuCommand.NPU_SET_OFM_PRECISION, ofmPrecision(b));
        if (!elementwise) {
            kernel(b);
        }
        ranges(b.weights(), NpuCommand.NPU_SET_WEIGHT_REGION, NpuCommand.NPU_SET_WEIGHT_BASE,
                NpuCommand.NPU_SET_WEIGHT_LENGTH, NpuCommand.NPU_SET_WEIGHT1_BASE, NpuCommand.NPU_SET_WEIGHT1_LENGTH);
        ranges(b.scales(), NpuCommand.NPU_SET_SCALE_REGION, NpuCommand.NPU_SET_SCALE_BASE,
                NpuCommand.NPU_SET_SCALE_LENGTH, NpuCommand.NPU_SET_SCALE1_BASE, NpuCommand.NPU_SET_SCALE1_LENGTH);
        set(NpuCommand.NPU_SET_ACTIVATION, b.activation());
        set(NpuCommand.NPU_SET_ACTIVATION_MIN, b.activationMin());
        set(NpuCommand.NPU_SET_ACTIVATION_MAX, b.activationMax());
        set(NpuCommand.NPU_SET_OFM_BLK_HEIGHT_M1, b.blockHeight() - 1);
        set(NpuCommand.NPU_SET_OFM_BLK_WIDTH_M1, b.blockWidth() - 1);
        set(NpuCommand.NPU_SET_OFM_BLK_DEPTH_M1, b.blockDepth() - 1);
        set(NpuCommand.NPU_SET_IFM_IB_END, b.layout().ibEnd());
        set(NpuCommand.NPU_SET_AB_START, b.layout().abStart());
        if (b.hasIfm2()) {
            set(NpuCommand.NPU_SET_IFM2_IB_START, b.layout().ibStart2());
        }
        set(NpuCommand.NPU_SET_ACC_FORMAT, b.accumulatorFormat());
        if (b.kind() == NpuOperation.Kind.POOL && b.scaling().global()) {
            setWithPayload(NpuCommand.NPU_SET_OFM_SCALE, b.scaling().ofmScale(), b.scaling().ofmShift());
        }
        if (elementwise && b.ifm2() != null) {
            FeatureMap ifm2 = b.ifm2();
            boolean scalar = b.ifm2Scalar() != null;
            if (!scalar) {
                set(NpuCommand.NPU_SET_IFM2_REGION, ifm2.region());
                addresses(ifm2, NpuCommand.NPU_SET_IFM2_BASE0, NpuCommand.NPU_SET_IFM2_BASE1,
                        NpuCommand.NPU_SET_IFM2_BASE2, NpuCommand.NPU_SET_IFM2_BASE3);
                set(NpuCommand.NPU_SET_IFM2_HEIGHT0_M1, ifm2.tileHeight0() - 1);
                set(NpuCommand.NPU_SET_IFM2_HEIGHT1_M1, ifm2.tileHeight1() - 1);
                set(NpuCommand.NPU_SET_IFM2_WIDTH0_M1, ifm2.tileWidth0() - 1);
                strides(ifm2, NpuCommand.NPU_SET_IFM2_STRIDE_C, NpuCommand.NPU_SET_IFM2_STRIDE_Y,
                        NpuCommand.NPU_SET_IFM2_STRIDE_X);
            }
            set(NpuCommand.NPU_SET_IFM2_ZERO_POINT, ifm2.zeroPoint());
            set(NpuCommand.NPU_SET_IFM2_PRECISION, ifmPrecision(ifm2, 0));
            set(NpuCommand.NPU_SET_IFM2_BROADCAST, broadcast(b));
            if (scalar) {
                set(NpuCommand.NPU_SET_IFM2_SCALAR, b.ifm2Scalar());
            }
        }
    }

    /** Bits of IFM2_BROADCAST: broadcast in height, width, depth; reversed operands; scalar second operand. */
    private static int broadcast(Block b) {
        int v = 0;
        if (b.reversedOperands()) {
            v |= 1 << 6;
        }
        if (b.ifm2Scalar() != null) {
            v |= 1 << 7;
        } else {
            if (b.ifm().height() != b.ifm2().height()) {
                v |= 1;
            }
            if (b.ifm().width() != b.ifm2().width()) {
                v |= 1 << 1;
            }
            if (b.ifm().depth() != b.ifm2().depth()) {
                v |= 1 << 2;
            }
        }
        return v;
    }

    private void addresses(FeatureMap fm, NpuCommand... cmds) {
        for (int i = 0; i < 4; i++) {
            setAddress(cmds[i], fm.tileAddresses().get(i));
        }
    }

    private void strides(FeatureMap fm, NpuCommand c, NpuCommand y, NpuCommand x) {
        setAddress(c, fm.strideC());
        setAddress(y, fm.strideY());
        setAddress(x, fm.strideX());
    }

    private void kernel(Block b) {
        NpuOperation.Kernel k = b.kernel();
        set(NpuCommand.NPU_SET_KERNEL_HEIGHT_M1, k.dilationY() * (k.height() - 1));
        set(NpuCommand.NPU_SET_KERNEL_WIDTH_M1, k.dilationX() * (k.width() - 1));
        int stride = (k.strideX() - 1) & 1;
        stride |= ((k.strideY() - 1) & 1) << 1;
        stride |= ((k.strideX() - 1) >> 1) << 6;
        stride |= ((k.strideY() - 1) >> 1) << 9;
        stride |= (k.dilationX() - 1) << 3;
        stride |= (k.dilationY() - 1) << 4;
        if (b.partKernel()) {
            stride |= 1 << 2;
        }
        set(NpuCommand.NPU_SET_KERNEL_STRIDE, stride);
    }

    /** Region, then base and length per core; a core without a range of its own reads the first with length 0. */
    private void ranges(List<AddressRange> ranges, NpuCommand region, NpuCommand base0, NpuCommand length0,
                        NpuCommand base1, NpuCommand length1) {
        if (ranges.isEmpty()) {
            return;
        }
        set(region, ranges.get(0).region());
        NpuCommand[][] perCore = {{base0, length0}, {base1, length1}};
        for (int core = 0; core < 2; core++) {
            if (core < ranges.size()) {
                setAddress(perCore[core][0], ranges.get(core).address());
                setWithPayload(perCore[core][1], ranges.get(core).length(), 0);
            } else if (core < arch.cores()) {
                setAddress(perCore[core][0], ranges.get(0).address());
                setWithPayload(perCore[core][1], 0, 0);
            }
        }
    }

    private static int precisionBits(FeatureMap fm) {
        return switch (fm.type().bits()) {
            case 8 -> 0;
            case 16 -> 1;
            default -> 2;
        };
    }

    private static int ifmPrecision(FeatureMap fm, int operandToScale) {
        int p = fm.signed() ? 1 : 0;
        p += precisionBits(fm) << 2;
        if (fm.brick()) {
            p |= 1 << 6;
        }
        p |= operandToScale << 8;
        return p;
    }

    private static int ofmPrecision(Block b) {
        FeatureMap fm = b.ofm();
        int p = fm.signed() ? 1 : 0;
        p += precisionBits(fm) << 1;
        if (b.scaling().global()) {
            p |= 1 << 8;
        }
        if (fm.brick()) {
            p |= 1 << 6;
        }
        p |= b.rounding() << 14;
        return p;
    }
}
