package npuc.arch;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import npuc.arch.ConfigFile.Entry;
import npuc.arch.ConfigFile.Section;
import npuc.arch.ConfigFile.SectionKind;

/**
 * Turns what the user asked for into a {@link Target}, choosing configurations the way vela 3.10 does:
 *
 * <ul>
 * <li>No --config, and system config and memory mode both left at internal-default (the command line's
 * defaults): the i.MX 93 system (Ethos_U65_High_End's figures, whatever the accelerator) with the
 * accelerator's internal-default memory mode.
 * <li>Otherwise each of the two is read from the configuration file when it has that section; a name left at
 * internal-default and absent from the file gives the accelerator's internal default (Ethos-U55: High-End
 * Embedded and Shared_Sram; Ethos-U65: Client-Server and Dedicated_Sram), with Vela's warning.
 * <li>Where vela would stop because a name was given without --config, npuc reads its built-in copy of the
 * configuration file vela ships ({@code Arm/vela.ini}), so the reference targets are selected by name alone.
 * </ul>
 *
 * Then Vela's rules: when constants, arena and cache are all on one SRAM port, constants move to the other
 * port as on-chip flash with SRAM's timing; the command line's arena cache size replaces the memory mode's;
 * constants must be in DRAM or flash, the arena in SRAM or DRAM, the cache in SRAM, and the arena cache size
 * within the accelerator's address range.
 */
public final class Targets {
    /** The name --config gives vela's shipped configuration file, which npuc has built in. */
    public static final String BUILT_IN_CONFIG_NAME = "Arm/vela.ini";

    private static final ConfigFile BUILT_IN = load("vela.ini", "built-in " + BUILT_IN_CONFIG_NAME);
    private static final ConfigFile INTERNAL_DEFAULTS = load("internal-defaults.ini", "internal defaults");

    private Targets() {
    }

    /** The built-in configuration file (the system configs and memory modes vela ships). */
    public static ConfigFile builtInConfig() {
        return BUILT_IN;
    }

    /** Configuration files --config can name without a path (vela's --list-config-files). */
    public static List<String> builtInConfigNames() {
        return List.of(BUILT_IN_CONFIG_NAME);
    }

    private static ConfigFile load(String resource, String source) {
        try (InputStream in = Targets.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource npuc/arch/" + resource + " is missing from the build");
            }
            return ConfigFile.parse(source, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ConfigException e) {
            throw new IllegalStateException("resource npuc/arch/" + resource + " is invalid: " + e.getMessage(), e);
        }
    }

    /**
     * The configuration file --config names. As vela: it must end in .ini, and a relative path of exactly
     * two parts not starting with '.' or '~' names one of the files shipped with the compiler; npuc also reads
     * such a path from the working directory when it is not one of them.
     */
    public static ConfigFile configFile(Path path) throws ConfigException {
        String text = path.toString();
        if (!text.endsWith(".ini")) {
            throw new ConfigException("Reading configuration file '" + path
                    + "': configuration files must use the .ini extension");
        }
        Path normal = path.normalize();
        boolean shippedForm = !normal.isAbsolute() && normal.getNameCount() == 2
                && !text.startsWith(".") && !text.startsWith("~");
        if (shippedForm && normal.toString().replace('\\', '/').equals(BUILT_IN_CONFIG_NAME)) {
            return BUILT_IN;
        }
        if (!Files.isReadable(path)) {
            throw new ConfigException("Reading configuration file '" + path + "': file not found or not readable"
                    + " (the configuration files built in are: " + String.join(", ", builtInConfigNames()) + ")");
        }
        return ConfigFile.read(path);
    }

    /** Resolves the options to a target, or says exactly what is wrong with them. */
    public static Target resolve(TargetOptions options) throws ConfigException {
        return resolve(options, options.configFile() == null ? null : configFile(options.configFile()));
    }

    /**
     * Resolves the options against configuration text that is not a file of its own (a job message
     * carries it); {@code file} null is the same as no --config.
     */
    public static Target resolve(TargetOptions options, ConfigFile userFile) throws ConfigException {
        Accelerator accelerator = Accelerator.fromName(options.accelerator());
        String systemName = options.systemConfig();
        String modeName = options.memoryMode();
        boolean systemDefault = TargetOptions.INTERNAL_DEFAULT.equals(systemName);
        boolean modeDefault = TargetOptions.INTERNAL_DEFAULT.equals(modeName);
        List<String> notices = new ArrayList<>();

        Origin systemOrigin;
        Origin modeOrigin;
        if (userFile == null && systemDefault && modeDefault) {
            systemOrigin = new Origin(INTERNAL_DEFAULTS, internalSection(SectionKind.SYSTEM_CONFIG, "cli-default"));
            modeOrigin = new Origin(INTERNAL_DEFAULTS, internalSection(SectionKind.MEMORY_MODE,
                    familyKey(accelerator)));
        } else {
            if (systemDefault) {
                notices.add("Warning: Using " + TargetOptions.INTERNAL_DEFAULT
                        + " values for system configuration");
            }
            if (modeDefault) {
                notices.add("Warning: Using " + TargetOptions.INTERNAL_DEFAULT + " values for memory mode");
            }
            ConfigFile file = userFile == null ? BUILT_IN : userFile;
            Optional<Section> systemSection = file.section(SectionKind.SYSTEM_CONFIG, systemName);
            if (systemSection.isPresent()) {
                systemOrigin = new Origin(file, systemSection.get());
            } else if (systemDefault) {
                systemOrigin = new Origin(INTERNAL_DEFAULTS,
                        internalSection(SectionKind.SYSTEM_CONFIG, familyKey(accelerator)));
            } else {
                throw notFound("--system-config", systemName, SectionKind.SYSTEM_CONFIG, file);
            }
            Optional<Section> modeSection = file.section(SectionKind.MEMORY_MODE, modeName);
            if (modeSection.isPresent()) {
                modeOrigin = new Origin(file, modeSection.get());
            } else if (modeDefault) {
                modeOrigin = new Origin(INTERNAL_DEFAULTS,
                        internalSection(SectionKind.MEMORY_MODE, familyKey(accelerator)));
            } else {
                throw notFound("--memory-mode", modeName, SectionKind.MEMORY_MODE, file);
            }
        }

        SystemConfig system = readSystemConfig(systemOrigin.file(), systemOrigin.section(), systemName);
        MemoryMode mode = readMemoryMode(modeOrigin.file(), modeOrigin.section(), modeName, accelerator);

        // Constants cannot share one SRAM port with arena and cache: vela moves them to the other port and
        // calls that memory on-chip flash, timed like the SRAM.
        if (system.area(mode.constPort()) == MemoryArea.SRAM && mode.constPort() == mode.arenaPort()
                && mode.arenaPort() == mode.cachePort()) {
            notices.add("Info: Changing const_mem_area from Sram to OnChipFlash. This will use the same"
                    + " characteristics as Sram.");
            AxiPort other = mode.constPort().other();
            system = system.withPort(other, MemoryArea.ON_CHIP_FLASH)
                    .withTiming(MemoryArea.ON_CHIP_FLASH, system.timing(MemoryArea.SRAM));
            mode = mode.withConstPort(other);
        }

        mode = mode.withArenaCacheSize(options.arenaCacheSize());

        MemoryArea constArea = system.area(mode.constPort());
        if (constArea != MemoryArea.DRAM && constArea != MemoryArea.ON_CHIP_FLASH
                && constArea != MemoryArea.OFF_CHIP_FLASH) {
            throw invalidArea("const_mem_area", mode.constPort(), constArea, "Dram or OnChipFlash or OffChipFlash",
                    systemOrigin, modeOrigin);
        }
        MemoryArea arenaArea = system.area(mode.arenaPort());
        if (arenaArea != MemoryArea.SRAM && arenaArea != MemoryArea.DRAM) {
            throw invalidArea("arena_mem_area", mode.arenaPort(), arenaArea, "Sram or Dram", systemOrigin,
                    modeOrigin);
        }
        MemoryArea cacheArea = system.area(mode.cachePort());
        if (cacheArea != MemoryArea.SRAM) {
            throw invalidArea("cache_mem_area", mode.cachePort(), cacheArea, "Sram", systemOrigin, modeOrigin);
        }
        long size = mode.arenaCacheSize();
        if (size < 0) {
            throw new ConfigException("Invalid configuration of arena_cache_size=" + size + " (must be >= 0),"
                    + " from --arena-cache-size");
        }
        if (size > accelerator.maxAddressOffset()) {
            throw new ConfigException("Invalid configuration of arena_cache_size=" + size + " from"
                    + " --arena-cache-size: out of bounds, the maximum for " + accelerator.cliName() + " is "
                    + accelerator.maxAddressOffset());
        }
        return new Target(accelerator, system, mode, notices);
    }

    /** Where a system config or memory mode was read from: a section of a file or of the internal defaults. */
    private record Origin(ConfigFile file, Section section) {
        /** The line that set a key (following inherit), or the section header when the key is unset. */
        String locate(String key) {
            if (file == INTERNAL_DEFAULTS) {
                return "the internal-default " + section.kind().describe();
            }
            String at = file.lookup(section, key).map(e -> e.location().toString())
                    .orElse(section.location() + " (not set, so the default)");
            return "[" + section.fullName() + "] at " + at;
        }
    }

    private static ConfigException invalidArea(String key, AxiPort port, MemoryArea area, String valid,
            Origin systemOrigin, Origin modeOrigin) {
        String portKey = port == AxiPort.AXI0 ? "axi0_port" : "axi1_port";
        return new ConfigException("Invalid configuration of " + key + "=" + area.configName() + " (must be "
                + valid + "): " + key + "=" + port.configName() + " from " + modeOrigin.locate(key) + ", and "
                + portKey + "=" + area.configName() + " from " + systemOrigin.locate(portKey));
    }

    private static ConfigException notFound(String option, String name, SectionKind kind, ConfigFile file) {
        List<String> choices = new ArrayList<>(file.names(kind));
        choices.add(TargetOptions.INTERNAL_DEFAULT);
        String source = file == BUILT_IN ? file.source() + " (no --config given)" : file.source();
        return new ConfigException("Incorrect argument to CLI option " + option + "=" + name + ": section ["
                + kind.prefix() + "." + name + "] not found in " + source + " (valid choices: "
                + String.join(", ", choices) + ")");
    }

    private static String familyKey(Accelerator accelerator) {
        return accelerator.isEthosU65() ? "ethos-u65" : "ethos-u55";
    }

    private static Section internalSection(SectionKind kind, String key) {
        return INTERNAL_DEFAULTS.section(kind, key)
                .orElseThrow(() -> new IllegalStateException("internal defaults lack " + kind.prefix() + "." + key));
    }

    /**
     * A system config as vela reads one: unset options are 1 (both ports SRAM), and only the timing of the
     * two memories behind the ports is read; keys for other memories are accepted and have no effect.
     */
    private static SystemConfig readSystemConfig(ConfigFile file, Section section, String name) {
        double coreClock = file.lookup(section, "core_clock").map(Entry::real).orElse(1.0);
        MemoryArea axi0 = file.lookup(section, "axi0_port").map(Entry::area).orElse(MemoryArea.SRAM);
        MemoryArea axi1 = file.lookup(section, "axi1_port").map(Entry::area).orElse(MemoryArea.SRAM);
        Map<MemoryArea, MemoryTiming> timings = new EnumMap<>(MemoryArea.class);
        for (MemoryArea area : List.of(axi0, axi1)) {
            String prefix = area.configName();
            MemoryTiming t = MemoryTiming.UNCONFIGURED;
            t = t.withClockScale(file.lookup(section, prefix + ConfigFile.CLOCK_SCALE).map(Entry::real)
                    .orElse(t.clockScale()));
            t = t.withBurstLength(file.lookup(section, prefix + ConfigFile.BURST_LENGTH)
                    .map(e -> (int) e.integer()).orElse(t.burstLength()));
            t = t.withReadLatency(file.lookup(section, prefix + ConfigFile.READ_LATENCY)
                    .map(e -> (int) e.integer()).orElse(t.readLatency()));
            t = t.withWriteLatency(file.lookup(section, prefix + ConfigFile.WRITE_LATENCY)
                    .map(e -> (int) e.integer()).orElse(t.writeLatency()));
            timings.put(area, t);
        }
        return new SystemConfig(name, coreClock, axi0, axi1, timings);
    }

    /** A memory mode as vela reads one: unset ports are Axi0, an unset size is the whole address range. */
    private static MemoryMode readMemoryMode(ConfigFile file, Section section, String name,
            Accelerator accelerator) {
        AxiPort constPort = file.lookup(section, "const_mem_area").map(Entry::port).orElse(AxiPort.AXI0);
        AxiPort arenaPort = file.lookup(section, "arena_mem_area").map(Entry::port).orElse(AxiPort.AXI0);
        AxiPort cachePort = file.lookup(section, "cache_mem_area").map(Entry::port).orElse(AxiPort.AXI0);
        long size = file.lookup(section, "arena_cache_size").map(Entry::integer)
                .orElse(accelerator.maxAddressOffset());
        return new MemoryMode(name, constPort, arenaPort, cachePort, size);
    }
}
