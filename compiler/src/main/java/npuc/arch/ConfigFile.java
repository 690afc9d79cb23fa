package npuc.arch;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A Vela configuration file: {@code [System_Config.NAME]} and {@code [Memory_Mode.NAME]} sections of
 * {@code key=value} options, in the INI dialect of Python's ConfigParser that Vela reads (full-line comments
 * starting with {@code #} or {@code ;}, {@code =} or {@code :} between key and value, keys matched without
 * regard to case, section names and values with).
 *
 * <p>Vela only looks at the sections it was asked for, and only at the keys it needs, so a typing mistake
 * silently gives defaults of 1. This reader checks the whole file when it is read: every section, key and
 * value, and every {@code inherit} chain, and says where the mistake is and what would have been valid.
 */
public final class ConfigFile {

    /** The two kinds of section, by the prefix of their header. */
    public enum SectionKind {
        SYSTEM_CONFIG("System_Config"),
        MEMORY_MODE("Memory_Mode");

        private final String prefix;

        SectionKind(String prefix) {
            this.prefix = prefix;
        }

        public String prefix() {
            return prefix;
        }

        String describe() {
            return this == SYSTEM_CONFIG ? "system config" : "memory mode";
        }
    }

    /** A place in a configuration file, for messages. */
    public record Location(String file, int line) {
        @Override
        public String toString() {
            return file + ":" + line;
        }
    }

    /**
     * One option, its value checked and converted when the file was read.
     *
     * @param key   the key as this reader spells it (Vela's spelling), whatever case the file used
     * @param text  the value as written
     * @param value a Double, Long, MemoryArea, AxiPort or String (a section name), by the key's type
     */
    public record Entry(String key, String text, Object value, Location location) {
        public double real() {
            return (Double) value;
        }

        public long integer() {
            return (Long) value;
        }

        public MemoryArea area() {
            return (MemoryArea) value;
        }

        public AxiPort port() {
            return (AxiPort) value;
        }
    }

    /** A section: its options keyed by lower-case key, as ConfigParser keys them. */
    public record Section(SectionKind kind, String name, Location location, Map<String, Entry> entries) {
        public String fullName() {
            return kind.prefix() + "." + name;
        }

        public Optional<Entry> own(String key) {
            return Optional.ofNullable(entries.get(key.toLowerCase(Locale.ROOT)));
        }
    }

    /** The key that names the section to take unset options from. */
    public static final String INHERIT = "inherit";

    private enum ValueType {
        SECTION("a section name such as Memory_Mode.Shared_Sram"),
        POSITIVE_REAL("a positive number"),
        POSITIVE_INTEGER("a positive integer"),
        NON_NEGATIVE_INTEGER("an integer >= 0"),
        AREA("one of " + String.join(", ", MemoryArea.portAreaConfigNames())),
        PORT("one of " + String.join(", ", AxiPort.configNames()));

        final String expected;

        ValueType(String expected) {
            this.expected = expected;
        }
    }

    private record KeySpec(String key, ValueType type) {
    }

    /** Suffixes of the per-memory-area timing keys: Sram_clock_scale, Dram_read_latency, ... */
    static final String CLOCK_SCALE = "_clock_scale";
    static final String BURST_LENGTH = "_burst_length";
    static final String READ_LATENCY = "_read_latency";
    static final String WRITE_LATENCY = "_write_latency";

    private static final Map<SectionKind, Map<String, KeySpec>> KEYS = Map.of(
            SectionKind.SYSTEM_CONFIG, systemConfigKeys(),
            SectionKind.MEMORY_MODE, keys(
                    new KeySpec(INHERIT, ValueType.SECTION),
                    new KeySpec("const_mem_area", ValueType.PORT),
                    new KeySpec("arena_mem_area", ValueType.PORT),
                    new KeySpec("cache_mem_area", ValueType.PORT),
                    new KeySpec("arena_cache_size", ValueType.NON_NEGATIVE_INTEGER)));

    private static Map<String, KeySpec> systemConfigKeys() {
        List<KeySpec> specs = new ArrayList<>(List.of(
                new KeySpec(INHERIT, ValueType.SECTION),
                new KeySpec("core_clock", ValueType.POSITIVE_REAL),
                new KeySpec("axi0_port", ValueType.AREA),
                new KeySpec("axi1_port", ValueType.AREA)));
        for (MemoryArea area : MemoryArea.PORT_AREAS) {
            specs.add(new KeySpec(area.configName() + CLOCK_SCALE, ValueType.POSITIVE_REAL));
            specs.add(new KeySpec(area.configName() + BURST_LENGTH, ValueType.POSITIVE_INTEGER));
            specs.add(new KeySpec(area.configName() + READ_LATENCY, ValueType.NON_NEGATIVE_INTEGER));
            specs.add(new KeySpec(area.configName() + WRITE_LATENCY, ValueType.NON_NEGATIVE_INTEGER));
        }
        return keys(specs.toArray(KeySpec[]::new));
    }

    private static Map<String, KeySpec> keys(KeySpec... specs) {
        Map<String, KeySpec> byLowerCase = new LinkedHashMap<>();
        for (KeySpec spec : specs) {
            byLowerCase.put(spec.key().toLowerCase(Locale.ROOT), spec);
        }
        return Collections.unmodifiableMap(byLowerCase);
    }

    /** Python's int() literal: optional sign, digits with single underscores between them. */
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+(?:_\\d+)*");
    /** Python's float() literal without inf and nan, which no option accepts. */
    private static final Pattern REAL = Pattern.compile(
            "[+-]?(?:\\d+(?:_\\d+)*(?:\\.(?:\\d+(?:_\\d+)*)?)?|\\.\\d+(?:_\\d+)*)(?:[eE][+-]?\\d+(?:_\\d+)*)?");

    private final String source;
    private final Map<String, Section> sections;

    private ConfigFile(String source, Map<String, Section> sections) {
        this.source = source;
        this.sections = sections;
    }

    /** Reads and checks a configuration file from disk (UTF-8). */
    public static ConfigFile read(Path path) throws ConfigException {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("Reading configuration file '" + path + "': " + e.getMessage(), e);
        }
        return parse(path.toString(), text);
    }

    /**
     * Parses and checks configuration text.
     *
     * @param source what to call the text in messages: its path, or the name of a built-in file
     */
    public static ConfigFile parse(String source, String text) throws ConfigException {
        Map<String, Section> sections = new LinkedHashMap<>();
        List<String> lines = text.lines().toList();
        SectionKind kind = null;
        String name = null;
        Location sectionLocation = null;
        Map<String, Entry> entries = null;
        Entry lastEntry = null;
        for (int i = 0; i < lines.size(); i++) {
            Location here = new Location(source, i + 1);
            String raw = i == 0 && lines.get(0).startsWith("\uFEFF") ? lines.get(0).substring(1) : lines.get(i);
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (Character.isWhitespace(raw.charAt(0)) && lastEntry != null) {
                // ConfigParser would append an indented line to the previous value, which no option accepts.
                throw new ConfigException(here + ": indented line continues the value of " + lastEntry.key()
                        + " (" + lastEntry.location() + "); write each option on one line, starting in column 1");
            }
            if (line.startsWith("[")) {
                if (entries != null) {
                    sections.put(kind.prefix() + "." + name, new Section(kind, name, sectionLocation,
                            Collections.unmodifiableMap(entries)));
                }
                // ConfigParser takes the header up to the last ']'; only a comment may follow it here.
                int close = line.lastIndexOf(']');
                String after = close < 0 ? "" : line.substring(close + 1).strip();
                if (close < 2 || !(after.isEmpty() || after.startsWith(";") || after.startsWith("#"))) {
                    throw new ConfigException(here + ": malformed section header '" + line
                            + "' (expected [System_Config.NAME] or [Memory_Mode.NAME])");
                }
                String header = line.substring(1, close);
                int dot = header.indexOf('.');
                kind = null;
                if (dot > 0 && dot < header.length() - 1) {
                    String prefix = header.substring(0, dot);
                    for (SectionKind k : SectionKind.values()) {
                        if (k.prefix().equals(prefix)) {
                            kind = k;
                        }
                    }
                }
                if (kind == null) {
                    throw new ConfigException(here + ": unknown section [" + header
                            + "] (valid sections: [System_Config.NAME], [Memory_Mode.NAME])");
                }
                name = header.substring(dot + 1);
                Section earlier = sections.get(header);
                if (earlier != null) {
                    throw new ConfigException(here + ": section [" + header + "] is already defined at "
                            + earlier.location());
                }
                sectionLocation = here;
                entries = new LinkedHashMap<>();
                lastEntry = null;
                continue;
            }
            int equals = line.indexOf('=');
            int colon = line.indexOf(':');
            int delimiter = equals < 0 ? colon : colon < 0 ? equals : Math.min(equals, colon);
            if (delimiter < 0) {
                throw new ConfigException(here + ": '" + line
                        + "' is neither a section header, a key=value option nor a comment");
            }
            if (entries == null) {
                throw new ConfigException(here + ": option '" + line
                        + "' comes before any section header ([System_Config.NAME] or [Memory_Mode.NAME])");
            }
            String written = line.substring(0, delimiter).strip();
            String value = line.substring(delimiter + 1).strip();
            String lower = written.toLowerCase(Locale.ROOT);
            KeySpec spec = KEYS.get(kind).get(lower);
            if (spec == null) {
                throw new ConfigException(unknownKey(here, written, kind, name));
            }
            Entry earlier = entries.get(lower);
            if (earlier != null) {
                throw new ConfigException(here + ": " + spec.key() + " is already set in [" + kind.prefix() + "."
                        + name + "] at " + earlier.location());
            }
            lastEntry = new Entry(spec.key(), value, convert(spec, value, here), here);
            entries.put(lower, lastEntry);
        }
        if (entries != null) {
            sections.put(kind.prefix() + "." + name, new Section(kind, name, sectionLocation,
                    Collections.unmodifiableMap(entries)));
        }
        checkInheritance(sections);
        return new ConfigFile(source, Collections.unmodifiableMap(sections));
    }

    private static String unknownKey(Location here, String written, SectionKind kind, String name) {
        String lower = written.toLowerCase(Locale.ROOT);
        StringBuilder message = new StringBuilder(here + ": unknown key '" + written + "' in [" + kind.prefix()
                + "." + name + "]");
        for (SectionKind other : SectionKind.values()) {
            if (other != kind && KEYS.get(other).containsKey(lower)) {
                message.append(" (it belongs in a [").append(other.prefix()).append(".NAME] section)");
            }
        }
        List<String> valid = KEYS.get(kind).values().stream().map(KeySpec::key).toList();
        return message.append(" (valid keys: ").append(String.join(", ", valid)).append(")").toString();
    }

    private static Object convert(KeySpec spec, String value, Location here) throws ConfigException {
        String problem = "invalid value '" + value + "' for " + spec.key() + " (must be " + spec.type().expected
                + ")";
        switch (spec.type()) {
            case SECTION -> {
                if (value.isEmpty()) {
                    throw new ConfigException(here + ": " + problem);
                }
                return value;
            }
            case POSITIVE_REAL -> {
                if (!REAL.matcher(value).matches()) {
                    throw new ConfigException(here + ": " + problem);
                }
                double d = Double.parseDouble(value.replace("_", ""));
                if (!(d > 0) || Double.isInfinite(d)) {
                    throw new ConfigException(here + ": " + problem);
                }
                return d;
            }
            case POSITIVE_INTEGER, NON_NEGATIVE_INTEGER -> {
                if (!INTEGER.matcher(value).matches()) {
                    throw new ConfigException(here + ": " + problem);
                }
                BigInteger n = new BigInteger(value.replace("_", ""));
                long min = spec.type() == ValueType.POSITIVE_INTEGER ? 1 : 0;
                // Burst lengths and latencies are ints in every use; only arena_cache_size needs a long.
                long max = spec.key().equals("arena_cache_size") ? Long.MAX_VALUE : Integer.MAX_VALUE;
                if (n.compareTo(BigInteger.valueOf(min)) < 0 || n.compareTo(BigInteger.valueOf(max)) > 0) {
                    throw new ConfigException(here + ": " + problem);
                }
                return n.longValue();
            }
            case AREA -> {
                return MemoryArea.fromConfigName(value)
                        .orElseThrow(() -> new ConfigException(here + ": " + problem));
            }
            case PORT -> {
                return AxiPort.fromConfigName(value).orElseThrow(() -> new ConfigException(here + ": " + problem));
            }
            default -> throw new IllegalStateException("value type " + spec.type());
        }
    }

    /** Every inherit names an existing section of the same kind, and no chain comes back to where it started. */
    private static void checkInheritance(Map<String, Section> sections) throws ConfigException {
        for (Section section : sections.values()) {
            Set<String> chain = new LinkedHashSet<>();
            chain.add(section.fullName());
            Section current = section;
            Optional<Entry> inherit = current.own(INHERIT);
            while (inherit.isPresent()) {
                Entry entry = inherit.get();
                String target = (String) entry.value();
                Section parent = sections.get(target);
                if (parent == null || parent.kind() != section.kind()) {
                    List<String> choices = sections.values().stream()
                            .filter(s -> s.kind() == section.kind() && s != section)
                            .map(Section::fullName).toList();
                    String why = parent == null ? "names no section in this file"
                            : "names a " + parent.kind().describe() + ", not a " + section.kind().describe();
                    throw new ConfigException(entry.location() + ": inherit=" + target + " in ["
                            + current.fullName() + "] " + why + " (valid choices: "
                            + (choices.isEmpty() ? "none" : String.join(", ", choices)) + ")");
                }
                if (!chain.add(target)) {
                    throw new ConfigException(entry.location() + ": inherit=" + target + " in ["
                            + current.fullName() + "] makes a cycle: " + String.join(" -> ", chain) + " -> "
                            + target);
                }
                current = parent;
                inherit = current.own(INHERIT);
            }
        }
    }

    /** What messages call this file: its path, or the name of a built-in file. */
    public String source() {
        return source;
    }

    /** Names of the sections of one kind, in file order. */
    public List<String> names(SectionKind kind) {
        return sections.values().stream().filter(s -> s.kind() == kind).map(Section::name).toList();
    }

    public Optional<Section> section(SectionKind kind, String name) {
        return Optional.ofNullable(sections.get(kind.prefix() + "." + name));
    }

    /**
     * The value of a key in a section or, when the section does not set it, in the section it inherits from,
     * and so on up: a child's option wins over its parent's.
     */
    public Optional<Entry> lookup(Section section, String key) {
        for (Section s = section; s != null; ) {
            Optional<Entry> own = s.own(key);
            if (own.isPresent()) {
                return own;
            }
            Optional<Entry> inherit = s.own(INHERIT);
            s = inherit.map(e -> sections.get((String) e.value())).orElse(null);
        }
        return Optional.empty();
    }
}
