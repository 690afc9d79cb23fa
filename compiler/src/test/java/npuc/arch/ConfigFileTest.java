package npuc.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import npuc.arch.ConfigFile.SectionKind;
import org.junit.jupiter.api.Test;

class ConfigFileTest {

    private static ConfigException error(String text) {
        return assertThrows(ConfigException.class, () -> ConfigFile.parse("my.ini", text));
    }

    @Test
    void readsSectionsCommentsAndBothDelimiters() throws ConfigException {
        ConfigFile file = ConfigFile.parse("my.ini", """
                ; a comment
                # another
                [System_Config.A]
                core_clock = 400e6
                axi0_port: Dram

                [Memory_Mode.M]
                arena_cache_size=1_024
                """);
        assertEquals(List.of("A"), file.names(SectionKind.SYSTEM_CONFIG));
        assertEquals(List.of("M"), file.names(SectionKind.MEMORY_MODE));
        ConfigFile.Section a = file.section(SectionKind.SYSTEM_CONFIG, "A").orElseThrow();
        assertEquals(400e6, file.lookup(a, "core_clock").orElseThrow().real());
        assertEquals(MemoryArea.DRAM, file.lookup(a, "axi0_port").orElseThrow().area());
        assertEquals(5, file.lookup(a, "axi0_port").orElseThrow().location().line());
        ConfigFile.Section m = file.section(SectionKind.MEMORY_MODE, "M").orElseThrow();
        assertEquals(1024, file.lookup(m, "arena_cache_size").orElseThrow().integer());
    }

    @Test
    void keysMatchWithoutRegardToCaseAsConfigParserDoes() throws ConfigException {
        ConfigFile file = ConfigFile.parse("my.ini", "[System_Config.A]\nSRAM_CLOCK_SCALE=0.5\n");
        ConfigFile.Section a = file.section(SectionKind.SYSTEM_CONFIG, "A").orElseThrow();
        ConfigFile.Entry e = file.lookup(a, "Sram_clock_scale").orElseThrow();
        assertEquals(0.5, e.real());
        assertEquals("Sram_clock_scale", e.key());
    }

    @Test
    void inheritTakesUnsetOptionsFromTheParentAndTheChildWins() throws ConfigException {
        ConfigFile file = ConfigFile.parse("my.ini", """
                [Memory_Mode.Base]
                const_mem_area=Axi1
                arena_cache_size=100
                [Memory_Mode.Middle]
                inherit=Memory_Mode.Base
                arena_mem_area=Axi1
                [Memory_Mode.Child]
                inherit=Memory_Mode.Middle
                arena_cache_size=200
                """);
        ConfigFile.Section child = file.section(SectionKind.MEMORY_MODE, "Child").orElseThrow();
        assertEquals(200, file.lookup(child, "arena_cache_size").orElseThrow().integer());
        assertEquals(AxiPort.AXI1, file.lookup(child, "const_mem_area").orElseThrow().port());
        assertEquals(AxiPort.AXI1, file.lookup(child, "arena_mem_area").orElseThrow().port());
        assertTrue(file.lookup(child, "cache_mem_area").isEmpty());
    }

    @Test
    void unknownSectionNamesFileLineAndValidSections() {
        ConfigException e = error("[System_Config.A]\ncore_clock=1\n[Sytem_Config.B]\n");
        assertEquals("my.ini:3: unknown section [Sytem_Config.B] (valid sections: [System_Config.NAME],"
                + " [Memory_Mode.NAME])", e.getMessage());
        assertTrue(error("[DEFAULT]\n").getMessage().startsWith("my.ini:1: unknown section [DEFAULT]"));
        assertTrue(error("[System_Config.]\n").getMessage().startsWith("my.ini:1: unknown section"));
    }

    @Test
    void unknownKeyNamesFileLineAndValidKeys() {
        ConfigException e = error("[Memory_Mode.M]\n\nconst_mem_area=Axi1\narena_size=5\n");
        assertEquals("my.ini:4: unknown key 'arena_size' in [Memory_Mode.M] (valid keys: inherit, const_mem_area,"
                + " arena_mem_area, cache_mem_area, arena_cache_size)", e.getMessage());
    }

    @Test
    void keyOfTheOtherSectionKindSaysWhereItBelongs() {
        ConfigException e = error("[System_Config.S]\narena_cache_size=5\n");
        assertTrue(e.getMessage().startsWith("my.ini:2: unknown key 'arena_cache_size' in [System_Config.S]"
                + " (it belongs in a [Memory_Mode.NAME] section) (valid keys: inherit, core_clock, axi0_port,"
                + " axi1_port, Sram_clock_scale,"), e.getMessage());
    }

    @Test
    void unknownValuesNameFileLineAndValidChoices() {
        assertEquals("my.ini:2: invalid value 'SRAM' for axi0_port (must be one of Sram, Dram, OnChipFlash,"
                + " OffChipFlash)", error("[System_Config.S]\naxi0_port=SRAM\n").getMessage());
        assertEquals("my.ini:2: invalid value 'Axi2' for cache_mem_area (must be one of Axi0, Axi1)",
                error("[Memory_Mode.M]\ncache_mem_area=Axi2\n").getMessage());
        assertEquals("my.ini:2: invalid value '500MHz' for core_clock (must be a positive number)",
                error("[System_Config.S]\ncore_clock=500MHz\n").getMessage());
        assertEquals("my.ini:2: invalid value '32.0' for Dram_burst_length (must be a positive integer)",
                error("[System_Config.S]\nDram_burst_length=32.0\n").getMessage());
        assertEquals("my.ini:2: invalid value '-1' for arena_cache_size (must be an integer >= 0)",
                error("[Memory_Mode.M]\narena_cache_size=-1\n").getMessage());
        assertEquals("my.ini:2: invalid value '0' for Sram_clock_scale (must be a positive number)",
                error("[System_Config.S]\nSram_clock_scale=0\n").getMessage());
        // Inline comments are not comments to ConfigParser: the value would be "Axi1 ; constants".
        assertEquals("my.ini:2: invalid value 'Axi1 ; constants' for const_mem_area (must be one of Axi0, Axi1)",
                error("[Memory_Mode.M]\nconst_mem_area=Axi1 ; constants\n").getMessage());
    }

    @Test
    void malformedLinesAreErrorsWithTheirLine() {
        assertEquals("my.ini:1: option 'core_clock=1' comes before any section header ([System_Config.NAME] or"
                + " [Memory_Mode.NAME])", error("core_clock=1\n").getMessage());
        assertEquals("my.ini:2: 'core_clock' is neither a section header, a key=value option nor a comment",
                error("[System_Config.S]\ncore_clock\n").getMessage());
        assertEquals("my.ini:3: indented line continues the value of core_clock (my.ini:2); write each option on"
                + " one line, starting in column 1", error("[System_Config.S]\ncore_clock=1\n  2\n").getMessage());
    }

    @Test
    void sectionHeaderMayCarryATrailingComment() throws ConfigException {
        ConfigFile file = ConfigFile.parse("my.ini", "[Memory_Mode.M] ; the board's mode\narena_cache_size=7\n");
        assertEquals(List.of("M"), file.names(SectionKind.MEMORY_MODE));
        assertEquals("my.ini:1: malformed section header '[Memory_Mode.M] x' (expected [System_Config.NAME] or"
                + " [Memory_Mode.NAME])", error("[Memory_Mode.M] x\n").getMessage());
        assertEquals("my.ini:1: malformed section header '[Memory_Mode.M' (expected [System_Config.NAME] or"
                + " [Memory_Mode.NAME])", error("[Memory_Mode.M\n").getMessage());
    }

    @Test
    void duplicatesNameBothLines() {
        assertEquals("my.ini:3: section [Memory_Mode.M] is already defined at my.ini:1",
                error("[Memory_Mode.M]\n\n[Memory_Mode.M]\n").getMessage());
        assertEquals("my.ini:3: arena_cache_size is already set in [Memory_Mode.M] at my.ini:2",
                error("[Memory_Mode.M]\narena_cache_size=1\nARENA_CACHE_SIZE=2\n").getMessage());
    }

    @Test
    void inheritOfAMissingSectionListsTheValidChoices() {
        ConfigException e = error("[Memory_Mode.A]\n[Memory_Mode.B]\ninherit=Memory_Mode.C\n");
        assertEquals("my.ini:3: inherit=Memory_Mode.C in [Memory_Mode.B] names no section in this file"
                + " (valid choices: Memory_Mode.A)", e.getMessage());
    }

    @Test
    void inheritAcrossSectionKindsIsRejected() {
        ConfigException e = error("[System_Config.S]\n[Memory_Mode.B]\ninherit=System_Config.S\n");
        assertEquals("my.ini:3: inherit=System_Config.S in [Memory_Mode.B] names a system config, not a memory"
                + " mode (valid choices: none)", e.getMessage());
    }

    @Test
    void inheritCyclesAreDetected() {
        assertEquals("my.ini:2: inherit=Memory_Mode.A in [Memory_Mode.A] makes a cycle: Memory_Mode.A ->"
                + " Memory_Mode.A", error("[Memory_Mode.A]\ninherit=Memory_Mode.A\n").getMessage());
        ConfigException e = error("""
                [Memory_Mode.A]
                inherit=Memory_Mode.B
                [Memory_Mode.B]
                inherit=Memory_Mode.C
                [Memory_Mode.C]
                inherit=Memory_Mode.A
                """);
        assertEquals("my.ini:6: inherit=Memory_Mode.A in [Memory_Mode.C] makes a cycle: Memory_Mode.A ->"
                + " Memory_Mode.B -> Memory_Mode.C -> Memory_Mode.A", e.getMessage());
    }

    @Test
    void builtInFileHasVelasSectionsInOrder() {
        ConfigFile builtIn = Targets.builtInConfig();
        assertEquals(List.of("Ethos_U55_Deep_Embedded", "Ethos_U55_High_End_Embedded", "Ethos_U65_Embedded",
                "Ethos_U65_Mid_End", "Ethos_U65_High_End", "Ethos_U65_Client_Server"),
                builtIn.names(SectionKind.SYSTEM_CONFIG));
        assertEquals(List.of("Sram_Only", "Shared_Sram", "Dedicated_Sram", "Dedicated_Sram_512KB"),
                builtIn.names(SectionKind.MEMORY_MODE));
    }
}
