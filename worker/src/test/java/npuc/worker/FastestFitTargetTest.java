package npuc.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import npuc.BadInputException;
import npuc.Cancellation;
import npuc.schedule.OptimizationStrategy;
import npuc.tflite.ModelBuilder;

/** A job's FastestFit targets: the report carries npuc's figure beside Vela's, and the smallest arena. */
class FastestFitTargetTest {
    private static TargetSpec spec(long arena, Map<String, String> extra) {
        return new TargetSpec("ff-" + arena, "ethos-u55-128", "Ethos_U55_High_End_Embedded", "Shared_Sram",
                OptionalLong.of(arena), OptimizationStrategy.FastestFit, extra, Optional.empty());
    }

    @Test
    void theReportHasTheSearchAndTheMinimumArena() throws Exception {
        PipelineCompiler compiler = new PipelineCompiler();
        ModelBytes model = ModelBytes.of("kws", ModelBuilder.keywordSpotting().toBytes());
        TargetOutcome out = compiler.compile(model, spec(65536, Map.of("report-min-arena", "true")), new Cancellation());
        JsonNode report = new ObjectMapper().readTree(out.reportJson());
        assertEquals("FastestFit", report.get("strategy").asText());
        JsonNode search = report.get("search");
        assertTrue(search.get("schedules_searched").asInt() > 1, out.reportJson());
        double chosen = search.get("chosen").get("cycles_total").asDouble();
        assertTrue(chosen <= search.get("vela_size").get("cycles_total").asDouble(), out.reportJson());
        assertTrue(search.get("chosen").get("arena_needed").asLong() <= 65536);
        long minimum = report.get("minimum_arena").get("bytes").asLong();
        assertTrue(minimum > 0 && report.get("minimum_arena").get("kib").asLong() == (minimum + 1023) / 1024,
                out.reportJson());
        assertEquals(chosen, Double.parseDouble(out.summaryMetrics().get("cycles_total")), 0.5);
        BadInputException e = assertThrows(BadInputException.class,
                () -> compiler.compile(model, spec(minimum - 1, Map.of()), new Cancellation()));
        assertTrue(e.getMessage().contains("the smallest that fits is " + minimum + " bytes"), e.getMessage());
    }
}
