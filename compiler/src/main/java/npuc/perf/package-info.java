/**
 * The cost model: block configurations, cycle and memory-traffic estimates per operation and their network
 * totals, as Vela 3.10's architecture allocator and performance model compute them. It answers questions
 * about one operation under one configuration; the scheduler (package {@code npuc.schedule}) searches over
 * configurations using it. Everything here is a pure function of its arguments.
 */
package npuc.perf;
