package npuc.report;

import java.util.Locale;

import npuc.arch.Target;
import npuc.arch.TargetSummary;

/** Vela's text summary, laid out as Vela prints it, for the parts npuc has computed. */
public final class TextSummary {
    private TextSummary() {
    }

    public static String of(String networkName, Target target) {
        TargetSummary t = target.summary();
        StringBuilder s = new StringBuilder();
        s.append('\n');
        s.append("Network summary for ").append(networkName).append('\n');
        line(s, "Accelerator configuration        %20s", t.acceleratorConfiguration());
        line(s, "System configuration             %20s", t.systemConfig());
        line(s, "Memory mode                      %20s", t.memoryMode());
        line(s, "Accelerator clock                        %12d MHz", (long) (t.coreClock() / 1e6));
        s.append('\n');
        return s.toString();
    }

    private static void line(StringBuilder s, String format, Object... args) {
        s.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}
