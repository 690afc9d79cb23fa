package npuc.perf;

import npuc.arch.MemoryArea;

/** The cycle figures Vela reports per operation and per network, in its order. */
public enum CycleKind {
    NPU("NPU"), SRAM_ACCESS("SRAM Access"), DRAM_ACCESS("DRAM Access"), ON_CHIP_FLASH_ACCESS("On-chip Flash Access"),
    OFF_CHIP_FLASH_ACCESS("Off-chip Flash Access"), TOTAL("Total");

    private final String displayName;

    CycleKind(String displayName) {
        this.displayName = displayName;
    }

    /** The name Vela prints in its text summary and per-layer table headings. */
    public String displayName() {
        return displayName;
    }

    /** The access-cycle kind of a port area. */
    public static CycleKind accessOf(MemoryArea area) {
        return switch (area) {
            case SRAM -> SRAM_ACCESS;
            case DRAM -> DRAM_ACCESS;
            case ON_CHIP_FLASH -> ON_CHIP_FLASH_ACCESS;
            case OFF_CHIP_FLASH -> OFF_CHIP_FLASH_ACCESS;
            case SHRAM -> throw new IllegalArgumentException("SHRAM has no access cycles");
        };
    }
}
