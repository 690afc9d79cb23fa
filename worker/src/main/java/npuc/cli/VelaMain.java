package npuc.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import npuc.arch.Targets;
import npuc.listing.SupportedOperatorsReport;

/**
 * The {@code vela} command ({@code bin/vela}): Vela 3.10's arguments, outputs, exit codes and message formats.
 * Exit 0 on success; 1 with {@code Error: ...} on standard output for what Vela reports as an error (a bad
 * input file, an unknown system config, a model that cannot be compiled); 2 with the usage and
 * {@code vela: error: ...} on standard error for arguments argparse rejects. It loads the compiler and nothing
 * of the service (Kafka, S3), so it starts as fast as the JVM allows.
 */
public final class VelaMain {
    /** The Vela release whose command line this is, as {@code vela --version} prints it. */
    static final String VELA_VERSION = "3.10.0";
    /** The version of Vela's external API, which npuc's library ({@code npuc.Compiler}) stands in for. */
    static final String API_VERSION = "1.4";

    private VelaMain() {
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false,
                StandardCharsets.UTF_8);
        int code = run(Arrays.asList(args), out, System.err, Path.of(""));
        out.flush();
        System.exit(code);
    }

    /** Runs one command line; {@code workingDirectory} is where --supported-ops-report writes. */
    static int run(List<String> args, PrintStream out, PrintStream err, Path workingDirectory) {
        VelaArguments.Parsed parsed;
        try {
            parsed = VelaArguments.parse(args);
            switch (parsed.stop()) {
                case HELP -> {
                    out.print(VelaArguments.help(npucVersion()));
                    return Main.EXIT_OK;
                }
                case VERSION -> {
                    out.println(VELA_VERSION);
                    return Main.EXIT_OK;
                }
                case API_VERSION -> {
                    out.println(API_VERSION);
                    return Main.EXIT_OK;
                }
                case NONE -> {
                }
            }
            if (parsed.flag("supported-ops-report")) {
                return supportedOperatorsReport(out, workingDirectory);
            }
            if (parsed.flag("list-config-files")) {
                out.println("Available config files:");
                Targets.builtInConfigNames().forEach(out::println);
                return Main.EXIT_OK;
            }
            if (parsed.network() == null) {
                throw new VelaArguments.UsageError("the following argument is required: "
                        + VelaArguments.POSITIONAL);
            }
            return new VelaCompile(parsed, out).run();
        } catch (VelaArguments.UsageError e) {
            err.print(VelaArguments.usage());
            err.println(VelaArguments.PROGRAM + ": error: " + e.getMessage());
            return Main.EXIT_USAGE;
        } catch (VelaCompile.VelaError e) {
            out.println("Error: " + e.getMessage().replace('\n', ' ').strip());
            return Main.EXIT_BAD_INPUT;
        } catch (RuntimeException e) {
            // Not the input's fault; Vela prints a traceback here. One line, with the failure signature if any.
            String signature = e instanceof npuc.InternalCompilerError ice ? " [" + ice.signature() + "]" : "";
            err.println(VelaArguments.PROGRAM + ": internal error" + signature + ": " + e.getClass().getSimpleName()
                    + ": " + String.valueOf(e.getMessage()).replace('\n', ' ').strip());
            return Main.EXIT_BAD_INPUT;
        }
    }

    /** npuc's version from the jar manifest ("development" when run from classes); Main's would load picocli. */
    static String npucVersion() {
        String v = VelaMain.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    private static int supportedOperatorsReport(PrintStream out, Path workingDirectory) throws VelaCompile.VelaError {
        Path file = workingDirectory.toAbsolutePath().resolve("SUPPORTED_OPS.md");
        try {
            Files.writeString(file, SupportedOperatorsReport.markdown(npucVersion(), VELA_VERSION));
        } catch (IOException e) {
            throw new VelaCompile.VelaError("Writing '" + file + "': " + e.getMessage());
        }
        out.println("Report file: " + file);
        return Main.EXIT_OK;
    }
}
