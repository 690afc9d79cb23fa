package npuc.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The arena cache sizes of a sweep, from {@code --arena-sizes}: a list ({@code 64KiB,256KiB,1MiB}), a
 * geometric range ({@code 32KiB..2MiB*2}: each size twice the one before, up to and with the end when it
 * falls on a step) or an arithmetic one ({@code 256KiB..512KiB+64KiB}); lists and ranges may be mixed.
 * Sizes come out ascending, each once.
 */
public final class ArenaSizes {
    /** More sizes than this is a typo in a range, not an exploration. */
    static final int MAX_SIZES = 4096;

    private ArenaSizes() {
    }

    /** @throws IllegalArgumentException saying which part of the text is wrong */
    public static List<Long> parse(String text) {
        TreeSet<Long> sizes = new TreeSet<>();
        for (String part : text.split(",")) {
            String item = part.trim();
            if (item.isEmpty()) {
                throw new IllegalArgumentException("empty size in '" + text + "'");
            }
            int dots = item.indexOf("..");
            if (dots < 0) {
                sizes.add(positive(ByteSize.parse(item), item));
            } else {
                sizes.addAll(range(item, item.substring(0, dots), item.substring(dots + 2)));
            }
            if (sizes.size() > MAX_SIZES) {
                throw new IllegalArgumentException("'" + text + "' gives more than " + MAX_SIZES + " sizes");
            }
        }
        return List.copyOf(sizes);
    }

    private static List<Long> range(String item, String from, String rest) {
        int times = rest.indexOf('*');
        int plus = rest.indexOf('+');
        if (times < 0 && plus < 0) {
            throw new IllegalArgumentException("range '" + item + "' needs a step: FROM..TO*FACTOR or FROM..TO+STEP");
        }
        boolean geometric = times >= 0;
        int at = geometric ? times : plus;
        long start = positive(ByteSize.parse(from), item);
        long end = ByteSize.parse(rest.substring(0, at));
        if (end < start) {
            throw new IllegalArgumentException("range '" + item + "' ends below its start");
        }
        List<Long> sizes = new ArrayList<>();
        if (geometric) {
            double factor;
            try {
                factor = Double.parseDouble(rest.substring(at + 1).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("range '" + item + "': factor is not a number", e);
            }
            if (!(factor > 1)) {
                throw new IllegalArgumentException("range '" + item + "': factor must be above 1");
            }
            for (double size = start; size <= end && sizes.size() <= MAX_SIZES; size *= factor) {
                sizes.add(Math.round(size));
            }
        } else {
            long step = positive(ByteSize.parse(rest.substring(at + 1)), item);
            for (long size = start; size <= end && sizes.size() <= MAX_SIZES; size += step) {
                sizes.add(size);
            }
        }
        return sizes;
    }

    private static long positive(long size, String item) {
        if (size <= 0) {
            throw new IllegalArgumentException("'" + item + "': an arena size must be above zero");
        }
        return size;
    }
}
