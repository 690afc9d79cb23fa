package npuc.generator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import npuc.codegen.Command;
import npuc.codegen.CommandStreamDecoder;

/**
 * Where npuc's compile of a model differs from Vela's: a stable class (what differs first, in the order a
 * difference propagates: completion, operator counts, NPU calls, flash tensor, command stream, summary columns)
 * and a detail with the values.
 */
record Differences(String kind, String detail) {

    static Optional<Differences> of(CompileRun npuc, CompileRun vela) {
        if (npuc.status() != CompileRun.Status.COMPLETED || vela.status() != CompileRun.Status.COMPLETED) {
            if (npuc.kind().equals(vela.kind()) || npuc.status() == vela.status()
                    && npuc.status() == CompileRun.Status.ERROR) {
                return Optional.empty();
            }
            return Optional.of(new Differences("npuc " + npuc.kind() + " / vela " + vela.kind(),
                    "npuc: " + npuc.message() + "\nvela: " + vela.message()));
        }
        if (!Objects.equals(npuc.cpuOperators(), vela.cpuOperators())
                || !Objects.equals(npuc.npuOperators(), vela.npuOperators())) {
            return Optional.of(new Differences("operator counts", "npuc CPU " + npuc.cpuOperators() + " NPU "
                    + npuc.npuOperators() + ", vela CPU " + vela.cpuOperators() + " NPU " + vela.npuOperators()));
        }
        if (!npuc.modelWritten()) {
            return Optional.of(new Differences("npuc wrote no optimised model", ""));
        }
        if (npuc.calls().size() != vela.calls().size()) {
            return Optional.of(new Differences("NPU calls", "npuc " + npuc.calls().size() + ", vela "
                    + vela.calls().size()));
        }
        List<String> summary = summaryDifferences(npuc, vela);
        for (int i = 0; i < npuc.calls().size(); i++) {
            NpuCall a = npuc.calls().get(i);
            NpuCall b = vela.calls().get(i);
            if (!Arrays.equals(a.flash(), b.flash())) {
                String kind = a.flash().length != b.flash().length ? "flash size" : "flash bytes";
                return Optional.of(new Differences(kind, "call " + i + ": npuc " + a.flash().length + " bytes, vela "
                        + b.flash().length + " bytes, first difference at byte " + mismatch(a.flash(), b.flash())
                        + (summary.isEmpty() ? "" : "; summary " + summary)));
            }
            if (!Arrays.equals(a.commandStream(), b.commandStream())) {
                return Optional.of(stream(i, a, b, summary));
            }
        }
        if (!summary.isEmpty()) {
            return Optional.of(new Differences("summary " + summary.get(0).replaceAll(":.*", ""),
                    String.join("; ", summary)));
        }
        return Optional.empty();
    }

    private static Differences stream(int call, NpuCall a, NpuCall b, List<String> summary) {
        List<Command> x = CommandStreamDecoder.decode(a.commandWords());
        List<Command> y = CommandStreamDecoder.decode(b.commandWords());
        int i = 0;
        while (i < x.size() && i < y.size() && x.get(i).equals(y.get(i))) {
            i++;
        }
        String nx = i < x.size() ? x.get(i).toString() : "end";
        String ny = i < y.size() ? y.get(i).toString() : "end";
        String command = i < x.size() ? x.get(i).command().name() : i < y.size() ? y.get(i).command().name() : "";
        return new Differences("command stream " + command, "call " + call + ", command " + i + " of " + x.size()
                + "/" + y.size() + ": npuc " + nx + ", vela " + ny + (summary.isEmpty() ? "" : "; summary " + summary));
    }

    private static int mismatch(byte[] a, byte[] b) {
        return Arrays.mismatch(a, b);
    }

    private static List<String> summaryDifferences(CompileRun npuc, CompileRun vela) {
        List<String> out = new ArrayList<>();
        for (var e : vela.summary().entrySet()) {
            String ours = npuc.summary().get(e.getKey());
            if (!same(ours, e.getValue())) {
                out.add(e.getKey() + ": npuc " + ours + " vela " + e.getValue());
            }
        }
        return out;
    }

    private static boolean same(String a, String b) {
        if (Objects.equals(a, b)) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        try {
            return Double.parseDouble(a) == Double.parseDouble(b);
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
