package dev.acgan.samples.cli;

import com.google.inject.ConfigurationException;
import com.google.inject.CreationException;
import com.google.inject.ProvisionException;
import com.google.inject.spi.Message;
import dev.acgan.api.checkpoint.CheckpointException;
import dev.acgan.api.data.DatasetException;
import dev.acgan.api.spec.SpecException;
import dev.acgan.api.spi.BackendException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns every failure into one line on stderr ({@code acgan train: <what is wrong>}) and an exit code:
 * 2 for command-line syntax, 1 for everything else. With {@code --verbose} the stack trace follows.
 */
final class Errors implements IParameterExceptionHandler, IExecutionExceptionHandler {

    private final AcganCli root;

    Errors(AcganCli root) {
        this.root = root;
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        String name = cmd.getCommandSpec().qualifiedName();
        String msg = oneLine(ex.getMessage());
        if (ex instanceof UnmatchedArgumentException u) {
            List<String> suggestions = u.getSuggestions();
            if (!suggestions.isEmpty()) {
                msg += "; did you mean " + String.join(" or ", suggestions.subList(0, Math.min(3, suggestions.size())))
                        + "?";
            }
        }
        err.println(name + ": " + msg + " (see '" + name + " --help')");
        if (root.verbose() || Arrays.asList(args).contains("--verbose")) {
            ex.printStackTrace(err);
        }
        err.flush();
        return AcganCli.EXIT_USAGE;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        return report(ex, cmd.getCommandSpec().qualifiedName(), cmd.getErr());
    }

    /** Prints the one-line report of a failure; returns the exit code. */
    int report(Throwable ex, String name, PrintWriter err) {
        Throwable t = unwrap(ex);
        int code = AcganCli.EXIT_FAILURE;
        String msg;
        if (t instanceof CliException c) {
            msg = c.getMessage();
            code = c.exitCode();
        } else if (t instanceof DatasetException
                || t instanceof CheckpointException
                || t instanceof BackendException
                || t instanceof SpecException
                || t instanceof IllegalArgumentException
                || t instanceof UncheckedIOException
                || t instanceof IOException) {
            msg = t.getMessage();
        } else if (t instanceof UnsatisfiedLinkError) {
            msg = "cannot load a native library (is this platform supported by the backend?): " + t.getMessage();
        } else if (t instanceof LinkageError) {
            msg = "cannot load a class or native library: " + t + " (was the CLI rebuilt while running? run it again)";
        } else if (t instanceof OutOfMemoryError) {
            msg = "out of memory (" + t.getMessage() + "); give Java more, e.g. ACGAN_JAVA_OPTS=-Xmx8g, or use a "
                    + "smaller --batch-size";
        } else {
            msg = "internal error: " + t + (root.verbose() ? "" : " (run with --verbose for the stack trace)");
        }
        err.println(name + ": " + oneLine(msg));
        if (root.verbose()) {
            ex.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    /** The meaningful exception under Guice's and other wrappers. */
    static Throwable unwrap(Throwable ex) {
        Throwable t = ex;
        for (int i = 0; i < 10 && t != null; i++) {
            Throwable next = null;
            if (t instanceof ProvisionException p) {
                next = firstCause(p.getErrorMessages());
            } else if (t instanceof CreationException c) {
                next = firstCause(c.getErrorMessages());
            } else if (t instanceof ConfigurationException c) {
                next = firstCause(c.getErrorMessages());
            } else if (t instanceof java.util.concurrent.ExecutionException
                    || t instanceof java.lang.reflect.InvocationTargetException) {
                next = t.getCause();
            }
            if (next == null) {
                break;
            }
            t = next;
        }
        return t == null ? ex : t;
    }

    private static Throwable firstCause(java.util.Collection<Message> messages) {
        for (Message m : messages) {
            if (m.getCause() != null) {
                return m.getCause();
            }
        }
        return null;
    }

    static String oneLine(String s) {
        if (s == null) {
            return "(no message)";
        }
        return s.strip().replaceAll("\\s*\\R\\s*", "; ");
    }
}
