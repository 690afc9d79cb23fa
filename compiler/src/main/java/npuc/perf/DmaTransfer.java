package npuc.perf;

import npuc.arch.MemoryArea;

/**
 * A copy the DMA makes for an operation besides its weights: a lookup table into SHRAM, or the data of a
 * memory-copy operation. A lookup-table load is counted as a read of its source only.
 */
public record DmaTransfer(MemoryArea from, MemoryArea to, long bytes, TrafficPurpose purpose, boolean countWrite) {
}
