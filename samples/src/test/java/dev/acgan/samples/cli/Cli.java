package dev.acgan.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Runs the CLI in-process with captured streams. */
public final class Cli {

    /** What a run printed and returned. */
    public record Result(int code, String out, String err) {
        /** The non-empty lines of stderr. */
        public List<String> errLines() {
            return err.lines().filter(l -> !l.isBlank()).toList();
        }

        /** Asserts the exit code, showing both streams on failure. */
        public Result expect(int expected) {
            assertEquals(expected, code, () -> "exit code; stdout:\n" + out + "\nstderr:\n" + err);
            return this;
        }
    }

    private Cli() {}

    /** Runs {@code acgan ARGS}. */
    public static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = AcganCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    /**
     * Trains a tiny run in-process, {@code acgan train --batch-size 8 --steps STEPS --outdir OUTDIR OPTIONS...},
     * and asserts it succeeded: the setup of the tests that need a real run directory.
     */
    public static Result trainTiny(Path outdir, int steps, String... options) {
        List<String> args = new ArrayList<>(List.of(
                "train", "--batch-size", "8", "--steps", Integer.toString(steps), "--outdir", outdir.toString()));
        args.addAll(Arrays.asList(options));
        return run(args.toArray(new String[0])).expect(0);
    }

    /** Runs {@code acgan ARGS...} given as one list plus more arguments. */
    public static Result run(List<String> args, String... more) {
        String[] all = Arrays.copyOf(args.toArray(new String[0]), args.size() + more.length);
        System.arraycopy(more, 0, all, args.size(), more.length);
        return run(all);
    }
}
