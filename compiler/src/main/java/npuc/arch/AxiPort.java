package npuc.arch;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The NPU's two virtual AXI ports. A memory mode places constants, the arena and the cache on ports; the
 * system config says which memory is behind each port, so one system config serves several memory modes.
 */
public enum AxiPort {
    AXI0("Axi0"),
    AXI1("Axi1");

    private final String configName;

    AxiPort(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    public AxiPort other() {
        return this == AXI0 ? AXI1 : AXI0;
    }

    /** The port with this configuration-file spelling (case-sensitive, as in Vela). */
    public static Optional<AxiPort> fromConfigName(String name) {
        return Arrays.stream(values()).filter(p -> p.configName.equals(name)).findFirst();
    }

    static List<String> configNames() {
        return Arrays.stream(values()).map(AxiPort::configName).toList();
    }
}
