package npuc.worker.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Jobs read and write only where the worker is configured to, and only through keys that stay where they say. */
class StorageScopeTest {
    private final StorageScope scope = StorageScope.of(List.of("s3://models/"), List.of("s3://artifacts/runs"));

    @Test
    void locationsInsideTheAllowedPrefixesPassAndOthersAreNamed() {
        assertEquals(Optional.empty(), scope.modelProblem(S3Location.parse("s3://models/zoo/kws.tflite")));
        assertEquals(Optional.empty(), scope.outputProblem(S3Location.parse("s3://artifacts/runs")));
        assertEquals(Optional.empty(), scope.outputProblem(S3Location.parse("s3://artifacts/runs/nightly/")));
        assertEquals(Optional.of("output prefix s3://models/overwritten is outside the locations this worker may use "
            + "(s3://artifacts/runs)"), scope.outputProblem(S3Location.parse("s3://models/overwritten")));
        assertTrue(scope.outputProblem(S3Location.parse("s3://artifacts/runs-evil/x")).isPresent(),
            "a prefix matches whole path segments only");
        assertTrue(scope.modelProblem(S3Location.parse("s3://artifacts/runs/a.tflite")).isPresent());
    }

    @Test
    void keysWithDotSegmentsEmptySegmentsOrControlCharactersAreRefusedWhereverTheyPoint() {
        assertTrue(scope.modelProblem(S3Location.parse("s3://models/../artifacts/x.tflite")).orElseThrow()
            .contains("\"..\" path segment"));
        assertTrue(scope.outputProblem(S3Location.parse("s3://artifacts/runs//x")).isPresent());
        assertTrue(scope.outputProblem(S3Location.parse("s3://artifacts/runs/a\u0000b")).orElseThrow()
            .contains("control character"));
        assertTrue(scope.outputProblem(S3Location.parse("s3://artifacts/runs/" + "k".repeat(1100))).orElseThrow()
            .contains("longer than 1024 bytes"));
        assertEquals(Optional.empty(), StorageScope.anywhere().outputProblem(S3Location.parse("s3://any/where")));
        assertTrue(StorageScope.anywhere().outputProblem(S3Location.parse("s3://any/../where")).isPresent());
    }

    @Test
    void keySegmentsTheWorkerAppendsMustBeSafeNames() {
        S3Location folder = S3Location.parse("s3://artifacts/runs/job-1");
        assertEquals("s3://artifacts/runs/job-1/t0/kws_summary_Ethos_U55_High_End_Embedded.csv",
            folder.resolve("t0", "kws_summary_Ethos_U55_High_End_Embedded.csv").toString());
        assertThrows(IllegalArgumentException.class, () -> folder.resolve("kws_summary_../../../escaped.csv"));
        assertThrows(IllegalArgumentException.class, () -> folder.resolve(".hidden"));
        assertThrows(IllegalArgumentException.class, () -> folder.resolve("a/b"));
        assertTrue(S3Location.segmentProblem("../../x").orElseThrow().startsWith("\"../../x\" cannot be part of an object key"));
    }

    @Test
    void aScopeMustNameSafeLocationsForBoth() {
        assertThrows(IllegalArgumentException.class, () -> StorageScope.of(List.of(), List.of("s3://a/")));
        assertThrows(IllegalArgumentException.class, () -> StorageScope.of(List.of("s3://m/../x"), List.of("s3://a/")));
        assertThrows(IllegalArgumentException.class, () -> StorageScope.of(List.of("https://m"), List.of("s3://a/")));
    }
}
