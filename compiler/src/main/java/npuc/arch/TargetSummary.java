package npuc.arch;

/**
 * The target's columns of Vela's summary CSV, as numbers and names (formatting is the report's business).
 *
 * @param acceleratorConfiguration e.g. "Ethos_U55_128"
 * @param coreClock                Hz
 * @param arenaCacheSize           KiB (bytes / 1024, not rounded)
 * @param sramBandwidth            GB/s (10^9 bytes per second), likewise the other three
 * @param weightsStorageArea       display name of the constants' memory, e.g. "Off-chip Flash"
 * @param featureMapStorageArea    display name of the arena's memory, e.g. "SRAM"
 */
public record TargetSummary(String acceleratorConfiguration, String systemConfig, String memoryMode,
        double coreClock, double arenaCacheSize, double sramBandwidth, double dramBandwidth,
        double onChipFlashBandwidth, double offChipFlashBandwidth, String weightsStorageArea,
        String featureMapStorageArea) {
}
