package npuc.arch;

/**
 * What a buffer is for, which decides the allocation it is part of: constants the NPU reads (encoded weights,
 * lookup tables), constants the CPU reads (including the serialised command stream and flash image), the arena's
 * feature maps, and what lives in fast storage when the arena is elsewhere (feature maps moved there, rolling and
 * weight buffers).
 */
public enum MemoryType {
    PERMANENT_NPU, PERMANENT_CPU, SCRATCH, SCRATCH_FAST
}
