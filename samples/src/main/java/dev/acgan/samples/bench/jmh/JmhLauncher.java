package dev.acgan.samples.bench.jmh;

import java.io.IOException;
import java.util.List;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs this package's JMH benchmarks through {@link Runner}, with JMH's own command-line options
 * ({@code acgan bench --jmh -- -p backend=nd4j -f 1 Generator}). Without a benchmark pattern every
 * benchmark here runs; {@code -l} lists them, {@code -h} shows JMH's options. The forks JMH starts use this
 * JVM's {@code java.home}, class path and options, so they work from the {@code ./acgan} launcher as from
 * Maven.
 */
public final class JmhLauncher {

    /** The package of the benchmarks; the default include pattern. */
    public static final String PACKAGE = JmhLauncher.class.getPackageName();

    private JmhLauncher() {}

    /** The JMH options for these arguments (JMH's syntax: {@code -f 1 -wi 2 -p backend=nd4j REGEX}). */
    public static Options options(List<String> args) throws CommandLineOptionException {
        CommandLineOptions cmd = new CommandLineOptions(args.toArray(new String[0]));
        OptionsBuilder b = new OptionsBuilder();
        b.parent(cmd);
        if (cmd.getIncludes().isEmpty()) {
            b.include(PACKAGE.replace(".", "\\.") + "\\..*");
        }
        return b.build();
    }

    /** Runs (or lists, or explains) the benchmarks; returns how many results JMH produced. */
    public static int run(List<String> args) throws CommandLineOptionException, RunnerException {
        CommandLineOptions cmd = new CommandLineOptions(args.toArray(new String[0]));
        if (cmd.shouldHelp()) {
            try {
                cmd.showHelp();
            } catch (IOException e) {
                throw new RunnerException(e);
            }
            return 0;
        }
        Runner runner = new Runner(options(args));
        if (cmd.shouldList()) {
            runner.list();
            return 0;
        }
        return runner.run().size();
    }
}
