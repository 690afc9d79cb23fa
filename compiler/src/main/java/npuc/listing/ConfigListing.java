package npuc.listing;

import java.util.List;

import npuc.arch.MemoryArea;
import npuc.arch.MemoryTiming;
import npuc.arch.Target;
import npuc.report.PythonFloat;

/**
 * Vela's {@code --verbose-config}: the configuration files given, the system config with every memory area's
 * timing, the memory mode with where the arena cache size came from, and the memory areas the compiler uses.
 */
public final class ConfigListing {
    private ConfigListing() {
    }

    /**
     * @param configFiles the --config arguments as given, null when there were none
     */
    public static String of(Target target, List<String> configFiles) {
        StringBuilder s = new StringBuilder();
        s.append("Configuration files:\n");
        s.append("   ").append(configFiles == null ? "None" : PythonText.list(configFiles)).append('\n');
        s.append("System Configuration (").append(target.systemConfigName()).append("):\n");
        s.append("   core_clock = ").append(PythonFloat.repr(target.coreClock())).append('\n');
        s.append("   axi0_port = ").append(target.systemConfig().axi0().configName()).append('\n');
        s.append("   axi1_port = ").append(target.systemConfig().axi1().configName()).append('\n');
        for (MemoryArea a : MemoryArea.PORT_AREAS) {
            MemoryTiming t = target.timing(a);
            String n = a.configName();
            s.append("   ").append(n).append("_clock_scales = ").append(PythonFloat.repr(t.clockScale())).append('\n');
            s.append("   ").append(n).append("_burst_length = ").append(t.burstLength()).append('\n');
            s.append("   ").append(n).append("_read_latency = ").append(t.readLatency()).append('\n');
            s.append("   ").append(n).append("_write_latency = ").append(t.writeLatency()).append('\n');
        }
        s.append("Memory Mode (").append(target.memoryModeName()).append("):\n");
        s.append("   const_mem_area = ").append(target.memoryMode().constPort().configName()).append('\n');
        s.append("   arena_mem_area = ").append(target.memoryMode().arenaPort().configName()).append('\n');
        s.append("   cache_mem_area = ").append(target.memoryMode().cachePort().configName()).append('\n');
        // The command line always passes an arena cache size (its default is 384 KiB), so it always wins.
        s.append("   arena_cache_size = ").append(target.arenaCacheSize()).append(" from CLI option\n");
        s.append("Architecture Settings:\n");
        s.append("   permanent_storage_mem_area = ").append(target.permanentStorageArea().configName()).append('\n');
        s.append("   feature_map_storage_mem_area = ").append(target.featureMapStorageArea().configName())
                .append('\n');
        s.append("   fast_storage_mem_area = ").append(target.fastStorageArea().configName()).append('\n');
        return s.toString();
    }
}
