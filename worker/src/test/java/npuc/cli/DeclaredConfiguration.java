package npuc.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * What the commands declare, read from their picocli model: every option, and every environment variable
 * an option's default names ({@code ${env:NAME:-default}}) with that default. Tests check the deployment
 * files and the README against this, never against a list of their own.
 */
final class DeclaredConfiguration {
    static final List<String> SERVICE_COMMANDS = List.of("worker", "demo", "submit", "stack", "sweep", "diff");
    private static final Pattern ENV = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

    /** An environment variable, the option it sets, and its default when unset (empty: none). */
    record EnvironmentVariable(String name, OptionSpec option, Optional<String> fallback) {
    }

    private DeclaredConfiguration() {
    }

    static CommandLine command(String name) {
        return Main.commandLine().getSubcommands().get(name);
    }

    /** The environment variables a command's options read, by name. */
    static Map<String, EnvironmentVariable> environment(String commandName) {
        Map<String, EnvironmentVariable> variables = new TreeMap<>();
        // Uninterpolated, the defaults show the ${env:...} references instead of their values here.
        CommandSpec spec = command(commandName).getCommandSpec().interpolateVariables(false);
        for (OptionSpec option : spec.options()) {
            String raw = option.defaultValue();
            if (raw == null) {
                continue;
            }
            Matcher matcher = ENV.matcher(raw);
            while (matcher.find()) {
                variables.put(matcher.group(1),
                    new EnvironmentVariable(matcher.group(1), option, Optional.ofNullable(matcher.group(2))));
            }
        }
        return variables;
    }

    /** Whether the worker reads this variable: one its options name, the secret key, or a Kafka client property by prefix. */
    static boolean workerReads(String name) {
        return environment("worker").containsKey(name) || S3Options.SECRET_VARIABLES.contains(name)
            || (name.startsWith(KafkaOptions.ENV_PREFIX) && name.length() > KafkaOptions.ENV_PREFIX.length());
    }

    /** Every long option name of a command (without the standard --help and --version). */
    static List<String> optionNames(String commandName) {
        List<String> names = new ArrayList<>();
        for (OptionSpec option : command(commandName).getCommandSpec().options()) {
            if (!option.usageHelp() && !option.versionHelp()) {
                names.add(option.longestName());
            }
        }
        return names;
    }

    /**
     * The worker command as the given environment would configure it: each variable an option reads is
     * passed as that option, as picocli would take it from the environment.
     */
    static WorkerCommand workerConfiguredBy(Map<String, String> environment) {
        WorkerCommand command = new WorkerCommand((model, target, cancellation) -> {
            throw new npuc.BadInputException("not compiling in a configuration check");
        });
        Map<String, EnvironmentVariable> declared = environment("worker");
        List<String> args = new ArrayList<>();
        environment.forEach((name, value) -> {
            EnvironmentVariable variable = declared.get(name);
            if (variable == null) {
                return;
            }
            OptionSpec option = variable.option();
            if (option.negatable()) {
                boolean on = Boolean.parseBoolean(value);
                args.add(on ? option.longestName() : option.longestName().replaceFirst("^--", "--no-"));
            } else {
                args.add(option.longestName() + "=" + value);
            }
        });
        new CommandLine(command).parseArgs(args.toArray(String[]::new));
        return command;
    }
}
