package npuc.search;

import java.util.Comparator;
import java.util.List;

import npuc.schedule.LiveRanges;

/**
 * The smallest arena cache size the search fits a model in, and why no smaller one.
 *
 * @param bytes      the smallest arena cache size, a whole number of KiB, at which the search finds a schedule
 *                   that fits; it finds one at every larger size too
 * @param exact      the smallest size in bytes that schedule fits
 * @param by         that schedule
 * @param lowerBound the fewest bytes any schedule the search makes holds live at one time, so no allocation of
 *                   them fits an arena cache smaller than this
 * @param live       the buffers live together at that time, largest first
 */
public record MinimumArena(long bytes, long exact, Candidate by, long lowerBound, List<LiveRanges.Range> live) {
    public MinimumArena {
        live = live.stream().sorted(Comparator.comparingLong(LiveRanges.Range::size).reversed()).toList();
    }

    /** The reason in words: "no schedule ... holds fewer than N bytes at once: a (x bytes), b (y bytes), ...". */
    public String why() {
        if (lowerBound == 0) {
            return "a schedule that keeps every feature map and weight outside the arena cache needs none of it";
        }
        StringBuilder b = new StringBuilder("no schedule the search makes holds fewer than " + lowerBound
                + " bytes live at once");
        if (!live.isEmpty()) {
            b.append(": ");
            int shown = Math.min(live.size(), 4);
            for (int i = 0; i < shown; i++) {
                LiveRanges.Range r = live.get(i);
                b.append(i == 0 ? "" : ", ").append(shortName(r.name())).append(" (").append(r.size())
                        .append(" bytes)");
            }
            if (live.size() > shown) {
                long rest = live.subList(shown, live.size()).stream().mapToLong(LiveRanges.Range::size).sum();
                b.append(" and ").append(live.size() - shown).append(" more buffers (").append(rest)
                        .append(" bytes)");
            }
            b.append(" are live together");
        }
        return b.toString();
    }

    /** A fused tensor's name is its names joined by ';': the first one says which it is. */
    private static String shortName(String name) {
        int cut = name.indexOf(';');
        return cut < 0 ? name : name.substring(0, cut);
    }

    /** "353.5 KiB" style figure of {@link #bytes}. */
    public long kib() {
        return bytes / 1024;
    }
}
