package npuc.generator;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import npuc.codegen.Command;
import npuc.codegen.CommandStreamDecoder;
import npuc.codegen.NpuCommand;

/**
 * Checks an NPU call's command stream as hardware would meet it: every word decodes to a known command, and every
 * address an operation or transfer uses lies in its region: flash (region 0), the scratch arena (1) or the fast
 * scratch arena (2). For feature maps the check covers each tile's base and the start of its last row and column
 * (a lower bound of its extent, so the check never fails a valid stream); weights, scales and transfers are checked
 * with their lengths.
 */
final class StreamChecks {
    private StreamChecks() {
    }

    /** The problems of {@code call}'s stream, empty when it is sound. */
    static List<String> problems(NpuCall call) {
        List<String> problems = new ArrayList<>();
        List<Command> commands;
        try {
            commands = CommandStreamDecoder.decode(call.commandWords());
        } catch (RuntimeException e) {
            problems.add("does not decode: " + e.getMessage());
            return problems;
        }
        Map<NpuCommand, Command> state = new EnumMap<>(NpuCommand.class);
        for (int i = 0; i < commands.size(); i++) {
            Command c = commands.get(i);
            switch (c.command()) {
                case NPU_OP_CONV, NPU_OP_DEPTHWISE, NPU_OP_POOL, NPU_OP_ELEMENTWISE ->
                        checkKernel(call, state, c.command(), i, problems);
                case NPU_OP_DMA_START -> checkDma(call, state, i, problems);
                default -> state.put(c.command(), c);
            }
        }
        return problems;
    }

    private static void checkKernel(NpuCall call, Map<NpuCommand, Command> s, NpuCommand op, int at,
            List<String> problems) {
        String where = op.name() + " at command " + at;
        featureMap(call, s, "IFM", NpuCommand.NPU_SET_IFM_REGION, new NpuCommand[] {NpuCommand.NPU_SET_IFM_BASE0,
                NpuCommand.NPU_SET_IFM_BASE1, NpuCommand.NPU_SET_IFM_BASE2, NpuCommand.NPU_SET_IFM_BASE3},
                NpuCommand.NPU_SET_IFM_HEIGHT0_M1, NpuCommand.NPU_SET_IFM_WIDTH0_M1, NpuCommand.NPU_SET_IFM_STRIDE_Y,
                NpuCommand.NPU_SET_IFM_STRIDE_X, where, problems);
        featureMap(call, s, "OFM", NpuCommand.NPU_SET_OFM_REGION, new NpuCommand[] {NpuCommand.NPU_SET_OFM_BASE0,
                NpuCommand.NPU_SET_OFM_BASE1, NpuCommand.NPU_SET_OFM_BASE2, NpuCommand.NPU_SET_OFM_BASE3},
                NpuCommand.NPU_SET_OFM_HEIGHT0_M1, NpuCommand.NPU_SET_OFM_WIDTH0_M1, NpuCommand.NPU_SET_OFM_STRIDE_Y,
                NpuCommand.NPU_SET_OFM_STRIDE_X, where, problems);
        if (op == NpuCommand.NPU_OP_ELEMENTWISE && s.containsKey(NpuCommand.NPU_SET_IFM2_BASE0)
                && (param(s, NpuCommand.NPU_SET_IFM2_BROADCAST) & (1 << 7)) == 0) {
            featureMap(call, s, "IFM2", NpuCommand.NPU_SET_IFM2_REGION, new NpuCommand[] {
                    NpuCommand.NPU_SET_IFM2_BASE0, NpuCommand.NPU_SET_IFM2_BASE1, NpuCommand.NPU_SET_IFM2_BASE2,
                    NpuCommand.NPU_SET_IFM2_BASE3}, NpuCommand.NPU_SET_IFM2_HEIGHT0_M1,
                    NpuCommand.NPU_SET_IFM2_WIDTH0_M1, NpuCommand.NPU_SET_IFM2_STRIDE_Y,
                    NpuCommand.NPU_SET_IFM2_STRIDE_X, where, problems);
        }
        if (op == NpuCommand.NPU_OP_CONV || op == NpuCommand.NPU_OP_DEPTHWISE) {
            range(call, "weights", param(s, NpuCommand.NPU_SET_WEIGHT_REGION), address(s, NpuCommand.NPU_SET_WEIGHT_BASE),
                    address(s, NpuCommand.NPU_SET_WEIGHT_LENGTH), where, problems);
            range(call, "scales", param(s, NpuCommand.NPU_SET_SCALE_REGION), address(s, NpuCommand.NPU_SET_SCALE_BASE),
                    address(s, NpuCommand.NPU_SET_SCALE_LENGTH), where, problems);
        }
    }

    private static void featureMap(NpuCall call, Map<NpuCommand, Command> s, String name, NpuCommand region,
            NpuCommand[] bases, NpuCommand height, NpuCommand width, NpuCommand strideY, NpuCommand strideX,
            String where, List<String> problems) {
        int r = param(s, region);
        long base = address(s, bases[0]);
        long last = base + (param(s, height)) * address(s, strideY) + (param(s, width)) * address(s, strideX);
        range(call, name, r, base, last - base + 1, where, problems);
        for (int t = 1; t < bases.length; t++) {
            if (s.containsKey(bases[t])) {
                range(call, name + " tile " + t, r, address(s, bases[t]), 1, where, problems);
            }
        }
    }

    private static void checkDma(NpuCall call, Map<NpuCommand, Command> s, int at, List<String> problems) {
        String where = "DMA at command " + at;
        long length = address(s, NpuCommand.NPU_SET_DMA0_LEN);
        int src = param(s, NpuCommand.NPU_SET_DMA0_SRC_REGION);
        int dst = param(s, NpuCommand.NPU_SET_DMA0_DST_REGION);
        range(call, "DMA source", src, address(s, NpuCommand.NPU_SET_DMA0_SRC), length, where, problems);
        // A destination in the NPU's internal memory (a lookup table into SHRAM) is not an arena address.
        if ((dst & (1 << 8)) == 0) {
            range(call, "DMA destination", dst, address(s, NpuCommand.NPU_SET_DMA0_DST), length, where, problems);
        }
    }

    private static void range(NpuCall call, String what, int region, long start, long length, String where,
            List<String> problems) {
        long size = switch (region & 0xFF) {
            case 0 -> call.flash().length;
            case 1 -> call.scratchSize();
            case 2 -> Math.max(call.fastScratchSize(), call.scratchSize());
            default -> -1;
        };
        if (size < 0) {
            problems.add(String.format(Locale.ROOT, "%s: %s in unknown region %d", where, what, region));
        } else if (start < 0 || length < 0 || start + length > size) {
            problems.add(String.format(Locale.ROOT, "%s: %s [%d, %d) is outside region %d of %d bytes", where,
                    what, start, start + length, region & 0xFF, size));
        }
    }

    private static int param(Map<NpuCommand, Command> s, NpuCommand c) {
        Command cmd = s.get(c);
        return cmd == null ? 0 : cmd.param();
    }

    /** A 32-bit payload with the parameter's low byte as bits 32-39 (the U65's 40-bit addresses). */
    private static long address(Map<NpuCommand, Command> s, NpuCommand c) {
        Command cmd = s.get(c);
        return cmd == null ? 0 : (cmd.payload() & 0xFFFFFFFFL) | ((long) (cmd.param() & 0xFF) << 32);
    }
}
