package npuc.generator;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One call of a {@link npuc.tflite.ModelBuilder} method: its name and arguments. Arguments are boxed primitives
 * ({@code Integer}, {@code Long}, {@code Float}, {@code Boolean}), {@code String}, {@code int[]}, {@code float[]},
 * enums, and {@link Ref} or {@code Ref[]} where the method takes tensors.
 */
public record Call(String method, List<Object> args) {
    public Call {
        Objects.requireNonNull(method, "method");
        args = List.copyOf(args);
    }

    public static Call of(String method, Object... args) {
        return new Call(method, Arrays.asList(args));
    }

    /** The tensors this call reads. */
    List<Ref> refs() {
        return args.stream().flatMap(a -> a instanceof Ref r ? java.util.stream.Stream.of(r)
                : a instanceof Ref[] rs ? Arrays.stream(rs) : java.util.stream.Stream.empty()).toList();
    }

    /** This call with every tensor reference mapped by {@code map}. */
    Call mapRefs(java.util.function.UnaryOperator<Ref> map) {
        return new Call(method, args.stream().map(a -> a instanceof Ref r ? map.apply(r)
                : a instanceof Ref[] rs ? Arrays.stream(rs).map(map).toArray(Ref[]::new) : a).toList());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Call c && method.equals(c.method) && Arrays.deepEquals(args.toArray(), c.args.toArray());
    }

    @Override
    public int hashCode() {
        return 31 * method.hashCode() + Arrays.deepHashCode(args.toArray());
    }
}
