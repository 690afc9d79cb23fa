package npuc.schedule;

/**
 * The --optimise choice. Performance and Size are Vela's: the fastest schedule Vela's heuristics make within the
 * arena, or the smallest arena. FastestFit is npuc's own: it searches schedules (Vela's at smaller staging limits,
 * Size's, and ones between them) and keeps the fastest whose arena allocation fits, so more SRAM is never slower.
 */
public enum OptimizationStrategy {
    Performance, Size, FastestFit;

    /** One of Vela's own strategies, whose figures are Vela's. */
    public boolean isVelas() {
        return this != FastestFit;
    }
}
