package io.tqserver.cli;

import io.tqserver.config.RunMode;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Command line of {@code tqserver}: parses the options and hands over to {@link Daemon}. */
@Command(
        name = "tqserver",
        mixinStandardHelpOptions = true,
        versionProvider = TqServerCommand.VersionProvider.class,
        sortOptions = false,
        description = "Reverse proxy that builds, runs and supervises its worker processes.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            " 0:stopped by SIGTERM or SIGINT after finishing requests in flight",
            " 1:failed while running, for example the server port is taken",
            " 2:invalid command line or configuration"})
final class TqServerCommand implements Callable<Integer> {

    @Option(names = {"--mode", "-mode"}, paramLabel = "dev|prod", defaultValue = "dev",
            converter = ModeConverter.class,
            description = "dev rebuilds workers on change; prod runs built artifacts "
                    + "(default: ${DEFAULT-VALUE}).")
    RunMode mode;

    @Option(names = {"--config", "-config"}, paramLabel = "PATH",
            defaultValue = "config/server.yaml",
            description = "Server configuration file, relative to the working directory "
                    + "(default: ${DEFAULT-VALUE}).")
    Path config;

    @Option(names = {"--quiet", "-quiet"},
            description = "Log to the log file only, not to the console.")
    boolean quiet;

    /** Parses {@code args}, runs the daemon and returns the exit status. */
    static int execute(String... args) {
        CommandLine commandLine = new CommandLine(new TqServerCommand())
                .setParameterExceptionHandler(TqServerCommand::rejectUsage)
                .setExecutionExceptionHandler((error, line, parsed) -> {
                    System.err.println("tqserver: " + error.getMessage());
                    return ExitCodes.RUNTIME_FAILURE;
                });
        return commandLine.execute(args);
    }

    @Override
    public Integer call() {
        return new Daemon(mode, config, quiet).run();
    }

    /** Prints a one-line reason for a usage error and returns its exit status. */
    private static int rejectUsage(CommandLine.ParameterException error, String[] args) {
        error.getCommandLine().getErr().println(
                "tqserver: " + error.getMessage() + " (see tqserver --help)");
        return ExitCodes.USAGE;
    }

    /** Converts {@code dev} and {@code prod}, in any case, to a {@link RunMode}. */
    static final class ModeConverter implements CommandLine.ITypeConverter<RunMode> {

        @Override
        public RunMode convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "dev", "development" -> RunMode.DEV;
                case "prod", "production" -> RunMode.PROD;
                default -> throw new CommandLine.TypeConversionException(
                        "invalid mode '" + value + "' (expected: dev or prod)");
            };
        }
    }

    /** Reads the version from the jar manifest. */
    static final class VersionProvider implements CommandLine.IVersionProvider {

        @Override
        public String[] getVersion() {
            String version = TqServerCommand.class.getPackage().getImplementationVersion();
            String runtime = "Java " + System.getProperty("java.version");
            return new String[] {
                "tqserver " + (version == null ? "(development build)" : version), runtime};
        }
    }
}
