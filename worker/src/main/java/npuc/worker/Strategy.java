package npuc.worker;

/** What the scheduler optimises for, as Vela's {@code --optimise}. */
public enum Strategy {
    Performance,
    Size
}
