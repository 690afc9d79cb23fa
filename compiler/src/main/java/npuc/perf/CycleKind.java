package npuc.perf;

import npuc.arch.MemoryArea;

/** The cycle figures Vela reports per operation and per network, in its order. */
public enum CycleKind {
    NPU, SRAM_ACCESS, DRAM_ACCESS, ON_CHIP_FLASH_ACCESS, OFF_CHIP_FLASH_ACCESS, TOTAL;

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
