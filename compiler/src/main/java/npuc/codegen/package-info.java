/**
 * Code generation for Ethos-U: the high-level command stream of an NPU subgraph ({@link
 * npuc.codegen.HighLevelCommandStream}: operation stripes, cascades interleaved, weight, lookup-table and feature-map
 * DMAs), the NPU operations those commands become ({@link npuc.codegen.NpuOperation}), and the register command
 * stream ({@link npuc.codegen.RegisterCommandStream}: registers in the hardware's order without redundant writes,
 * block dependencies, kernel and DMA waits, the final stop). {@link npuc.codegen.CommandStreamGenerator} runs the
 * three for a schedule; addresses come from tensor allocation through {@link npuc.codegen.MemoryPlacement}. A
 * {@link npuc.codegen.CommandStream} gives the words and the driver payload ({@link npuc.codegen.DriverPayload})
 * the optimised model stores; {@link npuc.codegen.CommandStreamDecoder} reads streams back.
 */
package npuc.codegen;
