package npuc.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import npuc.alloc.ArenaAllocation;
import npuc.alloc.TensorAllocator;
import npuc.arch.MemoryType;
import npuc.frontend.FrontEndResult.TensorInfo;
import npuc.frontend.TensorPurpose;
import npuc.schedule.LiveRanges;

/**
 * Vela's {@code --verbose-allocation} listing of the arena allocations: every buffer with its lifetime, address
 * range and size, then the lower bound (the most bytes live at one time), the size the allocator reached and the
 * difference.
 */
public final class AllocationReport {
    private AllocationReport() {
    }

    private record Line(int start, int end, long size, long address, String purpose, String name) {
    }

    public static String of(ArenaAllocation arena, TensorAllocator allocator) {
        StringBuilder s = new StringBuilder();
        for (ArenaAllocation.Region region : arena.regions()) {
            LiveRanges lrs = region.ranges();
            long[] usage = lrs.snapshot().usage();
            s.append('\n').append("#".repeat(80)).append('\n');
            String types = region.scope().types().stream().sorted().map(AllocationReport::typeName)
                    .collect(Collectors.joining(", "));
            s.append(String.format(Locale.ROOT, "Tensor Allocation for mem_area %s, of mem_type_set (%s), using "
                    + "allocator %s, in Cpu and Npu subgraph:%n", region.scope().area().configName(), types,
                    allocatorName(allocator)));
            s.append(String.format(Locale.ROOT, "%10s - %10s: %10s - %10s: %11s: %12s: %-12s: Name%n", "Start Time",
                    "End Time", "Start Addr", "End Addr", "Tensor Size", "Memory Usage", "Purpose"));
            List<Line> lines = new ArrayList<>();
            for (int i = 0; i < lrs.ranges().size(); i++) {
                LiveRanges.Range r = lrs.ranges().get(i);
                long address = region.allocation().address(i);
                if (r.tensors().isEmpty()) {
                    lines.add(weightBuffer(r.start(), r.end(), r.size(), address, r.name()));
                }
                for (TensorInfo t : r.tensors()) {
                    lines.add(new Line(r.start(), r.end(), r.size(), address, purposeName(t.purpose()), t.name()));
                }
            }
            lines.sort(Comparator.comparingInt(Line::start).thenComparingInt(Line::end).thenComparingLong(Line::size)
                    .thenComparingLong(Line::address).thenComparing(Line::purpose).thenComparing(Line::name));
            for (Line l : lines) {
                s.append(String.format(Locale.ROOT, "%10d - %10d: %#10x - %#10x: %11d: %12d: %-12s: %s%n", l.start(),
                        l.end(), l.address(), l.address() + l.size(), l.size(),
                        l.start() < usage.length ? usage[l.start()] : 0, l.purpose(), l.name()));
            }
            long lower = region.lowerBound();
            long reached = region.size();
            s.append(String.format(Locale.ROOT, "Allocation Peak Tensor Size:  %9d (%#10x) Bytes %8.2f KiB%n", lower,
                    lower, lower / 1024.0));
            s.append(String.format(Locale.ROOT, "Allocation Peak Memory Usage: %9d (%#10x) Bytes %8.2f KiB%n",
                    reached, reached, reached / 1024.0));
            s.append(String.format(Locale.ROOT, "Allocation Overhead:          %9d Bytes (%.2f %%)%n", reached - lower,
                    lower == 0 ? 0.0 : 100.0 * (reached - lower) / lower));
        }
        return s.toString();
    }

    /**
     * A live range without tensors is a weight buffer in fast storage: Vela names it after the NPU copy of the
     * weights ({@code <weights>_npu_buffer}, {@code ..._buffer2} for the second of a double buffer).
     */
    private static Line weightBuffer(int start, int end, long size, long address, String name) {
        for (String suffix : new String[] {"_buffer2", "_buffer"}) {
            if (name.endsWith(suffix)) {
                String weights = name.substring(0, name.length() - suffix.length());
                return new Line(start, end, size, address, "Weights", weights + "_npu" + suffix);
            }
        }
        return new Line(start, end, size, address, "Unknown", name);
    }

    /** Vela prints the allocator enum by its name ("HillClimb"). */
    private static String allocatorName(TensorAllocator a) {
        return a.name();
    }

    private static String typeName(MemoryType t) {
        return switch (t) {
            case PERMANENT_NPU -> "Permanent_NPU";
            case PERMANENT_CPU -> "Permanent_CPU";
            case SCRATCH -> "Scratch";
            case SCRATCH_FAST -> "Scratch_fast";
        };
    }

    private static String purposeName(TensorPurpose p) {
        return switch (p) {
            case UNKNOWN -> "Unknown";
            case FEATURE_MAP -> "FeatureMap";
            case WEIGHTS -> "Weights";
            case SCRATCH -> "Scratch";
            case LUT -> "LUT";
            case FAST_STORAGE -> "ScratchFast";
        };
    }
}
