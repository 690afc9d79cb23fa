package npuc.worker;

import java.util.LinkedHashMap;
import java.util.Map;

import npuc.search.Candidate;
import npuc.search.MinimumArena;
import npuc.search.SearchOutcome;

/** The FastestFit search's figures in the job report, beside Vela's at the same arena cache size. */
final class SearchFigures {
    private SearchFigures() {
    }

    static Map<String, Object> of(SearchOutcome o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schedules_searched", o.searched());
        m.put("chosen", candidate(o.chosen()));
        Map<String, Object> vela = candidate(o.velaPerformance());
        vela.put("verdict", o.velaPerformanceVerdict());
        m.put("vela_performance", vela);
        m.put("vela_size", candidate(o.velaSize()));
        return m;
    }

    static Map<String, Object> of(MinimumArena a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("bytes", a.bytes());
        m.put("exact_bytes", a.exact());
        m.put("schedule", a.by().policy().describe());
        m.put("lower_bound", a.lowerBound());
        m.put("why", a.why());
        return m;
    }

    private static Map<String, Object> candidate(Candidate c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schedule", c.policy().describe());
        m.put("cycles_total", c.cycles());
        m.put("arena_needed", c.need().bytes());
        return m;
    }
}
