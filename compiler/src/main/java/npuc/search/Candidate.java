package npuc.search;

import npuc.alloc.ArenaAllocation;
import npuc.schedule.NetworkSchedule;
import npuc.schedule.SchedulePolicy;

/**
 * One schedule the search may choose, made once: none of it depends on the arena cache size it is later
 * compiled for.
 *
 * @param policy   what the schedule was made with
 * @param schedule the network's schedule
 * @param cycles   the cost model's total cycles for it
 * @param need     what it needs of the arena cache: it fits every arena cache size from {@code need.bytes()} up
 */
public record Candidate(SchedulePolicy policy, NetworkSchedule schedule, double cycles, ArenaAllocation.Need need) {

    public boolean fits(long arenaCacheSize) {
        return need.bytes() <= arenaCacheSize;
    }
}
