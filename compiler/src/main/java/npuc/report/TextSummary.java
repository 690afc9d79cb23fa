package npuc.report;

import java.util.Locale;

import npuc.arch.Target;
import npuc.arch.TargetSummary;
import npuc.frontend.FrontEndResult;

/** Vela's text summary, laid out as Vela prints it, for the parts npuc has computed. */
public final class TextSummary {
    private TextSummary() {
    }

    public static String of(String networkName, Target target) {
        return of(networkName, target, null);
    }

    /** With the CPU/NPU operator lines when the front end has run. */
    public static String of(String networkName, Target target, FrontEndResult frontEnd) {
        return of(networkName, target, frontEnd, false);
    }

    /**
     * With the CPU/NPU operator lines when the front end has run, each followed, with {@code showOperations}, by one
     * line per operator as Vela's {@code --show-cpu-operations} prints them.
     */
    public static String of(String networkName, Target target, FrontEndResult frontEnd, boolean showOperations) {
        TargetSummary t = target.summary();
        StringBuilder s = new StringBuilder();
        s.append('\n');
        s.append("Network summary for ").append(networkName).append('\n');
        line(s, "Accelerator configuration        %20s", t.acceleratorConfiguration());
        line(s, "System configuration             %20s", t.systemConfig());
        line(s, "Memory mode                      %20s", t.memoryMode());
        line(s, "Accelerator clock                        %12d MHz", (long) (t.coreClock() / 1e6));
        s.append('\n');
        if (frontEnd != null) {
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
        }
        return s.toString();
    }

    /** Vela's {@code f"{kind} operators = {n:d} ({n / max(total, 1):4.1%})"}. */
    public static String operatorLine(String kind, int n, int total) {
        double ratio = (double) n / Math.max(total, 1);
        String pct = new java.math.BigDecimal(ratio * 100).setScale(1, java.math.RoundingMode.HALF_EVEN).toPlainString()
                + "%";
        // Width 4 never pads: the shortest value, "0.0%", is already four characters.
        return kind + " operators = " + n + " (" + pct + ")";
    }

    private static void line(StringBuilder s, String format, Object... args) {
        s.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}
