package npuc;

import java.util.List;
import java.util.Objects;

import npuc.arch.Target;
import npuc.frontend.FrontEndResult;
import npuc.report.NetworkSummary;
import npuc.schedule.NetworkSchedule;

/**
 * What one compile of one model for one target produced.
 *
 * @param textSummary Vela's text summary, as the CLI prints it
 * @param warnings    what the user should know that did not stop the compile, as the lines Vela prints
 *                    ("Warning: ...", "Info: ..."), in Vela's order
 * @param frontEnd    the partition and passes the front end produced
 * @param schedule    the NPU schedules and their performance estimate
 */
public record CompileResult(String networkName, Target target, NetworkSummary summary, String textSummary,
                            List<String> warnings, FrontEndResult frontEnd, NetworkSchedule schedule) {
    public CompileResult {
        Objects.requireNonNull(networkName, "networkName");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(summary, "summary");
        warnings = List.copyOf(warnings);
    }

    /** Vela's name for the summary CSV: {@code <network>_summary_<system config>.csv}. */
    public String summaryFileName() {
        return networkName + "_summary_" + target.systemConfigName() + ".csv";
    }

    /** Vela's name for the optimised model: {@code <network>_vela.tflite}. */
    public String optimisedModelFileName() {
        return networkName + "_vela.tflite";
    }
}
