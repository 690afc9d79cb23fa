package npuc.graph;

/** A named metadata entry pointing at a model buffer. */
public record Metadata(String name, int buffer) {
}
