package npuc.search;

/**
 * What a search at one arena cache size found, beside Vela's own schedules there.
 *
 * @param arenaCacheSize  the size searched at
 * @param chosen          the fastest schedule that fits, null when none does
 * @param searched        how many schedules took part
 * @param velaPerformance Vela's Performance schedule at this arena cache size
 * @param velaSize        Vela's Size schedule
 */
public record SearchOutcome(long arenaCacheSize, Candidate chosen, int searched, Candidate velaPerformance,
                            Candidate velaSize) {

    public boolean fits() {
        return chosen != null;
    }

    /**
     * What Vela 3.10 itself does at this size with its Performance strategy: the Performance schedule when its
     * staging limit holds (it may still need more than the arena, with a warning), else it stops ("Allocation
     * exceeds staging limit").
     */
    public String velaPerformanceVerdict() {
        if (velaPerformance.schedule().exceedsLimit()) {
            return "stops: Allocation exceeds staging limit";
        }
        return velaPerformance.fits(arenaCacheSize) ? "fits"
                : "needs more than the arena (" + velaPerformance.need().bytes() + " bytes)";
    }
}
