package npuc.frontend;

import java.util.List;

/** Where one TFLite operator may run, with Vela's warning lines when it must go to the CPU. */
public record OperatorPlacement(boolean onNpu, Reason reason, List<String> lines) {
    public enum Reason { SUPPORTED, SEMANTIC, UNSUPPORTED, CPU_ONLY }

    public OperatorPlacement {
        lines = List.copyOf(lines);
    }

    static OperatorPlacement npu() {
        return new OperatorPlacement(true, Reason.SUPPORTED, List.of());
    }
}
