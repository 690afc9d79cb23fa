package npuc.worker;

import java.util.List;

/** The three topics a worker uses: jobs in; results and dead letters out. */
public record Topics(String jobs, String results, String deadLetters) {
    public static final Topics DEFAULT = new Topics("npuc.jobs", "npuc.results", "npuc.jobs.dlt");

    public List<String> all() {
        return List.of(jobs, results, deadLetters);
    }
}
