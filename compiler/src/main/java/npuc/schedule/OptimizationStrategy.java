package npuc.schedule;

/** Vela's --optimise choice: fastest schedule within the arena, or the smallest arena. */
public enum OptimizationStrategy {
    Performance, Size
}
