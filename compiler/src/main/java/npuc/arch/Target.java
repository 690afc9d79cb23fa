package npuc.arch;

import java.util.List;
import java.util.Objects;

/**
 * A fully resolved compilation target: the accelerator, the system around it and where the compiler puts
 * constants, arena and cache. The system config and memory mode are the effective ones, after the rules
 * Vela applies on top of the configuration file (constants moved off an all-SRAM port, the command line's
 * arena cache size), so every later stage reads the target as it is and never re-derives it.
 *
 * @param notices the informational lines Vela prints while choosing the target, in its words
 */
public record Target(Accelerator accelerator, SystemConfig systemConfig, MemoryMode memoryMode,
        List<String> notices) {

    /** Largest block dependency the command stream may use (vela's --max-block-dependency default and maximum). */
    public static final int MAX_BLOCK_DEPENDENCY = 3;

    public Target {
        Objects.requireNonNull(accelerator, "accelerator");
        Objects.requireNonNull(systemConfig, "systemConfig");
        Objects.requireNonNull(memoryMode, "memoryMode");
        notices = List.copyOf(notices);
    }

    public String acceleratorName() {
        return accelerator.cliName();
    }

    public String systemConfigName() {
        return systemConfig.name();
    }

    public String memoryModeName() {
        return memoryMode.name();
    }

    public double coreClock() {
        return systemConfig.coreClock();
    }

    public long arenaCacheSize() {
        return memoryMode.arenaCacheSize();
    }

    /** The memory behind a port. */
    public MemoryArea area(AxiPort port) {
        return systemConfig.area(port);
    }

    /** Where weights, biases and lookup tables are stored. */
    public MemoryArea permanentStorageArea() {
        return area(memoryMode.constPort());
    }

    /** Where the arena, and so every feature map not placed in fast storage, lives. */
    public MemoryArea featureMapStorageArea() {
        return area(memoryMode.arenaPort());
    }

    /** The fast storage the scheduler buffers weights and feature maps in. */
    public MemoryArea fastStorageArea() {
        return area(memoryMode.cachePort());
    }

    /**
     * True when the cache is SRAM on a port of its own (Dedicated_Sram): the arena is elsewhere and the
     * scheduler moves data in and out of the cache, whose size is then a hard limit.
     */
    public boolean isSpillingEnabled() {
        return fastStorageArea() == MemoryArea.SRAM && memoryMode.cachePort() != memoryMode.arenaPort();
    }

    /** Bytes fast storage may hold: the cache size when spilling, otherwise anything addressable. */
    public long fastStorageSizeLimit() {
        return isSpillingEnabled() ? memoryMode.arenaCacheSize() : accelerator.maxAddressOffset();
    }

    public long maxAddressOffset() {
        return accelerator.maxAddressOffset();
    }

    public MemoryTiming timing(MemoryArea area) {
        return systemConfig.timing(area);
    }

    /** Bytes per NPU cycle the area can move: AXI data width × its clock scale. */
    public double bandwidthBytesPerCycle(MemoryArea area) {
        // Same operations in the same order as Vela, so the figures are bit-identical.
        return accelerator.axiDataWidthBits() * timing(area).clockScale() / 8;
    }

    public double bandwidthBytesPerSecond(MemoryArea area) {
        return bandwidthBytesPerCycle(area) * coreClock();
    }

    /** Bandwidth in GB/s (10^9 bytes), as the summary reports it. */
    public double bandwidthGBps(MemoryArea area) {
        return bandwidthBytesPerSecond(area) / 1000.0 / 1000 / 1000;
    }

    /**
     * How much the scheduler's cost function charges a byte moved to or from an area, relative to SRAM: slow
     * and power-hungry memories cost more.
     */
    public double bandwidthWeight(MemoryArea area) {
        return switch (area) {
            case SRAM -> 1.0;
            case DRAM -> 10.0;
            case ON_CHIP_FLASH -> 2.0;
            case OFF_CHIP_FLASH -> 20.0;
            case SHRAM -> 0.0;
        };
    }

    /** What the scheduler's cost function charges a cycle. */
    public double cyclesWeight() {
        return 40;
    }

    /**
     * What the scheduler's cost function charges peak SRAM use; nothing when spilling, where the cache size
     * is a hard limit instead.
     */
    public double maxSramUsedWeight() {
        return isSpillingEnabled() ? 0 : 1000;
    }

    /** The target's columns of the summary CSV. */
    public TargetSummary summary() {
        return new TargetSummary(accelerator.reportName(), systemConfig.name(), memoryMode.name(), coreClock(),
                memoryMode.arenaCacheSize() / 1024.0,
                bandwidthGBps(MemoryArea.SRAM), bandwidthGBps(MemoryArea.DRAM),
                bandwidthGBps(MemoryArea.ON_CHIP_FLASH), bandwidthGBps(MemoryArea.OFF_CHIP_FLASH),
                permanentStorageArea().displayName(), featureMapStorageArea().displayName());
    }

    /** "ethos-u55-128 / Ethos_U55_High_End_Embedded / Shared_Sram", for messages. */
    public String describe() {
        return accelerator.cliName() + " / " + systemConfig.name() + " / " + memoryMode.name();
    }
}
