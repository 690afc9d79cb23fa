package npuc.generator;

/**
 * A tensor a script statement made: output {@code part} of statement {@code statement} (part 0 for the many
 * statements with one output).
 */
public record Ref(int statement, int part) {
    public Ref {
        if (statement < 0 || part < 0) {
            throw new IllegalArgumentException("statement and part must not be negative: " + statement + ", " + part);
        }
    }

    public static Ref of(int statement) {
        return new Ref(statement, 0);
    }
}
