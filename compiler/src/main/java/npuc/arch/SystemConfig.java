package npuc.arch;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * The system around the NPU: core clock, which memory sits behind each AXI port, and how each memory area
 * behaves. Areas nobody configured keep {@link MemoryTiming#UNCONFIGURED}; Vela still reports a bandwidth for
 * them, computed from that timing, so they are kept rather than left out.
 *
 * @param name      the name it was selected by ("Ethos_U55_High_End_Embedded", "internal-default")
 * @param coreClock NPU core clock in Hz
 * @param timings   timing of every port area ({@link MemoryArea#PORT_AREAS})
 */
public record SystemConfig(String name, double coreClock, MemoryArea axi0, MemoryArea axi1,
        Map<MemoryArea, MemoryTiming> timings) {

    public SystemConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(axi0, "axi0");
        Objects.requireNonNull(axi1, "axi1");
        Map<MemoryArea, MemoryTiming> complete = new EnumMap<>(MemoryArea.class);
        for (MemoryArea area : MemoryArea.PORT_AREAS) {
            complete.put(area, timings.getOrDefault(area, MemoryTiming.UNCONFIGURED));
        }
        timings = Map.copyOf(complete);
    }

    /** The memory behind a port. */
    public MemoryArea area(AxiPort port) {
        return port == AxiPort.AXI0 ? axi0 : axi1;
    }

    /** The timing of an area; SHRAM and unconfigured areas get {@link MemoryTiming#UNCONFIGURED}. */
    public MemoryTiming timing(MemoryArea area) {
        return timings.getOrDefault(area, MemoryTiming.UNCONFIGURED);
    }

    SystemConfig withPort(AxiPort port, MemoryArea area) {
        return port == AxiPort.AXI0
                ? new SystemConfig(name, coreClock, area, axi1, timings)
                : new SystemConfig(name, coreClock, axi0, area, timings);
    }

    SystemConfig withTiming(MemoryArea area, MemoryTiming timing) {
        Map<MemoryArea, MemoryTiming> changed = new EnumMap<>(timings);
        changed.put(area, timing);
        return new SystemConfig(name, coreClock, axi0, axi1, changed);
    }
}
