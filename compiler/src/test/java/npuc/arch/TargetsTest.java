package npuc.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TargetsTest {

    private static Target resolve(String accelerator, String system, String mode) throws ConfigException {
        return Targets.resolve(TargetOptions.of(accelerator, system, mode));
    }

    @Test
    void optionDefaultsAreVelasCommandLineDefaults() {
        TargetOptions d = TargetOptions.defaults();
        assertEquals("ethos-u65-256", d.accelerator());
        assertEquals("internal-default", d.systemConfig());
        assertEquals("internal-default", d.memoryMode());
        assertEquals(null, d.configFile());
        assertEquals(393216L, d.arenaCacheSize());
    }

    @Test
    void commandLineDefaultsGiveTheImx93System() throws ConfigException {
        Target t = Targets.resolve(TargetOptions.defaults());
        assertEquals(Accelerator.ETHOS_U65_256, t.accelerator());
        assertEquals("internal-default", t.systemConfigName());
        assertEquals("internal-default", t.memoryModeName());
        assertEquals(1e9, t.coreClock());
        assertEquals(MemoryArea.SRAM, t.area(AxiPort.AXI0));
        assertEquals(MemoryArea.DRAM, t.area(AxiPort.AXI1));
        assertEquals(new MemoryTiming(0.234375, 128, 500, 250), t.timing(MemoryArea.DRAM));
        assertEquals(new MemoryTiming(1.0, 32, 32, 32), t.timing(MemoryArea.SRAM));
        assertEquals(3.75, t.bandwidthGBps(MemoryArea.DRAM));
        assertEquals(MemoryArea.DRAM, t.permanentStorageArea());
        assertEquals(MemoryArea.DRAM, t.featureMapStorageArea());
        assertEquals(MemoryArea.SRAM, t.fastStorageArea());
        assertTrue(t.isSpillingEnabled());
        assertEquals(393216, t.arenaCacheSize());
        assertEquals(393216, t.fastStorageSizeLimit());
        assertEquals(0, t.maxSramUsedWeight());
        assertEquals(List.of(), t.notices());
    }

    @Test
    void commandLineDefaultsOnAnEthosU55KeepTheImx93SystemWithSharedSram() throws ConfigException {
        Target t = Targets.resolve(TargetOptions.defaults().withAccelerator("ethos-u55-128"));
        assertEquals(1e9, t.coreClock());
        assertEquals(MemoryArea.DRAM, t.permanentStorageArea());
        assertEquals(MemoryArea.SRAM, t.featureMapStorageArea());
        assertFalse(t.isSpillingEnabled());
        assertEquals(1000, t.maxSramUsedWeight());
        assertEquals(1L << 32, t.fastStorageSizeLimit());
        // DRAM at 64 bits × 0.234375 per cycle, at 1 GHz.
        assertEquals(1.875, t.bandwidthGBps(MemoryArea.DRAM));
    }

    @Test
    void internalDefaultBesideANamedConfigIsTheAcceleratorsOwnAndWarns() throws ConfigException {
        Target u55 = resolve("ethos-u55-256", "internal-default", "Shared_Sram");
        assertEquals(500e6, u55.coreClock());
        assertEquals(MemoryArea.OFF_CHIP_FLASH, u55.permanentStorageArea());
        assertEquals(0.5, u55.bandwidthGBps(MemoryArea.OFF_CHIP_FLASH));
        assertEquals(List.of("Warning: Using internal-default values for system configuration"), u55.notices());

        Target u65 = resolve("ethos-u65-256", "internal-default", "Dedicated_Sram");
        assertEquals(12.0, u65.bandwidthGBps(MemoryArea.DRAM));

        Target mode = resolve("ethos-u55-64", "Ethos_U55_Deep_Embedded", "internal-default");
        assertEquals("internal-default", mode.memoryModeName());
        assertEquals(AxiPort.AXI1, mode.memoryMode().constPort());
        assertEquals(AxiPort.AXI0, mode.memoryMode().arenaPort());
        assertEquals(List.of("Warning: Using internal-default values for memory mode"), mode.notices());
    }

    @Test
    void namedTargetsComeFromTheBuiltInFileWithoutConfig() throws ConfigException {
        Target t = resolve("ethos-u65-512", "Ethos_U65_Mid_End", "Dedicated_Sram_512KB");
        assertEquals("Ethos_U65_Mid_End", t.systemConfigName());
        assertEquals("Dedicated_Sram_512KB", t.memoryModeName());
        assertEquals(500e6, t.coreClock());
        assertEquals(new MemoryTiming(0.46875, 128, 500, 250), t.timing(MemoryArea.DRAM));
        // Only the memories behind the two ports are configured.
        assertEquals(MemoryTiming.UNCONFIGURED, t.timing(MemoryArea.OFF_CHIP_FLASH));
        // The command line's arena cache size (384 KiB unless given) replaces the memory mode's 512 KiB.
        assertEquals(393216, t.arenaCacheSize());
    }

    @Test
    void arenaCacheSizeFromTheCommandLineApplies() throws ConfigException {
        TargetOptions options = TargetOptions.of("ethos-u65-512", "Ethos_U65_Mid_End", "Dedicated_Sram_512KB");
        assertEquals(2097152, Targets.resolve(options.withArenaCacheSize(2097152L)).arenaCacheSize());
        assertEquals(0, Targets.resolve(options.withArenaCacheSize(0L)).arenaCacheSize());
        assertEquals(1L << 40, Targets.resolve(options.withArenaCacheSize(1L << 40)).arenaCacheSize());
        ConfigException negative = assertThrows(ConfigException.class,
                () -> Targets.resolve(options.withArenaCacheSize(-1L)));
        assertEquals("Invalid configuration of arena_cache_size=-1 (must be >= 0), from --arena-cache-size",
                negative.getMessage());
        ConfigException tooBig = assertThrows(ConfigException.class, () -> Targets.resolve(
                TargetOptions.of("ethos-u55-128", "Ethos_U55_High_End_Embedded", "Shared_Sram")
                        .withArenaCacheSize((1L << 32) + 1)));
        assertEquals("Invalid configuration of arena_cache_size=4294967297 from --arena-cache-size: out of"
                + " bounds, the maximum for ethos-u55-128 is 4294967296", tooBig.getMessage());
    }

    @Test
    void sramOnlyMovesConstantsToOnChipFlashTimedLikeSram() throws ConfigException {
        Target t = resolve("ethos-u55-64", "Ethos_U55_Deep_Embedded", "Sram_Only");
        assertEquals(AxiPort.AXI1, t.memoryMode().constPort());
        assertEquals(MemoryArea.ON_CHIP_FLASH, t.area(AxiPort.AXI1));
        assertEquals(MemoryArea.ON_CHIP_FLASH, t.permanentStorageArea());
        assertEquals(t.timing(MemoryArea.SRAM), t.timing(MemoryArea.ON_CHIP_FLASH));
        // The flash that was on the port keeps its timing: Vela still reports its bandwidth.
        assertEquals(0.0625, t.timing(MemoryArea.OFF_CHIP_FLASH).clockScale());
        assertEquals(List.of("Info: Changing const_mem_area from Sram to OnChipFlash. This will use the same"
                + " characteristics as Sram."), t.notices());
    }

    @Test
    void unknownSystemConfigListsTheValidChoices() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> resolve("ethos-u55-128", "Ethos_U55_Mid_End", "Shared_Sram"));
        assertEquals("Incorrect argument to CLI option --system-config=Ethos_U55_Mid_End: section"
                + " [System_Config.Ethos_U55_Mid_End] not found in built-in Arm/vela.ini (no --config given)"
                + " (valid choices: Ethos_U55_Deep_Embedded, Ethos_U55_High_End_Embedded, Ethos_U65_Embedded,"
                + " Ethos_U65_Mid_End, Ethos_U65_High_End, Ethos_U65_Client_Server, internal-default)",
                e.getMessage());
        ConfigException mode = assertThrows(ConfigException.class,
                () -> resolve("ethos-u55-128", "Ethos_U55_High_End_Embedded", "shared_sram"));
        assertTrue(mode.getMessage().startsWith("Incorrect argument to CLI option --memory-mode=shared_sram:"),
                mode.getMessage());
        assertTrue(mode.getMessage().endsWith("(valid choices: Sram_Only, Shared_Sram, Dedicated_Sram,"
                + " Dedicated_Sram_512KB, internal-default)"), mode.getMessage());
    }

    @Test
    void unknownAcceleratorIsAConfigError() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> Targets.resolve(TargetOptions.defaults().withAccelerator("ethos-u85-256")));
        assertTrue(e.getMessage().contains("valid choices: ethos-u55-32"), e.getMessage());
    }

    @Test
    void arenaOnFlashIsRejectedNamingBothSections() {
        // An Ethos-U55 system has flash, not DRAM, behind Axi1: the dedicated-SRAM arena cannot live there.
        ConfigException e = assertThrows(ConfigException.class,
                () -> resolve("ethos-u55-256", "Ethos_U55_High_End_Embedded", "Dedicated_Sram"));
        ConfigFile builtIn = Targets.builtInConfig();
        ConfigFile.Location arenaLine = builtIn.lookup(builtIn.section(ConfigFile.SectionKind.MEMORY_MODE,
                "Dedicated_Sram").orElseThrow(), "arena_mem_area").orElseThrow().location();
        ConfigFile.Location portLine = builtIn.lookup(builtIn.section(ConfigFile.SectionKind.SYSTEM_CONFIG,
                "Ethos_U55_High_End_Embedded").orElseThrow(), "axi1_port").orElseThrow().location();
        assertEquals("Invalid configuration of arena_mem_area=OffChipFlash (must be Sram or Dram):"
                + " arena_mem_area=Axi1 from [Memory_Mode.Dedicated_Sram] at " + arenaLine + ", and"
                + " axi1_port=OffChipFlash from [System_Config.Ethos_U55_High_End_Embedded] at " + portLine,
                e.getMessage());
        assertTrue(arenaLine.toString().startsWith("built-in Arm/vela.ini:"), arenaLine.toString());
    }

    @Test
    void userConfigFileIsReadAndChecked(@TempDir Path dir) throws IOException, ConfigException {
        Path ini = dir.resolve("board.ini");
        Files.writeString(ini, """
                [System_Config.Board]
                core_clock=250e6
                axi0_port=Sram
                axi1_port=Dram
                Dram_clock_scale=0.5
                [Memory_Mode.Board_Base]
                const_mem_area=Axi1
                arena_mem_area=Axi0
                [Memory_Mode.Board]
                inherit=Memory_Mode.Board_Base
                cache_mem_area=Axi0
                [Memory_Mode.Cache_On_Dram]
                inherit=Memory_Mode.Board
                cache_mem_area=Axi1
                """);
        TargetOptions options = new TargetOptions("ethos-u55-256", "Board", "Board", ini, null);
        Target t = Targets.resolve(options);
        assertEquals(250e6, t.coreClock());
        // Unset options are 1: SRAM's clock scale 1, burst length 1, latency 0.
        assertEquals(MemoryTiming.UNCONFIGURED, t.timing(MemoryArea.SRAM));
        assertEquals(new MemoryTiming(0.5, 1, 0, 0), t.timing(MemoryArea.DRAM));
        assertEquals(MemoryArea.DRAM, t.permanentStorageArea());
        assertEquals(MemoryArea.SRAM, t.featureMapStorageArea());

        ConfigException cache = assertThrows(ConfigException.class,
                () -> Targets.resolve(options.withMemoryMode("Cache_On_Dram")));
        assertEquals("Invalid configuration of cache_mem_area=Dram (must be Sram): cache_mem_area=Axi1 from"
                + " [Memory_Mode.Cache_On_Dram] at " + ini + ":14, and axi1_port=Dram from [System_Config.Board] at "
                + ini + ":4", cache.getMessage());

        ConfigException missing = assertThrows(ConfigException.class,
                () -> Targets.resolve(options.withSystemConfig("Ethos_U55_High_End_Embedded")));
        assertEquals("Incorrect argument to CLI option --system-config=Ethos_U55_High_End_Embedded: section"
                + " [System_Config.Ethos_U55_High_End_Embedded] not found in " + ini
                + " (valid choices: Board, internal-default)", missing.getMessage());
    }

    @Test
    void configFileMustBeAnIniFileThatExists(@TempDir Path dir) {
        ConfigException txt = assertThrows(ConfigException.class,
                () -> Targets.configFile(dir.resolve("board.txt")));
        assertTrue(txt.getMessage().endsWith("configuration files must use the .ini extension"), txt.getMessage());
        ConfigException absent = assertThrows(ConfigException.class,
                () -> Targets.configFile(dir.resolve("absent.ini")));
        assertTrue(absent.getMessage().contains("file not found or not readable"), absent.getMessage());
    }

    @Test
    void armVelaIniNamesTheBuiltInFile() throws ConfigException {
        assertSame(Targets.builtInConfig(), Targets.configFile(Paths.get("Arm", "vela.ini")));
        Target viaName = Targets.resolve(TargetOptions.of("ethos-u55-128", "Ethos_U55_High_End_Embedded",
                "Shared_Sram").withConfigFile(Paths.get("Arm/vela.ini")));
        assertEquals(resolve("ethos-u55-128", "Ethos_U55_High_End_Embedded", "Shared_Sram"), viaName);
    }

    @Test
    void bandwidthFollowsPortWidthClockScaleAndCoreClock() throws ConfigException {
        Target u55 = resolve("ethos-u55-128", "Ethos_U55_High_End_Embedded", "Shared_Sram");
        assertEquals(8.0, u55.bandwidthBytesPerCycle(MemoryArea.SRAM));
        assertEquals(1.0, u55.bandwidthBytesPerCycle(MemoryArea.OFF_CHIP_FLASH));
        assertEquals(4e9, u55.bandwidthBytesPerSecond(MemoryArea.SRAM));
        Target u65 = resolve("ethos-u65-256", "Ethos_U65_High_End", "Dedicated_Sram");
        assertEquals(16.0, u65.bandwidthBytesPerCycle(MemoryArea.SRAM));
        assertEquals(3.75, u65.bandwidthBytesPerCycle(MemoryArea.DRAM));
        assertEquals(20.0, u65.bandwidthWeight(MemoryArea.OFF_CHIP_FLASH));
    }
}
