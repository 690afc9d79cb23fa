package npuc.arch;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The kinds of memory the NPU reaches. The first four can sit behind an AXI port of a system config; SHRAM is
 * the NPU's internal shared buffer (where lookup tables live) and is never a port.
 */
public enum MemoryArea {
    SRAM("Sram", "SRAM", "sram"),
    DRAM("Dram", "DRAM", "dram"),
    ON_CHIP_FLASH("OnChipFlash", "On-chip Flash", "on_chip_flash"),
    OFF_CHIP_FLASH("OffChipFlash", "Off-chip Flash", "off_chip_flash"),
    SHRAM("Shram", "SHRAM", "shram");

    /** The four areas an AXI port can map to, in the order reports list them. */
    public static final List<MemoryArea> PORT_AREAS = List.of(SRAM, DRAM, ON_CHIP_FLASH, OFF_CHIP_FLASH);

    private final String configName;
    private final String displayName;
    private final String identifierName;

    MemoryArea(String configName, String displayName, String identifierName) {
        this.configName = configName;
        this.displayName = displayName;
        this.identifierName = identifierName;
    }

    /** The spelling in configuration files (axi0_port=Sram, Sram_clock_scale=...). */
    public String configName() {
        return configName;
    }

    /** The spelling in summary reports (weights_storage_area = "Off-chip Flash"). */
    public String displayName() {
        return displayName;
    }

    /** The prefix of report column names (sram_bandwidth, off_chip_flash_total_bytes). */
    public String identifierName() {
        return identifierName;
    }

    public boolean isPortArea() {
        return this != SHRAM;
    }

    /** The port area with this configuration-file spelling (case-sensitive, as in Vela). */
    public static Optional<MemoryArea> fromConfigName(String name) {
        return PORT_AREAS.stream().filter(a -> a.configName.equals(name)).findFirst();
    }

    static List<String> portAreaConfigNames() {
        return Arrays.stream(values()).filter(MemoryArea::isPortArea).map(MemoryArea::configName).toList();
    }
}
