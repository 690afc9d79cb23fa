package npuc.schedule;

import npuc.perf.OpPerformance;

/** One operation of the final schedule with its full estimate. */
public record ScheduledOp(SchedulerOperation op, OpSchedule schedule, OpPerformance performance, long memoryUsage) {
}
