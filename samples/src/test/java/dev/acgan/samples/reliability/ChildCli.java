package dev.acgan.samples.reliability;

import dev.acgan.samples.cli.AcganCli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code acgan ARGS} in a child JVM (this JVM's {@code java} and test class path), so that a test can kill
 * it or limit its resources. Its stdout and stderr go to files next to the run.
 */
final class ChildCli {

    /** A started child. */
    static final class Child {
        final Process process;
        final Path out;
        final Path err;

        Child(Process process, Path out, Path err) {
            this.process = process;
            this.out = out;
            this.err = err;
        }

        /** Waits for the exit code, at most {@code seconds}; kills the child and fails past that. */
        int await(long seconds) throws InterruptedException {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("acgan did not end within " + seconds + " s; stderr:\n" + stderr());
            }
            return process.exitValue();
        }

        /** SIGKILL (what {@link Process#destroyForcibly} sends on Linux), then waits for the exit. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor();
        }

        String stdout() {
            return read(out);
        }

        String stderr() {
            return read(err);
        }

        private static String read(Path p) {
            try {
                return Files.readString(p, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(cannot read " + p + ": " + e + ")";
            }
        }
    }

    private ChildCli() {}

    /**
     * Starts {@code acgan ARGS}; {@code shellPrefix}, when not null, is a shell command line run before
     * {@code exec java ...} (e.g. {@code ulimit -f 10000}).
     */
    static Child start(Path logs, String name, String shellPrefix, List<String> args) throws IOException {
        Files.createDirectories(logs);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Djava.awt.headless=true");
        cmd.add("-Xmx1g");
        cmd.add("-cp");
        cmd.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        cmd.add(AcganCli.class.getName());
        cmd.addAll(args);
        if (shellPrefix != null) {
            List<String> quoted = new ArrayList<>();
            for (String c : cmd) {
                quoted.add("'" + c.replace("'", "'\\''") + "'");
            }
            cmd = List.of("bash", "-c", shellPrefix + " && exec " + String.join(" ", quoted));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
        pb.environment().put("TF_ENABLE_ONEDNN_OPTS", "1");
        pb.environment().put("OMP_NUM_THREADS", "1");
        Path out = logs.resolve(name + ".out");
        Path err = logs.resolve(name + ".err");
        pb.redirectOutput(out.toFile());
        pb.redirectError(err.toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        return new Child(pb.start(), out, err);
    }
}
