package npuc.search;

import java.util.Locale;

import npuc.alloc.ArenaAllocation;
import npuc.arch.Target;

/** The lines a compile prints about the search, after Vela's text summary: npuc's figure beside Vela's. */
public final class SearchReport {
    private SearchReport() {
    }

    /** What FastestFit chose and what Vela's two strategies give at the same arena cache size. */
    public static String of(SearchOutcome o, Target target, ArenaAllocation arena) {
        StringBuilder b = new StringBuilder();
        Candidate c = o.chosen();
        b.append(String.format(Locale.ROOT, "FastestFit: of %d schedules, the fastest that fits %d bytes: %s; %s, "
                + "%d bytes of the arena cache used%n", o.searched(), o.arenaCacheSize(), c.policy().describe(),
                figure(c, target), arena.used(target.fastStorageArea())));
        b.append(String.format(Locale.ROOT, "Vela's Performance strategy at this size: %s; %s%n",
                figure(o.velaPerformance(), target), o.velaPerformanceVerdict()));
        Candidate size = o.velaSize();
        b.append(String.format(Locale.ROOT, "Vela's Size strategy: %s; %s%n", figure(size, target),
                size.fits(o.arenaCacheSize()) ? "fits" : "needs more than the arena"));
        return b.toString();
    }

    /** The smallest arena cache size line. */
    public static String of(MinimumArena m) {
        return String.format(Locale.ROOT, "Minimum arena cache size: %d KiB (%d bytes), with %s, which fits from "
                + "%d bytes; %s%n", m.kib(), m.bytes(), m.by().policy().describe(), m.exact(), m.why());
    }

    private static String figure(Candidate c, Target target) {
        return String.format(Locale.ROOT, "%.0f cycles (%.4f ms), needs %d bytes", c.cycles(),
                c.cycles() / target.coreClock() * 1000, c.need().bytes());
    }
}
