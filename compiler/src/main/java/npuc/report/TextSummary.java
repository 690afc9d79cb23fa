package npuc.report;

import java.util.List;
import java.util.Locale;

import npuc.alloc.MemoryUsed;
import npuc.arch.MemoryArea;
import npuc.arch.Target;
import npuc.arch.TargetSummary;
import npuc.frontend.FrontEndResult;
import npuc.perf.CycleKind;
import npuc.perf.Direction;
import npuc.perf.NetworkPerformance;
import npuc.perf.TrafficPurpose;

/** Vela's text summary, laid out as Vela prints it. */
public final class TextSummary {
    private TextSummary() {
    }

    /**
     * The summary after the performance model has run: the target, the design and average bandwidths of the
     * memory areas the network uses, the CPU/NPU operator lines (each followed, with {@code showOperations}, by
     * one line per operator as Vela's {@code --show-cpu-operations} prints them), MACs, cycles by kind and the
     * inference time, and the memory each of those areas holds.
     */
    public static String of(String networkName, Target target, FrontEndResult frontEnd, boolean showOperations,
            NetworkPerformance performance, MemoryUsed memoryUsed) {
        TargetSummary t = target.summary();
        // Vela reports only the memory areas the network moves data through.
        List<MemoryArea> used = MemoryArea.PORT_AREAS.stream()
                .filter(a -> performance.bandwidths().total(a) > 0).toList();
        StringBuilder s = new StringBuilder();
        s.append('\n');
        s.append("Network summary for ").append(networkName).append('\n');
        line(s, "Accelerator configuration        %20s", t.acceleratorConfiguration());
        line(s, "System configuration             %20s", t.systemConfig());
        line(s, "Memory mode                      %20s", t.memoryMode());
        line(s, "Accelerator clock                        %12d MHz", (long) (t.coreClock() / 1e6));
        for (MemoryArea a : used) {
            line(s, "Design peak %-25s    %12.2f GB/s", a.displayName() + " bandwidth", target.bandwidthGBps(a));
        }
        s.append('\n');
        for (MemoryArea a : used) {
            if (memoryUsed.bytes().containsKey(a)) {
                line(s, "Total %-25s          %12s KiB", a.displayName() + " used",
                        PythonFloat.fixed(memoryUsed.of(a) / 1024.0, 2));
            }
        }
        s.append('\n');
        int cpu = frontEnd.cpuOperators().size();
        int npu = frontEnd.npuOperators().size();
        s.append(operatorLine("CPU", cpu, cpu + npu)).append('\n');
        if (showOperations) {
            frontEnd.cpuOperators().forEach(op -> s.append(op.listingLine("CPU")).append('\n'));
        }
        s.append(operatorLine("NPU", npu, cpu + npu)).append('\n');
        if (showOperations) {
            frontEnd.npuOperators().forEach(op -> s.append(op.listingLine("NPU")).append('\n'));
        }
        s.append('\n');
        performanceLines(s, target, frontEnd.batchSize(), performance, used);
        return s.toString();
    }

    private static void performanceLines(StringBuilder s, Target target, int batchSize, NetworkPerformance p,
            List<MemoryArea> used) {
        double inferenceTime = p.inferenceTime(target.coreClock());
        double perSecond = p.inferencesPerSecond(target.coreClock());
        for (MemoryArea a : used) {
            String label = a.displayName() + " bandwidth";
            double total = p.bandwidths().total(a);
            double weights = p.bytes(a, TrafficPurpose.WEIGHTS, Direction.READ)
                    + p.bytes(a, TrafficPurpose.WEIGHTS, Direction.WRITE);
            line(s, "Average %-25s        %12.2f GB/s", label, total * perSecond / 1e9);
            line(s, "Input   %-25s        %12.2f MB/batch", label,
                    p.bytes(a, TrafficPurpose.FEATURE_MAP, Direction.READ) / 1e6);
            line(s, "Weight  %-25s        %12.2f MB/batch", label, weights / 1e6);
            line(s, "Output  %-25s        %12.2f MB/batch", label,
                    p.bytes(a, TrafficPurpose.FEATURE_MAP, Direction.WRITE) / 1e6);
            line(s, "Total   %-25s        %12.2f MB/batch", label, total / 1e6);
            line(s, "Total   %-25s per input %9.2f MB/inference (batch size %d)", label, total / 1e6 / batchSize,
                    batchSize);
            s.append('\n');
        }
        line(s, "Neural network macs                      %12d MACs/batch", p.macs());
        line(s, "Network Tops/s                           %12.2f Tops/s", p.macs() * 2 * perSecond / 1e12);
        s.append('\n');
        for (CycleKind k : CycleKind.values()) {
            line(s, "%-30s           %12d cycles/batch", k.displayName() + " cycles", (long) p.cycles(k));
        }
        s.append('\n');
        line(s, "Batch Inference time              %7.2f ms, %7.2f inferences/s (batch size %d)",
                inferenceTime * 1000, perSecond, batchSize);
        s.append('\n');
    }

    /**
     * The lines Vela's {@code --verbose-weights} adds to the summary, before the MACs line: the original and
     * NPU-encoded weight sizes.
     */
    public static String weightLines(long originalBytes, long encodedBytes) {
        StringBuilder s = new StringBuilder();
        line(s, "Original Weights Size                    %12s KiB", PythonFloat.fixed(originalBytes / 1024.0, 2));
        line(s, "NPU Encoded Weights Size                 %12s KiB", PythonFloat.fixed(encodedBytes / 1024.0, 2));
        return s.append('\n').toString();
    }

    /** Vela's {@code f"{kind} operators = {n:d} ({n / max(total, 1):4.1%})"}. */
    public static String operatorLine(String kind, int n, int total) {
        double ratio = (double) n / Math.max(total, 1);
        String pct = PythonFloat.fixed(ratio * 100, 1) + "%";
        // Width 4 never pads: the shortest value, "0.0%", is already four characters.
        return kind + " operators = " + n + " (" + pct + ")";
    }

    private static void line(StringBuilder s, String format, Object... args) {
        // Python prints a network with no NPU cycles as "nan inferences/s"; Java would say "NaN".
        s.append(String.format(Locale.ROOT, format, args).replace("NaN", "nan").replace("Infinity", "inf"))
                .append('\n');
    }
}
