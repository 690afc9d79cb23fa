package npuc.codegen;

import java.util.HashMap;
import java.util.Map;

/**
 * The Ethos-U command opcodes (architecture 1.0.6, shared by U55 and U65): operations ({@code NPU_OP_*}) and
 * register writes ({@code NPU_SET_*}). A command is one word with a 16-bit parameter in its upper half, or two
 * words when it carries a 32-bit payload; the two kinds have separate opcode spaces.
 */
public enum NpuCommand {
    NPU_OP_STOP(0x000, false),
    NPU_OP_IRQ(0x001, false),
    NPU_OP_CONV(0x002, false),
    NPU_OP_DEPTHWISE(0x003, false),
    NPU_OP_POOL(0x005, false),
    NPU_OP_ELEMENTWISE(0x006, false),
    NPU_OP_DMA_START(0x010, false),
    NPU_OP_DMA_WAIT(0x011, false),
    NPU_OP_KERNEL_WAIT(0x012, false),
    NPU_OP_PMU_MASK(0x013, false),
    NPU_SET_IFM_PAD_TOP(0x100, false),
    NPU_SET_IFM_PAD_LEFT(0x101, false),
    NPU_SET_IFM_PAD_RIGHT(0x102, false),
    NPU_SET_IFM_PAD_BOTTOM(0x103, false),
    NPU_SET_IFM_DEPTH_M1(0x104, false),
    NPU_SET_IFM_PRECISION(0x105, false),
    NPU_SET_IFM_UPSCALE(0x107, false),
    NPU_SET_IFM_ZERO_POINT(0x109, false),
    NPU_SET_IFM_WIDTH0_M1(0x10A, false),
    NPU_SET_IFM_HEIGHT0_M1(0x10B, false),
    NPU_SET_IFM_HEIGHT1_M1(0x10C, false),
    NPU_SET_IFM_IB_END(0x10D, false),
    NPU_SET_IFM_REGION(0x10F, false),
    NPU_SET_OFM_WIDTH_M1(0x111, false),
    NPU_SET_OFM_HEIGHT_M1(0x112, false),
    NPU_SET_OFM_DEPTH_M1(0x113, false),
    NPU_SET_OFM_PRECISION(0x114, false),
    NPU_SET_OFM_BLK_WIDTH_M1(0x115, false),
    NPU_SET_OFM_BLK_HEIGHT_M1(0x116, false),
    NPU_SET_OFM_BLK_DEPTH_M1(0x117, false),
    NPU_SET_OFM_ZERO_POINT(0x118, false),
    NPU_SET_OFM_WIDTH0_M1(0x11A, false),
    NPU_SET_OFM_HEIGHT0_M1(0x11B, false),
    NPU_SET_OFM_HEIGHT1_M1(0x11C, false),
    NPU_SET_OFM_REGION(0x11F, false),
    NPU_SET_KERNEL_WIDTH_M1(0x120, false),
    NPU_SET_KERNEL_HEIGHT_M1(0x121, false),
    NPU_SET_KERNEL_STRIDE(0x122, false),
    NPU_SET_PARALLEL_MODE(0x123, false),
    NPU_SET_ACC_FORMAT(0x124, false),
    NPU_SET_ACTIVATION(0x125, false),
    NPU_SET_ACTIVATION_MIN(0x126, false),
    NPU_SET_ACTIVATION_MAX(0x127, false),
    NPU_SET_WEIGHT_REGION(0x128, false),
    NPU_SET_SCALE_REGION(0x129, false),
    NPU_SET_AB_START(0x12D, false),
    NPU_SET_BLOCKDEP(0x12F, false),
    NPU_SET_DMA0_SRC_REGION(0x130, false),
    NPU_SET_DMA0_DST_REGION(0x131, false),
    NPU_SET_DMA0_SIZE0(0x132, false),
    NPU_SET_DMA0_SIZE1(0x133, false),
    NPU_SET_IFM2_BROADCAST(0x180, false),
    NPU_SET_IFM2_SCALAR(0x181, false),
    NPU_SET_IFM2_PRECISION(0x185, false),
    NPU_SET_IFM2_ZERO_POINT(0x189, false),
    NPU_SET_IFM2_WIDTH0_M1(0x18A, false),
    NPU_SET_IFM2_HEIGHT0_M1(0x18B, false),
    NPU_SET_IFM2_HEIGHT1_M1(0x18C, false),
    NPU_SET_IFM2_IB_START(0x18D, false),
    NPU_SET_IFM2_REGION(0x18F, false),
    NPU_SET_IFM_BASE0(0x000, true),
    NPU_SET_IFM_BASE1(0x001, true),
    NPU_SET_IFM_BASE2(0x002, true),
    NPU_SET_IFM_BASE3(0x003, true),
    NPU_SET_IFM_STRIDE_X(0x004, true),
    NPU_SET_IFM_STRIDE_Y(0x005, true),
    NPU_SET_IFM_STRIDE_C(0x006, true),
    NPU_SET_OFM_BASE0(0x010, true),
    NPU_SET_OFM_BASE1(0x011, true),
    NPU_SET_OFM_BASE2(0x012, true),
    NPU_SET_OFM_BASE3(0x013, true),
    NPU_SET_OFM_STRIDE_X(0x014, true),
    NPU_SET_OFM_STRIDE_Y(0x015, true),
    NPU_SET_OFM_STRIDE_C(0x016, true),
    NPU_SET_WEIGHT_BASE(0x020, true),
    NPU_SET_WEIGHT_LENGTH(0x021, true),
    NPU_SET_SCALE_BASE(0x022, true),
    NPU_SET_SCALE_LENGTH(0x023, true),
    NPU_SET_OFM_SCALE(0x024, true),
    NPU_SET_OPA_SCALE(0x025, true),
    NPU_SET_OPB_SCALE(0x026, true),
    NPU_SET_DMA0_SRC(0x030, true),
    NPU_SET_DMA0_DST(0x031, true),
    NPU_SET_DMA0_LEN(0x032, true),
    NPU_SET_DMA0_SKIP0(0x033, true),
    NPU_SET_DMA0_SKIP1(0x034, true),
    NPU_SET_IFM2_BASE0(0x080, true),
    NPU_SET_IFM2_BASE1(0x081, true),
    NPU_SET_IFM2_BASE2(0x082, true),
    NPU_SET_IFM2_BASE3(0x083, true),
    NPU_SET_IFM2_STRIDE_X(0x084, true),
    NPU_SET_IFM2_STRIDE_Y(0x085, true),
    NPU_SET_IFM2_STRIDE_C(0x086, true),
    NPU_SET_WEIGHT1_BASE(0x090, true),
    NPU_SET_WEIGHT1_LENGTH(0x091, true),
    NPU_SET_SCALE1_BASE(0x092, true),
    NPU_SET_SCALE1_LENGTH(0x093, true);

    /** Bit 14 of the first word: a 32-bit payload word follows. */
    static final int PAYLOAD32 = 0x4000;
    /** The two payload-mode bits of the first word. */
    static final int MODE_MASK = 0xC000;
    /** The opcode bits of the first word. */
    static final int OPCODE_MASK = 0x03FF;

    private static final Map<Integer, NpuCommand> BY_CODE = new HashMap<>();

    static {
        for (NpuCommand c : values()) {
            BY_CODE.put(c.code(), c);
        }
    }

    private final int opcode;
    private final boolean payload32;

    NpuCommand(int opcode, boolean payload32) {
        this.opcode = opcode;
        this.payload32 = payload32;
    }

    public int opcode() {
        return opcode;
    }

    /** Whether the command is followed by a 32-bit payload word. */
    public boolean hasPayload() {
        return payload32;
    }

    /** The lower half of the command's first word. */
    public int code() {
        return opcode | (payload32 ? PAYLOAD32 : 0);
    }

    /** Whether the payload (or parameter) is a byte address, which depends on where tensors were placed. */
    public boolean isAddress() {
        return switch (this) {
            case NPU_SET_IFM_BASE0, NPU_SET_IFM_BASE1, NPU_SET_IFM_BASE2, NPU_SET_IFM_BASE3, NPU_SET_IFM2_BASE0,
                    NPU_SET_IFM2_BASE1, NPU_SET_IFM2_BASE2, NPU_SET_IFM2_BASE3, NPU_SET_OFM_BASE0, NPU_SET_OFM_BASE1,
                    NPU_SET_OFM_BASE2, NPU_SET_OFM_BASE3, NPU_SET_WEIGHT_BASE, NPU_SET_WEIGHT1_BASE,
                    NPU_SET_SCALE_BASE, NPU_SET_SCALE1_BASE, NPU_SET_DMA0_SRC, NPU_SET_DMA0_DST -> true;
            default -> false;
        };
    }

    /** Operations start work (or wait for it); the rest set registers. */
    public boolean isOperation() {
        return name().startsWith("NPU_OP_");
    }

    /**
     * The DMA's own registers and operations: the command stream keeps their values apart from the kernel
     * registers when it drops writes that would not change a register.
     */
    public boolean isDma() {
        return name().contains("DMA");
    }

    /** The command whose first word's lower half is {@code code}, or null when there is none. */
    public static NpuCommand ofCode(int code) {
        int mode = code & MODE_MASK;
        if (mode != 0 && mode != PAYLOAD32) {
            return null;
        }
        if ((code & ~(MODE_MASK | OPCODE_MASK)) != 0) {
            return null;
        }
        return BY_CODE.get(code);
    }
}
