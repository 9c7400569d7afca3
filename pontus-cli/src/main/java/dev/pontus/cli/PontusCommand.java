package dev.pontus.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * {@code pontus}: the command line. {@code java -jar pontus.jar audit s3://BUCKET/PREFIX}; {@code --help} on every
 * command. Exit status like a linter's: 0 nothing found, 1 findings, 2 could not run (one line on stderr saying why,
 * never a stack trace).
 */
@Command(
        name = "pontus",
        mixinStandardHelpOptions = true,
        versionProvider = PontusCommand.Version.class,
        description = "Pontus for Java: checks files in S3 with upload validation's rules.",
        footer = {"", "Run 'pontus audit --help' for the audit's options."})
public final class PontusCommand implements Callable<Integer> {
    /** Could not run: a bad option, no bucket, no credentials, an unreachable store. */
    static final int COULD_NOT_RUN = 2;

    public static void main(String[] args) {
        System.exit(commandLine(builder -> {}).execute(args));
    }

    /**
     * Runs {@code pontus} with {@code args} in this JVM, findings to {@code out}, progress and summary to {@code err};
     * returns the exit status instead of exiting (for benchmarks and tools that embed the command).
     */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = commandLine(builder -> {});
        cli.setOut(out);
        cli.setErr(err);
        return cli.execute(args);
    }

    /** The command line; {@code customizer} may change the S3 client (tests add interceptors). */
    static CommandLine commandLine(Consumer<S3ClientBuilder> customizer) {
        CommandLine cli = new CommandLine(new PontusCommand());
        cli.addSubcommand("audit", new AuditCommand(customizer));
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler((e, args) -> {
            e.getCommandLine()
                    .getErr()
                    .println("pontus: " + Failures.firstLine(e.getMessage()) + " (see '"
                            + e.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            return COULD_NOT_RUN;
        });
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            String message = e instanceof CliException
                    ? e.getMessage()
                    : "unexpected " + e.getClass().getSimpleName() + ": " + Failures.firstLine(e.getMessage());
            command.getErr().println("pontus: " + Text.printable(Failures.firstLine(message)));
            command.getErr().flush();
            return COULD_NOT_RUN;
        });
        return cli;
    }

    /** Without a command: the usage, and exit status 2. */
    @Override
    public Integer call() {
        CommandLine.usage(this, System.err);
        return COULD_NOT_RUN;
    }

    /** The version of this build, from the jar. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties properties = new Properties();
            try (InputStream in = PontusCommand.class.getResourceAsStream("/pontus-cli.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            }
            return new String[] {"pontus " + properties.getProperty("version", "(unknown version)")};
        }
    }
}
