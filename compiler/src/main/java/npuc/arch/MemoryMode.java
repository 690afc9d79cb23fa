package npuc.arch;

import java.util.Objects;

/**
 * Where the compiler puts things, as AXI ports: constants (weights, biases, lookup tables), the arena (the
 * feature maps TFLite Micro allocates) and the cache (fast storage the compiler manages itself).
 *
 * @param name           the name it was selected by ("Shared_Sram", "internal-default")
 * @param constPort      port of read-only data
 * @param arenaPort      port of the tensor arena
 * @param cachePort      port of the fast-storage cache
 * @param arenaCacheSize bytes of the arena (when it is on the cache's port) or of the cache (when it is not)
 */
public record MemoryMode(String name, AxiPort constPort, AxiPort arenaPort, AxiPort cachePort, long arenaCacheSize) {
    public MemoryMode {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(constPort, "constPort");
        Objects.requireNonNull(arenaPort, "arenaPort");
        Objects.requireNonNull(cachePort, "cachePort");
    }

    MemoryMode withConstPort(AxiPort port) {
        return new MemoryMode(name, port, arenaPort, cachePort, arenaCacheSize);
    }

    MemoryMode withArenaCacheSize(long size) {
        return new MemoryMode(name, constPort, arenaPort, cachePort, size);
    }
}
