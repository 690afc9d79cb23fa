package npuc.arch;

import java.nio.file.Path;

/**
 * What the user asked for, as vela's command line takes it. Null stands for "not given" and is replaced by
 * the default vela 3.10 (the NXP release the project follows) uses: accelerator ethos-u65-256,
 * system config and memory mode "internal-default", arena cache size 384 KiB. That release always passes an
 * arena cache size, so a configuration file's arena_cache_size never takes effect from the command line;
 * the default here keeps that. Only the configuration file stays null when not given.
 *
 * @param accelerator    --accelerator-config, e.g. "ethos-u55-256"
 * @param systemConfig   --system-config, a [System_Config.NAME] section or "internal-default"
 * @param memoryMode     --memory-mode, a [Memory_Mode.NAME] section or "internal-default"
 * @param configFile     --config: a path, or "Arm/vela.ini" for the built-in file; null for none
 * @param arenaCacheSize --arena-cache-size in bytes
 */
public record TargetOptions(String accelerator, String systemConfig, String memoryMode, Path configFile,
        Long arenaCacheSize) {

    /** The name that selects the system config or memory mode Vela defines in code. */
    public static final String INTERNAL_DEFAULT = "internal-default";
    public static final String DEFAULT_ACCELERATOR = "ethos-u65-256";
    public static final long DEFAULT_ARENA_CACHE_SIZE = 384 * 1024;

    public TargetOptions {
        accelerator = accelerator != null ? accelerator : DEFAULT_ACCELERATOR;
        systemConfig = systemConfig != null ? systemConfig : INTERNAL_DEFAULT;
        memoryMode = memoryMode != null ? memoryMode : INTERNAL_DEFAULT;
        arenaCacheSize = arenaCacheSize != null ? arenaCacheSize : DEFAULT_ARENA_CACHE_SIZE;
    }

    /** Vela's command-line defaults: nothing given. */
    public static TargetOptions defaults() {
        return new TargetOptions(null, null, null, null, null);
    }

    /** A named target from the built-in configuration file, as the reference runs select them. */
    public static TargetOptions of(String accelerator, String systemConfig, String memoryMode) {
        return new TargetOptions(accelerator, systemConfig, memoryMode, null, null);
    }

    public TargetOptions withAccelerator(String value) {
        return new TargetOptions(value, systemConfig, memoryMode, configFile, arenaCacheSize);
    }

    public TargetOptions withSystemConfig(String value) {
        return new TargetOptions(accelerator, value, memoryMode, configFile, arenaCacheSize);
    }

    public TargetOptions withMemoryMode(String value) {
        return new TargetOptions(accelerator, systemConfig, value, configFile, arenaCacheSize);
    }

    public TargetOptions withConfigFile(Path value) {
        return new TargetOptions(accelerator, systemConfig, memoryMode, value, arenaCacheSize);
    }

    public TargetOptions withArenaCacheSize(Long value) {
        return new TargetOptions(accelerator, systemConfig, memoryMode, configFile, value);
    }
}
