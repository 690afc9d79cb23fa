package npuc.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Vela 3.10's command line, parsed as Python's argparse parses it: the same option names, metavars, choices
 * and defaults; unambiguous prefixes of long options ({@code --verbose-perf}); {@code --option=value}; the
 * last of a repeated option wins ({@code --config} collects them); and argparse's messages for what it rejects.
 * Scripts written around vela see the same behaviour, so this follows argparse's rules rather than picocli's
 * (which abbreviates by hyphen-separated parts and words its errors differently).
 */
final class VelaArguments {
    /** Where argparse stops parsing and exits 0: nowhere, at -h/--help, or at a version option. */
    enum Stop { NONE, HELP, VERSION, API_VERSION }

    /** How an option takes its value. */
    enum Kind { FLAG, VALUE, APPEND, HELP, VERSION }

    /**
     * One option of the table.
     *
     * @param choices the values it accepts, empty for any
     * @param integer its value must be a Python int
     */
    record Option(String name, Kind kind, String metavar, List<String> choices, boolean integer, String help) {
        Option {
            choices = List.copyOf(choices);
        }

        /** The option as the usage line shows it. */
        String usage() {
            return switch (kind) {
                case FLAG, HELP, VERSION -> name;
                case VALUE, APPEND -> name + " " + valueLabel();
            };
        }

        String valueLabel() {
            return choices.isEmpty() ? metavar : "{" + String.join(",", choices) + "}";
        }

        String key() {
            return name.substring(2);
        }
    }

    static final String PROGRAM = "vela";
    static final String POSITIONAL = "NETWORK";
    static final List<String> ACCELERATORS = List.of("ethos-u55-32", "ethos-u55-64", "ethos-u55-128",
            "ethos-u55-256", "ethos-u65-256", "ethos-u65-512");
    static final List<String> ALLOCATORS = List.of("LinearAlloc", "Greedy", "HillClimb");

    /** The verbose flags {@code --verbose-all} turns on, in the table's order. */
    static final List<String> VERBOSE_FLAGS = List.of("verbose-config", "verbose-graph", "verbose-quantization",
            "verbose-packing", "verbose-tensor-purpose", "verbose-tensor-format", "verbose-schedule",
            "verbose-allocation", "verbose-high-level-command-stream", "verbose-register-command-stream",
            "verbose-operators", "verbose-weights", "verbose-performance", "verbose-progress");

    /** Vela's options in the order of its usage line; the help text is npuc's. */
    static final List<Option> OPTIONS = List.of(
            help("--version", Kind.VERSION, "show the version of Vela whose command line this is, and exit"),
            help("--api-version", Kind.VERSION,
                    "show the version of Vela's external API that npuc's library stands in for, and exit"),
            flag("--supported-ops-report", "write SUPPORTED_OPS.md into the working directory, from npuc's "
                    + "operator constraint tables, and exit"),
            flag("--list-config-files", "list the configuration files built in (for --config) and exit"),
            value("--output-dir", "OUTPUT_DIR", "folder the output files are written to (default: output)"),
            flag("--enable-debug-db", "also write <network>_debug.xml: source and optimised operators and where "
                    + "each command-stream entry comes from"),
            new Option("--config", Kind.APPEND, "CONFIG", List.of(), false,
                    "configuration file (.ini) of system configs and memory modes; Arm/vela.ini is built in"),
            flag("--verbose-all", "turn on every --verbose-* output"),
            flag("--verbose-config", "print the system config, memory mode and memory areas used"),
            flag("--verbose-graph", "print the operations before and after the graph rewrites"),
            flag("--verbose-quantization", "print every operation's tensors with their quantization"),
            flag("--verbose-packing", "print the passes the operations were packed into"),
            flag("--verbose-tensor-purpose", "print every operation's tensors with purpose, memory area and type"),
            flag("--verbose-tensor-format", "accepted; Vela 3.10 prints nothing for it either"),
            flag("--verbose-schedule", "print the chosen schedule of every NPU subgraph"),
            flag("--verbose-allocation", "print every tensor allocation with its lifetime and addresses"),
            flag("--verbose-high-level-command-stream", "print the high-level command stream"),
            flag("--verbose-register-command-stream", "print the NPU operations and the register command stream"),
            flag("--verbose-operators", "print the operators of the input model with their attributes"),
            flag("--verbose-weights", "add the original and encoded weight sizes to the summary"),
            flag("--verbose-performance", "print the per-layer performance table and write <network>_per-layer.csv"),
            flag("--verbose-progress", "print each stage of the compile as it starts"),
            flag("--show-cpu-operations", "list the operators that run on the CPU, and those on the NPU"),
            flag("--timing", "print how long reading, scheduling and the whole compile took"),
            flag("--subgraph-output", "also write the NPU subgraph's operations as <network>_ethos_u_subgraph.csv"),
            flag("--force-symmetric-int-weights", "set the zero points of signed integer weights to 0"),
            new Option("--accelerator-config", Kind.VALUE, "ACCELERATOR_CONFIG", ACCELERATORS, false,
                    "accelerator to compile for (default: ethos-u65-256)"),
            value("--system-config", "SYSTEM_CONFIG",
                    "system config from the configuration file (default: internal-default)"),
            value("--memory-mode", "MEMORY_MODE", "memory mode from the configuration file (default: internal-default)"),
            new Option("--tensor-allocator", Kind.VALUE, "TENSOR_ALLOCATOR", ALLOCATORS, false,
                    "allocator of the tensor arena (default: HillClimb)"),
            flag("--show-subgraph-io-summary", "print every subgraph's input and output tensors and sizes"),
            new Option("--max-block-dependency", Kind.VALUE, "MAX_BLOCK_DEPENDENCY", List.of("0", "1", "2", "3"),
                    true, "largest block dependency between NPU kernel operations (default: 3)"),
            new Option("--optimise", Kind.VALUE, "OPTIMISE", List.of("Size", "Performance"), false,
                    "Size: the least SRAM (ignores the arena cache size); Performance: the fastest schedule within "
                            + "the arena cache size (default: Performance)"),
            integer("--arena-cache-size", "ARENA_CACHE_SIZE",
                    "bytes of the arena cache; replaces the memory mode's arena_cache_size (default: 393216)"),
            integer("--cpu-tensor-alignment", "CPU_TENSOR_ALIGNMENT",
                    "byte alignment of the tensors the CPU sees, a power of 2 of at least 16 (default: 16 Bytes)"),
            integer("--recursion-limit", "RECURSION_LIMIT",
                    "accepted for Vela's sake, which recurses over deep graphs; npuc does not (default: 4000)"),
            integer("--hillclimb-max-iterations", "HILLCLIMB_MAX_ITERATIONS",
                    "most iterations of the HillClimb tensor allocator (default: 99999)"));

    private static final Pattern NEGATIVE_NUMBER = Pattern.compile("^-\\d+$|^-\\d*\\.\\d+$");
    private static final Pattern PYTHON_INT = Pattern.compile("^\\s*[+-]?(\\d+(_\\d+)*)\\s*$");

    private VelaArguments() {
    }

    private static Option flag(String name, String help) {
        return new Option(name, Kind.FLAG, null, List.of(), false, help);
    }

    private static Option help(String name, Kind kind, String help) {
        return new Option(name, kind, null, List.of(), false, help);
    }

    private static Option value(String name, String metavar, String help) {
        return new Option(name, Kind.VALUE, metavar, List.of(), false, help);
    }

    private static Option integer(String name, String metavar, String help) {
        return new Option(name, Kind.VALUE, metavar, List.of(), true, help);
    }

    /** An argument argparse rejects: the usage and {@code <prog>: error: <message>} go to stderr, exit 2. */
    static final class UsageError extends Exception {
        UsageError(String message) {
            super(message);
        }
    }

    /**
     * What the command line asked for: the network (null when not given), each flag given, each value given
     * (the last one; {@code config} holds every one), and whether it stopped at help or a version (then nothing
     * else matters, as argparse exits there).
     */
    record Parsed(String network, Map<String, List<String>> values, Stop stop) {
        boolean flag(String key) {
            return values.containsKey(key);
        }

        String value(String key) {
            List<String> v = values.get(key);
            return v == null ? null : v.get(v.size() - 1);
        }

        List<String> all(String key) {
            return values.getOrDefault(key, List.of());
        }

        /** A verbose output: given itself or through --verbose-all. */
        boolean verbose(String key) {
            return flag(key) || flag("verbose-all");
        }

        Integer integer(String key) {
            String v = value(key);
            return v == null ? null : Integer.valueOf(v.strip().replace("_", ""));
        }
    }

    /** Parses the arguments as argparse would, stopping at -h/--help, --version or --api-version. */
    static Parsed parse(List<String> args) throws UsageError {
        Map<String, List<String>> values = new LinkedHashMap<>();
        String network = null;
        List<String> extras = new ArrayList<>();
        boolean positionalOnly = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (positionalOnly || !looksLikeOption(arg)) {
                if (network == null) {
                    network = arg;
                } else {
                    extras.add(arg);
                }
                continue;
            }
            if (arg.equals("--")) {
                positionalOnly = true;
                continue;
            }
            String explicit = null;
            String optionText = arg;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                optionText = arg.substring(0, eq);
                explicit = arg.substring(eq + 1);
            }
            if (optionText.equals("-h") || optionText.equals("--help")) {
                return new Parsed(network, values, Stop.HELP);
            }
            Option option = lookUp(optionText, arg);
            if (option == null) {
                extras.add(arg);
                continue;
            }
            switch (option.kind()) {
                case HELP -> {
                    return new Parsed(network, values, Stop.HELP);
                }
                case VERSION -> {
                    return new Parsed(network, values,
                            option.name().equals("--version") ? Stop.VERSION : Stop.API_VERSION);
                }
                case FLAG -> {
                    if (explicit != null) {
                        throw new UsageError("argument " + option.name() + ": ignored explicit argument '"
                                + explicit + "'");
                    }
                    values.put(option.key(), List.of());
                }
                case VALUE, APPEND -> {
                    String v = explicit;
                    if (v == null) {
                        if (i + 1 >= args.size() || looksLikeOption(args.get(i + 1))) {
                            throw new UsageError("argument " + option.name() + ": expected one argument");
                        }
                        v = args.get(++i);
                    }
                    check(option, v);
                    List<String> list = option.kind() == Kind.APPEND
                            ? new ArrayList<>(values.getOrDefault(option.key(), List.of())) : new ArrayList<>();
                    list.add(v);
                    values.put(option.key(), List.copyOf(list));
                }
            }
        }
        if (!extras.isEmpty()) {
            throw new UsageError("unrecognized arguments: " + String.join(" ", extras));
        }
        return new Parsed(network, values, Stop.NONE);
    }

    /** argparse takes "-5" as a value, not an option, when no option of the parser looks like a number. */
    private static boolean looksLikeOption(String arg) {
        return arg.startsWith("-") && !arg.equals("-") && !NEGATIVE_NUMBER.matcher(arg).matches()
                && !arg.contains(" ");
    }

    /** The option an argument names: exactly, or as the one long option it is a prefix of. */
    private static Option lookUp(String optionText, String arg) throws UsageError {
        List<Option> matches = new ArrayList<>();
        for (Option o : OPTIONS) {
            if (o.name().equals(optionText)) {
                return o;
            }
            if (optionText.startsWith("--") && o.name().startsWith(optionText)) {
                matches.add(o);
            }
        }
        if ("--help".startsWith(optionText) && optionText.length() > 2) {
            matches.add(0, help("--help", Kind.HELP, ""));
        }
        if (matches.size() > 1) {
            throw new UsageError("ambiguous option: " + optionText + " could match "
                    + String.join(", ", matches.stream().map(Option::name).toList()));
        }
        return matches.isEmpty() ? null : matches.get(0);
    }

    private static void check(Option option, String v) throws UsageError {
        if (option.integer() && !PYTHON_INT.matcher(v).matches()) {
            throw new UsageError("argument " + option.name() + ": invalid int value: '" + v + "'");
        }
        if (!option.choices().isEmpty()) {
            String given = option.integer() ? String.valueOf(Integer.parseInt(v.strip().replace("_", ""))) : v;
            if (!option.choices().contains(given)) {
                String quoted = option.integer() ? v.strip() : "'" + v + "'";
                String choices = String.join(", ", option.choices().stream()
                        .map(c -> option.integer() ? c : "'" + c + "'").toList());
                throw new UsageError("argument " + option.name() + ": invalid choice: " + quoted
                        + " (choose from " + choices + ")");
            }
        }
    }

    /** argparse's usage lines: options wrapped after {@code usage: vela }, the positional on a line of its own. */
    static String usage() {
        String prefix = "usage: ";
        String indent = " ".repeat(prefix.length() + PROGRAM.length() + 1);
        List<String> parts = new ArrayList<>();
        parts.add("[-h]");
        for (Option o : OPTIONS) {
            parts.add("[" + o.usage() + "]");
        }
        int width = 78;
        List<String> lines = wrap(parts, indent, prefix.length() + PROGRAM.length(), width);
        lines.add(indent + "[" + POSITIONAL + "]");
        StringBuilder s = new StringBuilder(prefix).append(PROGRAM).append(' ');
        s.append(lines.get(0).substring(indent.length()));
        for (int i = 1; i < lines.size(); i++) {
            s.append('\n').append(lines.get(i));
        }
        return s.append('\n').toString();
    }

    private static List<String> wrap(List<String> parts, String indent, int firstLength, int width) {
        List<String> lines = new ArrayList<>();
        List<String> line = new ArrayList<>();
        int length = firstLength;
        for (String part : parts) {
            if (length + 1 + part.length() > width && !line.isEmpty()) {
                lines.add(indent + String.join(" ", line));
                line.clear();
                length = indent.length() - 1;
            }
            line.add(part);
            length += part.length() + 1;
        }
        if (!line.isEmpty()) {
            lines.add(indent + String.join(" ", line));
        }
        return lines;
    }

    /** The --help text: the usage, then every option in argparse's layout with npuc's descriptions. */
    static String help(String npucVersion) {
        StringBuilder s = new StringBuilder(usage()).append('\n');
        s.append("Compiles a TFLite model for an Arm Ethos-U NPU: npuc ").append(npucVersion)
                .append(", a drop-in for Vela 3.10's command line.\n\n");
        s.append("positional arguments:\n");
        entry(s, POSITIONAL, "the TFLite model to compile");
        s.append("\noptions:\n");
        entry(s, "-h, --help", "show this help and exit");
        for (Option o : OPTIONS) {
            entry(s, o.usage(), o.help());
        }
        return s.toString();
    }

    private static void entry(StringBuilder s, String invocation, String help) {
        int column = 24;
        String head = "  " + invocation;
        List<String> words = List.of(help.split(" "));
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String w : words) {
            if (line.length() > 0 && column + line.length() + 1 + w.length() > 78) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(w);
        }
        lines.add(line.toString());
        if (head.length() <= column - 2) {
            s.append(head).append(" ".repeat(column - head.length())).append(lines.get(0)).append('\n');
        } else {
            s.append(head).append('\n').append(" ".repeat(column)).append(lines.get(0)).append('\n');
        }
        for (int i = 1; i < lines.size(); i++) {
            s.append(" ".repeat(column)).append(lines.get(i)).append('\n');
        }
    }
}
