package npuc;

import npuc.search.MinimumArena;

/** No schedule the search makes fits the target's arena cache: says the smallest size that fits, and why. */
public final class ArenaTooSmallException extends BadInputException {
    private final transient MinimumArena minimum;

    public ArenaTooSmallException(String message, MinimumArena minimum) {
        super(message);
        this.minimum = minimum;
    }

    public MinimumArena minimum() {
        return minimum;
    }
}
