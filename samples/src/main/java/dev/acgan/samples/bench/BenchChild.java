package dev.acgan.samples.bench;

import dev.acgan.api.data.DatasetSource;
import dev.acgan.api.data.Datasets;
import dev.acgan.api.model.Generator;
import dev.acgan.api.model.Precision;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spec.Presets;
import dev.acgan.api.spi.BackendException;
import dev.acgan.api.spi.Backends;
import dev.acgan.api.spi.ComputeProbe;
import dev.acgan.api.spi.GanBackend;
import dev.acgan.api.train.GanTrainer;
import dev.acgan.api.train.StepResult;
import dev.acgan.api.train.TrainingConfig;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The hidden entry point of {@code acgan bench}'s child JVMs: runs one {@link ChildTask} and reports a
 * {@link ChildResult} by the {@link ChildProtocol}. Not meant to be started by hand, though it can be:
 * {@code java -cp CLASSPATH dev.acgan.samples.bench.BenchChild '{"backend":"nd4j",...}'}.
 *
 * <p>A standard measurement: create the trainer (native load, initial weights, graph compilation), run
 * the warm-up steps (the first, cold one timed separately as the start-up), then the timed steps with the
 * process CPU time read before and after; read {@code /proc/self/status}; time the generation of each
 * image count with the trained generator; close the model; run the matrix-product probe (SGEMM, or the
 * bf16 product when the task's precision is bf16).
 */
public final class BenchChild {

    /** Environment variables that change the backends' speed, recorded with every result. */
    static final List<String> PERFORMANCE_VARIABLES = List.of(
            "OMP_NUM_THREADS",
            "OPENBLAS_NUM_THREADS",
            "MKL_NUM_THREADS",
            "TF_NUM_INTRAOP_THREADS",
            "TF_NUM_INTEROP_THREADS",
            "TF_ENABLE_ONEDNN_OPTS",
            "OMP_WAIT_POLICY",
            "OMP_PROC_BIND");

    private final ChildTask task;
    private final Consumer<String> progress;

    BenchChild(ChildTask task, Consumer<String> progress) {
        this.task = task;
        this.progress = progress;
    }

    /** Runs the task in the argument and exits: 0 with a result line, 1 with an error line. */
    public static void main(String[] args) {
        long mainStart = System.currentTimeMillis();
        PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        System.setProperty("java.awt.headless", "true");
        int code = 0;
        try {
            if (args.length != 1) {
                throw new IllegalArgumentException("expects one argument, the task as JSON");
            }
            ChildTask task = ChildProtocol.fromJson(args[0], ChildTask.class);
            BenchChild child = new BenchChild(task, m -> ChildProtocol.emit(protocol, ChildProtocol.PROGRESS, m));
            ChildResult result = child.run(mainStart);
            ChildProtocol.emit(protocol, ChildProtocol.RESULT, ChildProtocol.toJson(result));
        } catch (Throwable t) {
            t.printStackTrace(System.err);
            String msg = t.getMessage() == null ? t.toString() : t.getClass().getSimpleName() + ": " + t.getMessage();
            ChildProtocol.emit(protocol, ChildProtocol.ERROR, msg);
            code = 1;
        }
        protocol.flush();
        System.err.flush();
        // Native thread pools may keep the JVM alive; the result is out.
        System.exit(code);
    }

    /** Runs the task. */
    ChildResult run(long mainStartEpochMs) {
        Backends backends = Backends.discover();
        GanBackend backend = backends.find(task.backend())
                .orElseThrow(() -> new BackendException(
                        "no backend named '" + task.backend() + "'; found " + backends.describe()));
        ModelSpec spec = Presets.byName(task.model());
        Precision precision = backend.resolvePrecision(Precision.parse(task.precision(), "precision"));
        TrainingConfig config = TrainingConfig.defaults()
                .withSeed(task.seed())
                .withBatchSize(task.batchSize())
                .withPrecision(precision);
        DatasetSource data = Datasets.embeddedMnist();
        progress.accept("creating the model");
        long t0 = System.nanoTime();
        List<Double> warmup = new ArrayList<>();
        List<Double> timed = new ArrayList<>();
        List<Double> dParts = new ArrayList<>();
        List<Double> gParts = new ArrayList<>();
        List<Double> dataParts = new ArrayList<>();
        List<ChildResult.Generation> generation = new ArrayList<>();
        List<ChildResult.RssSample> samples = new ArrayList<>();
        double createSeconds;
        double firstStep;
        long firstStepEnd;
        double cpuSeconds = 0;
        double wallSeconds = 0;
        ProcStatus afterCreate;
        ProcStatus afterSteps;
        long heapUsed;
        String version;
        try (GanTrainer trainer = GanTrainer.create(backend, spec, config, data)) {
            createSeconds = (System.nanoTime() - t0) / 1e9;
            version = backend.version();
            afterCreate = ProcStatus.self();
            progress.accept(String.format(Locale.ROOT, "model created in %.1f s; first step", createSeconds));
            long s0 = System.nanoTime();
            trainer.step();
            firstStep = (System.nanoTime() - s0) / 1e9;
            firstStepEnd = System.currentTimeMillis();
            warmup.add(firstStep);
            if (task.longRun()) {
                longRun(trainer, s0, samples);
            } else {
                for (int i = 1; i < task.warmupSteps(); i++) {
                    progress.accept(String.format(Locale.ROOT, "warm-up step %d/%d", i + 1, task.warmupSteps()));
                    long w0 = System.nanoTime();
                    trainer.step();
                    warmup.add((System.nanoTime() - w0) / 1e9);
                }
                long cpu0 = processCpuNanos();
                long wall0 = System.nanoTime();
                for (int i = 0; i < task.timedSteps(); i++) {
                    progress.accept(String.format(
                            Locale.ROOT,
                            "timed step %d/%d%s",
                            i + 1,
                            task.timedSteps(),
                            timed.isEmpty()
                                    ? ""
                                    : String.format(Locale.ROOT, " (last %.3f s)", timed.get(timed.size() - 1))));
                    long a = System.nanoTime();
                    StepResult r = trainer.step();
                    timed.add((System.nanoTime() - a) / 1e9);
                    dParts.add(r.discriminatorNanos() / 1e9);
                    gParts.add(r.generatorNanos() / 1e9);
                    dataParts.add(r.dataNanos() / 1e9);
                }
                wallSeconds = (System.nanoTime() - wall0) / 1e9;
                cpuSeconds = (processCpuNanos() - cpu0) / 1e9;
            }
            afterSteps = ProcStatus.self();
            Runtime rt = Runtime.getRuntime();
            heapUsed = (rt.totalMemory() - rt.freeMemory()) / 1024;
            if (!task.longRun()) {
                for (int count : task.generationCounts()) {
                    generation.add(generation(trainer.model().generator(), spec, count));
                }
            }
        }
        ChildResult.Sgemm sgemm = null;
        if (task.sgemmSize() > 0 && !task.longRun()) {
            ComputeProbe probe = backend.computeProbe().orElse(null);
            if (probe != null) {
                sgemm = sgemm(probe, precision);
            } else {
                progress.accept("no SGEMM probe in backend " + backend.name());
            }
        }
        return new ChildResult(
                backend.name(),
                version,
                spec.name(),
                task.batchSize(),
                task.threads(),
                afterSteps.cpusAllowed(),
                Runtime.getRuntime().availableProcessors(),
                environment(),
                ManagementFactory.getRuntimeMXBean().getStartTime(),
                mainStartEpochMs,
                firstStepEnd,
                createSeconds,
                firstStep,
                warmup,
                timed,
                dParts.isEmpty() ? 0 : Stats.median(dParts),
                gParts.isEmpty() ? 0 : Stats.median(gParts),
                dataParts.isEmpty() ? 0 : Stats.median(dataParts),
                cpuSeconds,
                wallSeconds,
                afterCreate.rssKb(),
                afterSteps.rssKb(),
                afterSteps.hwmKb(),
                afterSteps.threads(),
                heapUsed,
                generation,
                sgemm,
                samples,
                precision.label(),
                backend.describeCompute(precision));
    }

    private void longRun(GanTrainer trainer, long start, List<ChildResult.RssSample> samples) {
        long total = task.longRunSteps();
        long every = Math.max(1, task.longRunEvery());
        List<Double> window = new ArrayList<>();
        window.add((System.nanoTime() - start) / 1e9);
        samples.add(sample(1, window, start));
        window.clear();
        long lastProgress = System.nanoTime();
        for (long s = 2; s <= total; s++) {
            long a = System.nanoTime();
            trainer.step();
            long now = System.nanoTime();
            window.add((now - a) / 1e9);
            if (s % every == 0 || s == 1000 || s == total) {
                ChildResult.RssSample r = sample(s, window, start);
                samples.add(r);
                window.clear();
                progress.accept(String.format(
                        Locale.ROOT,
                        "step %d/%d: RSS %d MiB, median step %.3f s",
                        s,
                        total,
                        r.rssKb() / 1024,
                        r.medianStepSeconds()));
                lastProgress = now;
            } else if (now - lastProgress > 10_000_000_000L) {
                progress.accept(String.format(Locale.ROOT, "step %d/%d", s, total));
                lastProgress = now;
            }
        }
    }

    private static ChildResult.RssSample sample(long step, List<Double> window, long start) {
        ProcStatus p = ProcStatus.self();
        Runtime rt = Runtime.getRuntime();
        return new ChildResult.RssSample(
                step,
                p.rssKb(),
                p.hwmKb(),
                (rt.totalMemory() - rt.freeMemory()) / 1024,
                window.isEmpty() ? 0 : Stats.median(window),
                (System.nanoTime() - start) / 1e9);
    }

    private ChildResult.Generation generation(Generator g, ModelSpec spec, int count) {
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = i % spec.numClasses();
        }
        int repeats = Math.max(1, task.generationRepeats());
        progress.accept("generating " + count + " image" + (count == 1 ? "" : "s") + " x " + (repeats + 1));
        g.generate(labels, 0);
        double[] ms = new double[repeats];
        for (int k = 0; k < repeats; k++) {
            long a = System.nanoTime();
            g.generate(labels, k + 1);
            ms[k] = (System.nanoTime() - a) / 1e6;
        }
        Stats s = Stats.of(ms);
        return new ChildResult.Generation(count, repeats, s.median(), s.min(), s.max());
    }

    private ChildResult.Sgemm sgemm(ComputeProbe probe, Precision precision) {
        int n = task.sgemmSize();
        int repeats = Math.max(1, task.sgemmRepeats());
        progress.accept(
                (precision == Precision.FP32 ? "SGEMM " : precision.label() + " GEMM ") + n + " x " + (repeats + 1));
        try (ComputeProbe.Sgemm s = probe.prepareGemm(n, precision)) {
            s.run();
            double[] sec = new double[repeats];
            for (int k = 0; k < repeats; k++) {
                long a = System.nanoTime();
                s.run();
                sec[k] = (System.nanoTime() - a) / 1e9;
            }
            Stats st = Stats.of(sec);
            return new ChildResult.Sgemm(n, repeats, st.min(), st.median());
        }
    }

    private static Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String v : PERFORMANCE_VARIABLES) {
            String value = System.getenv(v);
            if (value != null) {
                env.put(v, value);
            }
        }
        return env;
    }

    /** CPU time of the whole process (every thread, native ones included), in nanoseconds. */
    static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            long t = os.getProcessCpuTime();
            if (t >= 0) {
                return t;
            }
        }
        return ProcessHandle.current()
                .info()
                .totalCpuDuration()
                .map(java.time.Duration::toNanos)
                .orElse(0L);
    }
}
