package npuc.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import npuc.SharedData;
import npuc.arch.ConfigFile.SectionKind;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Checks the targets against Vela's own configuration file and the figures Vela reported for them. */
class ReferenceTargetsTest {

    private static Path referenceIni() {
        Path ini = SharedData.referenceDir().resolve("vela.ini");
        Assumptions.assumeTrue(Files.isRegularFile(ini), "skipped: " + ini + " is absent");
        return ini;
    }

    @Test
    void referenceFileHasTheBuiltInSections() throws ConfigException {
        ConfigFile reference = ConfigFile.read(referenceIni());
        for (SectionKind kind : SectionKind.values()) {
            assertEquals(reference.names(kind), Targets.builtInConfig().names(kind), kind.prefix());
        }
    }

    /** Every accelerator × system config × memory mode resolves alike from Vela's file and from the built-in. */
    @Test
    void referenceFileGivesTheSameTargetsAsTheBuiltIn() throws ConfigException {
        Path ini = referenceIni();
        ConfigFile reference = ConfigFile.read(ini);
        List<String> systems = new ArrayList<>(reference.names(SectionKind.SYSTEM_CONFIG));
        systems.add(TargetOptions.INTERNAL_DEFAULT);
        List<String> modes = new ArrayList<>(reference.names(SectionKind.MEMORY_MODE));
        modes.add(TargetOptions.INTERNAL_DEFAULT);
        int resolved = 0;
        int rejected = 0;
        for (Accelerator accelerator : Accelerator.values()) {
            for (String system : systems) {
                for (String mode : modes) {
                    TargetOptions builtIn = TargetOptions.of(accelerator.cliName(), system, mode)
                            .withConfigFile(Path.of(Targets.BUILT_IN_CONFIG_NAME));
                    Object expected = outcome(builtIn);
                    Object actual = outcome(builtIn.withConfigFile(ini));
                    assertEquals(expected, actual, builtIn.toString());
                    if (expected instanceof Target) {
                        resolved++;
                    } else {
                        rejected++;
                    }
                }
            }
        }
        // 6 accelerators × 7 system configs × 5 memory modes. Systems with flash on Axi1 cannot hold an arena
        // on Axi1: the three named ones with both Dedicated_Sram modes on every accelerator, the same three
        // with an Ethos-U65's internal-default mode (dedicated SRAM), and an Ethos-U55's internal-default
        // system (flash on Axi1) with both Dedicated_Sram modes.
        assertEquals(6 * 7 * 5, resolved + rejected);
        assertEquals(6 * 3 * 2 + 2 * 3 + 4 * 2, rejected);
    }

    /** The target, or the error without the part that names a file and line (the two files differ there). */
    private static Object outcome(TargetOptions options) {
        try {
            return Targets.resolve(options);
        } catch (ConfigException e) {
            String message = e.getMessage();
            int end = message.indexOf("):");
            return end < 0 ? message : message.substring(0, end + 1);
        }
    }

    /** The target columns of every row of Vela's summary CSV (where Vela ran) equal the resolved target's. */
    @Test
    void summaryColumnsEqualVelas() throws IOException, ConfigException {
        Path csv = SharedData.referenceDir().resolve("summary.csv");
        Assumptions.assumeTrue(Files.isRegularFile(csv), "skipped: " + csv + " is absent");
        Map<List<String>, Map<String, String>> targets = new LinkedHashMap<>();
        for (Map<String, String> row : SharedData.readCsv(csv)) {
            if (!row.get("core_clock").isEmpty()) {
                targets.putIfAbsent(List.of(row.get("accelerator_config"), row.get("system_config"),
                        row.get("memory_mode")), row);
            }
        }
        assertFalse(targets.isEmpty(), "no rows with target columns in " + csv);
        for (Map.Entry<List<String>, Map<String, String>> e : targets.entrySet()) {
            List<String> key = e.getKey();
            TargetSummary s = Targets.resolve(TargetOptions.of(key.get(0), key.get(1), key.get(2))).summary();
            assertSummary(e.getValue(), s, key.toString());
        }
    }

    /** Vela's own summary files, which also carry the accelerator's report name. */
    @Test
    void goldenSummaryFilesEqualTheResolvedTargets() throws IOException, ConfigException {
        Path golden = SharedData.referenceDir().resolve("golden");
        Assumptions.assumeTrue(Files.isDirectory(golden), "skipped: " + golden + " is absent");
        Map<String, Path> byTarget = new HashMap<>();
        try (Stream<Path> dirs = Files.list(golden)) {
            for (Path dir : dirs.filter(Files::isDirectory).toList()) {
                String[] parts = dir.getFileName().toString().split("__");
                if (parts.length < 4) {
                    continue;
                }
                try (Stream<Path> files = Files.list(dir)) {
                    files.filter(f -> f.getFileName().toString().endsWith(".csv")).findFirst()
                            .ifPresent(f -> byTarget.putIfAbsent(parts[1] + "__" + parts[2] + "__" + parts[3], f));
                }
            }
        }
        Assumptions.assumeFalse(byTarget.isEmpty(), "skipped: no golden summary files in " + golden);
        for (Map.Entry<String, Path> e : byTarget.entrySet()) {
            String[] t = e.getKey().split("__");
            TargetSummary s = Targets.resolve(TargetOptions.of(t[0], t[1], t[2])).summary();
            Map<String, String> row = SharedData.readCsv(e.getValue()).get(0);
            assertEquals(row.get("accelerator_configuration"), s.acceleratorConfiguration(), e.getKey());
            assertEquals(row.get("system_config"), s.systemConfig(), e.getKey());
            assertEquals(row.get("memory_mode"), s.memoryMode(), e.getKey());
            assertSummary(row, s, e.getKey());
        }
        assertTrue(byTarget.size() >= 5, "golden targets found: " + byTarget.keySet());
    }

    private static void assertSummary(Map<String, String> row, TargetSummary s, String what) {
        assertEquals(Double.parseDouble(row.get("core_clock")), s.coreClock(), what + " core_clock");
        assertEquals(Double.parseDouble(row.get("arena_cache_size")), s.arenaCacheSize(), what + " arena_cache_size");
        assertEquals(Double.parseDouble(row.get("sram_bandwidth")), s.sramBandwidth(), what + " sram_bandwidth");
        assertEquals(Double.parseDouble(row.get("dram_bandwidth")), s.dramBandwidth(), what + " dram_bandwidth");
        assertEquals(Double.parseDouble(row.get("on_chip_flash_bandwidth")), s.onChipFlashBandwidth(),
                what + " on_chip_flash_bandwidth");
        assertEquals(Double.parseDouble(row.get("off_chip_flash_bandwidth")), s.offChipFlashBandwidth(),
                what + " off_chip_flash_bandwidth");
        assertEquals(row.get("weights_storage_area"), s.weightsStorageArea(), what + " weights_storage_area");
        assertEquals(row.get("feature_map_storage_area"), s.featureMapStorageArea(),
                what + " feature_map_storage_area");
    }

    /** Rows of a CSV with a header line; quoted fields may hold commas, quotes (doubled) and newlines. */
}
