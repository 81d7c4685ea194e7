package dev.acgan.samples.cli;

import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code acgan} command: {@code backends}, {@code train}, {@code generate}, {@code evaluate}, {@code export},
 * {@code train-classifier}, {@code serve} and {@code bench}.
 */
@Command(
        name = "acgan",
        mixinStandardHelpOptions = true,
        usageHelpAutoWidth = true,
        versionProvider = AcganCli.Version.class,
        subcommands = {
            BackendsCommand.class,
            TrainCommand.class,
            GenerateCommand.class,
            EvaluateCommand.class,
            ExportCommand.class,
            TrainClassifierCommand.class,
            ServeCommand.class,
            BenchCommand.class,
            CommandLine.HelpCommand.class
        },
        description = {"Train class-conditional GANs (ACGAN, CGAN, vanilla GAN) and generate images with them.", ""},
        footer = {
            "",
            "Examples:",
            "  acgan train                 quick first run (ACGAN, embedded MNIST)",
            "  acgan train --epochs 20 --outdir runs/mnist",
            "  acgan train --resume runs/mnist --epochs 40",
            "  acgan generate --checkpoint runs/mnist --class 7 --count 16 --out sevens.png",
            "  acgan evaluate --checkpoint runs/mnist",
            "  acgan export --checkpoint runs/mnist --out runs/mnist/onnx",
            "  acgan serve                 web demo: generate and train in a browser",
            "  acgan backends",
            "  acgan bench                 benchmark the backends (--quick: a short smoke run)",
            "  acgan spark train --workers 2   on Apache Spark (acgan spark --help; docs/spark.md)",
            "",
            "Exit codes: 0 success, 1 error, 2 bad command line, 130 interrupted (Ctrl-C)."
        })
public final class AcganCli implements Callable<Integer> {

    /** Success. */
    public static final int EXIT_OK = 0;
    /** A failure: bad input, missing file, damaged checkpoint. */
    public static final int EXIT_FAILURE = 1;
    /** A command line that does not parse. */
    public static final int EXIT_USAGE = 2;
    /** Stopped by Ctrl-C after writing a checkpoint. */
    public static final int EXIT_INTERRUPTED = 130;

    @Spec
    CommandSpec spec;

    private boolean verbose;

    @Option(
            names = "--verbose",
            scope = ScopeType.INHERIT,
            description = "Debug logging, and stack traces with error messages.")
    void setVerbose(boolean v) {
        verbose = v;
        Logging.verbose(v);
    }

    /** Whether {@code --verbose} was given. */
    public boolean verbose() {
        return verbose;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return EXIT_OK;
    }

    /** Runs the CLI and exits with its code. */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, Charset.defaultCharset()), true);
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, Charset.defaultCharset()), true);
        int code = run(out, err, args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs the CLI with the given streams and returns the exit code (for tests and embedding). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cmd = commandLine(out, err);
        try {
            return cmd.execute(args);
        } catch (Error e) {
            // picocli hands only Exceptions to the handler; native-library and memory errors end up here.
            String name = "acgan";
            CommandLine.ParseResult pr = cmd.getParseResult();
            while (pr != null && pr.subcommand() != null) {
                pr = pr.subcommand();
                name = pr.commandSpec().qualifiedName();
            }
            return ((Errors) cmd.getExecutionExceptionHandler()).report(e, name, err);
        }
    }

    /** The configured picocli command line. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        AcganCli root = new AcganCli();
        CommandLine cmd = new CommandLine(root);
        Errors errors = new Errors(root);
        cmd.setOut(out);
        cmd.setErr(err);
        cmd.setParameterExceptionHandler(errors);
        cmd.setExecutionExceptionHandler(errors);
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        cmd.setAbbreviatedOptionsAllowed(false);
        return cmd;
    }

    /** The version line. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = AcganCli.class.getPackage().getImplementationVersion();
            return new String[] {
                "acgan " + (v == null ? "0.1.0-SNAPSHOT" : v) + " (Java " + System.getProperty("java.version") + ")"
            };
        }
    }
}
