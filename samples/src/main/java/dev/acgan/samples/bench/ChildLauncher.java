package dev.acgan.samples.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Starts {@link BenchChild} in a fresh JVM ({@code java} of this JVM's {@code java.home}, this JVM's class
 * path and memory options), optionally limited to N threads, and collects its result.
 *
 * <p>Limiting to N threads (N smaller than the processors available): the command is prefixed with
 * {@code taskset -c 0-(N-1)} when {@code taskset} is on the PATH, and the child's environment gets
 * {@code OMP_NUM_THREADS}, {@code OPENBLAS_NUM_THREADS}, {@code MKL_NUM_THREADS},
 * {@code TF_NUM_INTRAOP_THREADS} and {@code TF_NUM_INTEROP_THREADS} = N. Whether it worked shows in the
 * child's CPU/wall ratio and {@code Cpus_allowed_list}.
 */
final class ChildLauncher {

    /** Lines of child output kept for error reports. */
    static final int LOG_LINES = 400;

    /**
     * The outcome of one child.
     *
     * @param result       the result, or {@code null} when the child failed
     * @param error        why it failed, or {@code null}
     * @param exitCode     the child's exit code (-1 when killed after a timeout)
     * @param spawnEpochMs when the parent started the process
     * @param wallSeconds  how long it ran, from the parent's view
     * @param command      the command line, the task argument shortened
     * @param log          the child's last non-protocol output lines (stderr and stray stdout)
     * @param kernels      a kernel probe's oneDNN kernels per primitive kind (empty otherwise)
     */
    record Outcome(
            ChildResult result,
            String error,
            int exitCode,
            long spawnEpochMs,
            double wallSeconds,
            List<String> command,
            List<String> log,
            List<String> kernels) {

        /** Without kernels. */
        Outcome(
                ChildResult result,
                String error,
                int exitCode,
                long spawnEpochMs,
                double wallSeconds,
                List<String> command,
                List<String> log) {
            this(result, error, exitCode, spawnEpochMs, wallSeconds, command, log, List.of());
        }
    }

    private final boolean echoLog;
    private final Consumer<String> logSink;
    private final long timeoutMinutes;

    /**
     * @param echoLog        whether to pass every child log line to {@code logSink} as it comes
     * @param logSink        where echoed log lines go (the parent's stderr)
     * @param timeoutMinutes kill a child after this long; 0: never
     */
    ChildLauncher(boolean echoLog, Consumer<String> logSink, long timeoutMinutes) {
        this.echoLog = echoLog;
        this.logSink = logSink;
        this.timeoutMinutes = timeoutMinutes;
    }

    /** Whether {@code taskset} is on the PATH. */
    static boolean tasksetAvailable() {
        return which("taskset") != null;
    }

    /** The command that runs the task with the given thread limit (0: none). */
    static List<String> command(ChildTask task, int threads, boolean taskset) {
        List<String> cmd = new ArrayList<>();
        if (threads > 0 && taskset) {
            cmd.add("taskset");
            cmd.add("-c");
            cmd.add(threads == 1 ? "0" : "0-" + (threads - 1));
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> options = jvmOptions(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.addAll(options);
        if (!options.contains("-Djava.awt.headless=true")) {
            cmd.add("-Djava.awt.headless=true");
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(BenchChild.class.getName());
        cmd.add(ChildProtocol.toJson(task));
        return cmd;
    }

    /** The parent's JVM options worth passing on: memory, -XX, -D, assertions; no agents or debuggers. */
    static List<String> jvmOptions(List<String> parent) {
        List<String> out = new ArrayList<>();
        for (String a : parent) {
            boolean keep = a.startsWith("-Xmx")
                    || a.startsWith("-Xms")
                    || a.startsWith("-Xss")
                    || a.startsWith("-XX:")
                    || a.startsWith("-D")
                    || a.equals("-ea")
                    || a.equals("-esa")
                    || a.startsWith("-enableassertions")
                    || a.startsWith("--add-opens")
                    || a.startsWith("--enable-native-access");
            boolean drop = a.startsWith("-Djava.class.path")
                    || a.contains("jdwp")
                    || a.startsWith("-XX:Flight")
                    || a.startsWith("-XX:StartFlightRecording")
                    || a.startsWith("-Djdk.internal");
            if (keep && !drop) {
                out.add(a);
            }
        }
        return out;
    }

    /** The thread environment variables for a limit of {@code threads} (empty for 0). */
    static Map<String, String> threadEnvironment(int threads) {
        if (threads <= 0) {
            return Map.of();
        }
        String n = Integer.toString(threads);
        return Map.of(
                "OMP_NUM_THREADS",
                n,
                "OPENBLAS_NUM_THREADS",
                n,
                "MKL_NUM_THREADS",
                n,
                "TF_NUM_INTRAOP_THREADS",
                n,
                "TF_NUM_INTEROP_THREADS",
                n);
    }

    /** Runs the task in a child JVM; {@code progress} gets the child's progress messages. */
    Outcome run(ChildTask task, int threads, boolean taskset, Consumer<String> progress) {
        List<String> cmd = command(task, threads, taskset);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.putIfAbsent("TF_CPP_MIN_LOG_LEVEL", "2");
        env.putAll(threadEnvironment(threads));
        OneDnnKernels kernels = task.kernelProbe() ? new OneDnnKernels() : null;
        if (kernels != null) {
            env.put("ONEDNN_VERBOSE", "1");
            env.put("DNNL_VERBOSE", "1");
        }
        Deque<String> log = new ArrayDeque<>();
        ChildResult[] result = new ChildResult[1];
        String[] error = new String[1];
        long spawn = System.currentTimeMillis();
        long t0 = System.nanoTime();
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a child JVM (" + cmd.get(0) + "): " + e.getMessage(), e);
        }
        Thread kill = new Thread(p::destroyForcibly, "acgan-bench-child-killer");
        Runtime.getRuntime().addShutdownHook(kill);
        Thread out = reader(p.getInputStream(), line -> {
            ChildProtocol.Line l = ChildProtocol.Line.parse(line);
            if (kernels != null && line.contains("_verbose,")) {
                kernels.accept(line);
            } else if (l == null) {
                log(log, "[" + task.backend() + " stdout] " + line);
            } else if (l.kind().equals(ChildProtocol.PROGRESS)) {
                progress.accept(l.payload());
            } else if (l.kind().equals(ChildProtocol.RESULT)) {
                try {
                    result[0] = ChildProtocol.fromJson(l.payload(), ChildResult.class);
                } catch (UncheckedIOException e) {
                    error[0] = "unreadable result from the child: " + e.getMessage();
                }
            } else if (l.kind().equals(ChildProtocol.ERROR)) {
                error[0] = l.payload();
            }
        });
        Thread err = reader(p.getErrorStream(), line -> {
            if (kernels != null && line.contains("_verbose,")) {
                kernels.accept(line);
            } else {
                log(log, "[" + task.backend() + "] " + line);
            }
        });
        int code;
        try {
            boolean done = timeoutMinutes <= 0 ? waitFor(p) : p.waitFor(timeoutMinutes, TimeUnit.MINUTES);
            if (!done) {
                p.destroyForcibly();
                p.waitFor();
                error[0] = "timed out after " + timeoutMinutes + " minutes";
                code = -1;
            } else {
                code = p.exitValue();
            }
            out.join(10_000);
            err.join(10_000);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a benchmark child ran", e);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(kill);
            } catch (IllegalStateException e) {
                // shutting down: the hook kills the child
            }
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        if (result[0] == null && error[0] == null) {
            error[0] = "the child JVM exited with code " + code + " without a result";
        }
        List<String> shown = new ArrayList<>(cmd);
        shown.set(shown.size() - 1, "'" + shown.get(shown.size() - 1) + "'");
        int cp = shown.indexOf("-cp");
        if (cp >= 0 && cp + 1 < shown.size()) {
            shown.set(cp + 1, "<the parent's class path>");
        }
        synchronized (log) {
            return new Outcome(
                    error[0] == null ? result[0] : null,
                    error[0],
                    code,
                    spawn,
                    wall,
                    shown,
                    List.copyOf(log),
                    kernels == null ? List.of() : kernels.describe());
        }
    }

    private void log(Deque<String> log, String line) {
        synchronized (log) {
            log.addLast(line);
            while (log.size() > LOG_LINES) {
                log.removeFirst();
            }
        }
        if (echoLog) {
            logSink.accept(line);
        }
    }

    private static boolean waitFor(Process p) throws InterruptedException {
        p.waitFor();
        return true;
    }

    private static Thread reader(InputStream in, Consumer<String> lines) {
        Thread t = new Thread(
                () -> {
                    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = r.readLine()) != null) {
                            lines.accept(line);
                        }
                    } catch (IOException e) {
                        // the child is gone
                    }
                },
                "acgan-bench-child-reader");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static Path which(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
