package npuc.cli;

import java.io.PrintWriter;

import npuc.BadInputException;
import npuc.FailureSignature;
import npuc.InternalCompilerError;
import npuc.worker.PipelineCompiler;
import npuc.worker.TargetCompiler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

/**
 * The npuc command line. Exit codes: 0 success; 1 the input is bad or cannot be compiled (one line on
 * stderr, a stack trace only with --verbose); 2 usage error.
 */
@Command(name = "npuc", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Batch compiler for Arm Ethos-U NPUs: compiles TFLite models, a drop-in for the vela command.",
        subcommands = {CompileCommand.class, InspectCommand.class, ExampleCommand.class})
public final class Main implements Runnable {

    public static final int EXIT_OK = 0;
    public static final int EXIT_BAD_INPUT = 1;
    public static final int EXIT_USAGE = 2;

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Show stack traces with error messages.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (compile, inspect, example, demo, stack, worker, submit, sweep, diff)");
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line; output and errors go to the given writers. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = commandLine();
        cli.setOut(out);
        cli.setErr(err);
        return cli.execute(args);
    }

    static CommandLine commandLine() {
        return commandLine(new PipelineCompiler());
    }

    /** The command line with the service commands on the given compiler: tests run them on a stand-in. */
    static CommandLine commandLine(TargetCompiler compiler) {
        CommandLine cli = new CommandLine(new Main());
        cli.addSubcommand("demo", new DemoCommand(compiler, ExampleCommand::builtModels));
        cli.addSubcommand("worker", new WorkerCommand(compiler));
        cli.addSubcommand("submit", new SubmitCommand());
        cli.addSubcommand("stack", new StackCommand(ExampleCommand::builtModels));
        cli.addSubcommand("sweep", new SweepCommand(compiler));
        cli.addSubcommand("diff", new DiffCommand());
        cli.addSubcommand("help", new CommandLine.HelpCommand());
        cli.setCaseInsensitiveEnumValuesAllowed(false);
        cli.setExecutionExceptionHandler(Main::handleFailure);
        cli.setParameterExceptionHandler(Main::handleUsageError);
        return cli;
    }

    private static int handleFailure(Exception e, CommandLine cli, ParseResult parsed) {
        PrintWriter err = cli.getErr();
        boolean verbose = isVerbose(parsed);
        err.println(errorLine(e, verbose));
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return EXIT_BAD_INPUT;
    }

    /**
     * The one line a failure prints. An internal error is not the user's fault, but still one line: a sweep script
     * reads the last line of output, and groups failures by the signature in brackets.
     */
    static String errorLine(Exception e, boolean verbose) {
        if (e instanceof BadInputException) {
            return "npuc: error: " + oneLine(e.getMessage());
        }
        Throwable cause = e instanceof InternalCompilerError && e.getCause() != null ? e.getCause() : e;
        return "npuc: internal error [" + FailureSignature.of(e) + "]: " + cause.getClass().getSimpleName() + ": "
                + oneLine(cause.getMessage()) + (verbose ? "" : " (run with --verbose for the stack trace)");
    }

    private static int handleUsageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cli = e.getCommandLine();
        PrintWriter err = cli.getErr();
        err.println("npuc: usage error: " + oneLine(e.getMessage()));
        err.println("Try '" + cli.getCommandSpec().qualifiedName() + " --help' for the options.");
        err.flush();
        return EXIT_USAGE;
    }

    private static boolean isVerbose(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    static String oneLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        return message.replace('\n', ' ').replace('\r', ' ').trim();
    }

    /** The version from the jar manifest, or "development" when run from classes. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"npuc " + version()};
        }

        static String version() {
            String v = Main.class.getPackage().getImplementationVersion();
            return v == null ? "development" : v;
        }
    }
}
