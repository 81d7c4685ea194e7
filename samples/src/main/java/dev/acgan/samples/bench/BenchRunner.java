package dev.acgan.samples.bench;

import java.io.PrintWriter;
import java.util.List;

/** The entry point of {@code acgan bench} for the CLI: runs the children and returns the report. */
public final class BenchRunner {

    private BenchRunner() {}

    /**
     * Runs a benchmark.
     *
     * @param settings       what to measure
     * @param backends       backend names, in column order
     * @param err            where progress (and, verbose, the children's output) goes
     * @param terminal       whether {@code err} is a terminal (progress redrawn in place)
     * @param verbose        whether to pass the children's stderr through
     * @param timeoutMinutes kill a child after this long (0: never)
     * @param arguments      the command-line arguments as given, for the report
     * @param reproduce      the command line that repeats the measurement
     */
    public static BenchReport run(
            BenchSettings settings,
            List<String> backends,
            PrintWriter err,
            boolean terminal,
            boolean verbose,
            long timeoutMinutes,
            List<String> arguments,
            String reproduce) {
        Progress progress = new Progress(err, terminal);
        ChildLauncher launcher = new ChildLauncher(verbose, progress::line, timeoutMinutes);
        return new Bench(settings, backends, launcher, progress).run(arguments, reproduce);
    }
}
