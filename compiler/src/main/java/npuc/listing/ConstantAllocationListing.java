package npuc.listing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import npuc.CompileResult;
import npuc.codegen.CommandStream;
import npuc.serialise.NpuConstant;

/**
 * Vela's {@code --verbose-allocation} of the constant areas, which it allocates linearly after the arena: the
 * NPU's constants (encoded weights, biases, operands, lookup tables) in the flash tensor, then what the CPU
 * hands the NPU from permanent storage (each command stream, then the flash tensor).
 */
final class ConstantAllocationListing {
    private ConstantAllocationListing() {
    }

    private record Line(int start, int end, long address, long size, String purpose, String name) {
    }

    static String npu(CompileResult result) {
        List<Line> lines = new ArrayList<>();
        for (NpuConstant c : result.constants().constants()) {
            String purpose = switch (c.kind()) {
                case ENCODED_WEIGHTS -> "Weights";
                case CONSTANT_INPUT -> "FeatureMap";
                case LUT -> "LUT";
            };
            String name = c.kind() == NpuConstant.Kind.ENCODED_WEIGHTS ? c.name() + "_npu_npu_encoded_weights"
                    : c.name() + "_npu";
            lines.add(new Line(0, 1, c.offset(), c.reserved(), purpose, name));
        }
        return table("Permanent_NPU", "Npu", result, lines, result.constants().size());
    }

    static String cpu(CompileResult result, npuc.graph.Graph model) {
        List<Line> lines = new ArrayList<>();
        long address = 0;
        int end = result.frontEnd().subgraphs().get(0).passes().size() + 1;
        for (CommandStream stream : result.streams()) {
            long size = align(stream.payload().length, 16);
            lines.add(new Line(0, end, address, size, "FeatureMap", stream.subgraph() + "_command_stream"));
            address += size;
        }
        if (!result.streams().isEmpty()) {
            long size = align(result.constants().size(), 16);
            lines.add(new Line(0, end, address, size, "FeatureMap", result.streams().get(0).subgraph() + "_flash"));
            address += size;
        }
        return table("Permanent_CPU", "Cpu", result, lines, address);
    }

    private static long align(long v, long to) {
        return (v + to - 1) / to * to;
    }

    private static String table(String memoryType, String subgraphs, CompileResult result, List<Line> lines,
            long total) {
        StringBuilder s = new StringBuilder();
        s.append('\n').append("#".repeat(80)).append('\n');
        s.append("Tensor Allocation for mem_area ").append(result.target().permanentStorageArea().configName())
                .append(", of mem_type_set (").append(memoryType).append("), using allocator LinearAlloc, in ")
                .append(subgraphs).append(" subgraph:\n");
        s.append(String.format(Locale.ROOT, "%10s - %10s: %10s - %10s: %11s: %12s: %-12s: Name%n", "Start Time",
                "End Time", "Start Addr", "End Addr", "Tensor Size", "Memory Usage", "Purpose"));
        lines.sort(Comparator.comparingInt(Line::start).thenComparingInt(Line::end).thenComparingLong(Line::size)
                .thenComparingLong(Line::address).thenComparing(Line::purpose).thenComparing(Line::name));
        for (Line l : lines) {
            s.append(String.format(Locale.ROOT, "%10d - %10d: %#10x - %#10x: %11d: %12d: %-12s: %s%n", l.start(),
                    l.end(), l.address(), l.address() + l.size(), l.size(), total, l.purpose(), l.name()));
        }
        s.append(String.format(Locale.ROOT, "Allocation Peak Tensor Size:  %9d (%#10x) Bytes %8.2f KiB%n", total,
                total, total / 1024.0));
        s.append(String.format(Locale.ROOT, "Allocation Peak Memory Usage: %9d (%#10x) Bytes %8.2f KiB%n", total,
                total, total / 1024.0));
        s.append(String.format(Locale.ROOT, "Allocation Overhead:          %9d Bytes (%.2f %%)%n", 0, 0.0));
        return s.toString();
    }
}
