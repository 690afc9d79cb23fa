package npuc.perf;

/** MACs and NPU cycles of one operation on its own, before any DMA. */
public record CycleCost(long macs, long cycles) {
}
