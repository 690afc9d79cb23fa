package npuc.frontend;

/** Where one TFLite operator may run, with Vela's warning lines when it must go to the CPU. */
public record OperatorPlacement(boolean onNpu, Reason reason, java.util.List<String> lines) {
    public OperatorPlacement {
        lines = java.util.List.copyOf(lines);
    }

    public enum Reason { SUPPORTED, SEMANTIC, UNSUPPORTED, CPU_ONLY }

    public static OperatorPlacement supported() {
        return new OperatorPlacement(true, Reason.SUPPORTED, java.util.List.of());
    }
}
