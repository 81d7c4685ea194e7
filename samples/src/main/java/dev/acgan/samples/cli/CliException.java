package dev.acgan.samples.cli;

/**
 * A problem with what the user asked for (bad option value, missing file, conflicting settings). The
 * CLI prints its message as one line on stderr, without a stack trace, and exits with {@link #exitCode()}.
 */
public class CliException extends RuntimeException {

    private final int exitCode;

    /** Exit code 1. */
    public CliException(String message) {
        this(message, AcganCli.EXIT_FAILURE);
    }

    /** With an explicit exit code. */
    public CliException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    /** The process exit code. */
    public int exitCode() {
        return exitCode;
    }
}
