package npuc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import npuc.alloc.LiveRange;
import npuc.alloc.TensorAllocator;
import npuc.arch.Targets;
import npuc.arch.TargetOptions;
import npuc.graph.Graph;
import npuc.tflite.ModelBuilder;

/** A cancelled compile ends at its next checkpoint: before a stage, or inside a search that would run on. */
class CancellationTest {
    private static Graph network() {
        return ModelBuilder.int8("net").input(1, 16, 16, 8).conv2d(16, 3, 3).conv2d(16, 3, 3).output().build();
    }

    @Test
    void aCompileCancelledBeforeItStartsEndsAtTheFirstStageWithTheReason() {
        Cancellation cancellation = new Cancellation();
        cancellation.cancel("over its deadline");
        cancellation.cancel("handed back");

        CompileCancelledException e = assertThrows(CompileCancelledException.class, () -> Compiler.compile("net",
                network(), Targets.resolve(TargetOptions.of("ethos-u55-128", "Ethos_U55_High_End_Embedded",
                        "Shared_Sram")), CompileOptions.defaults(), CompileSession.create(), CompileTrace.none(),
                cancellation));

        assertEquals("over its deadline", e.reason(), "the first reason is the one reported");
    }

    @Test
    void aCompileNeverCancelledGivesTheSameResultAsOneWithout() throws Exception {
        var target = Targets.resolve(TargetOptions.of("ethos-u55-128", "Ethos_U55_High_End_Embedded", "Shared_Sram"));
        CompileResult plain = Compiler.compile("net", network(), target, CompileOptions.defaults());
        Cancellation unused = new Cancellation();
        CompileResult watched = Compiler.compile("net", network(), target, CompileOptions.defaults(),
                CompileSession.create(), CompileTrace.none(), unused);
        assertEquals(plain.summary().toCsv(), watched.summary().toCsv());
        assertFalse(unused.isCancelled());
    }

    @Test
    void anAllocatorSearchThatWouldRunForHoursEndsWhenItsCompileIsCancelled() {
        // A memory limit below the lower bound keeps the hill climb searching for its full iteration count.
        List<LiveRange> ranges = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ranges.add(new LiveRange(i % 7, i % 7 + 1 + i % 3, 1000 + 37L * i, 16, "t" + i));
        }
        Cancellation cancellation = new Cancellation();
        CompletableFuture.delayedExecutor(200, TimeUnit.MILLISECONDS).execute(() -> cancellation.cancel("stop"));

        CompileCancelledException e = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (Cancellation.Scope bound = cancellation.bind()) {
                return assertThrows(CompileCancelledException.class,
                        () -> TensorAllocator.HillClimb.allocate(ranges, 100, Integer.MAX_VALUE, 16));
            }
        });
        assertEquals("stop", e.reason());
    }

    @Test
    void aCancellationIsBoundToItsCompileOnlyWhileItRuns() {
        Cancellation cancellation = new Cancellation();
        cancellation.cancel("stop");
        try (Cancellation.Scope bound = cancellation.bind()) {
            assertThrows(CompileCancelledException.class, Cancellation::checkpoint);
        }
        Cancellation.checkpoint();
        assertTrue(cancellation.isCancelled());
    }
}
