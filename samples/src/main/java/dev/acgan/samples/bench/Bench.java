package dev.acgan.samples.bench;

import dev.acgan.api.spec.FlopCounter;
import dev.acgan.api.spec.FlopCounter.StepFlops;
import dev.acgan.api.spec.InferredModel;
import dev.acgan.api.spec.Presets;
import dev.acgan.api.train.TrainingConfig;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Plans and runs an {@code acgan bench}: one child JVM per column (a backend in a precision, see
 * {@link Column}), batch size and thread setting, run one after another (never two at once), interleaving the
 * columns (for each batch size, every column) so that a drift of the machine hits all alike; then derives
 * throughput, GFLOP/s and shares of the matrix-product peak (SGEMM, or the bf16 product for a bf16 column).
 *
 * <p>Plan of a standard run, for each backend: the reference batch (100) with the defaults, plus the
 * generation latencies and the SGEMM probe; each other batch size; each thread count below the available
 * processors at the reference batch, pinned (plus its own SGEMM); then a short kernel probe per column with
 * oneDNN's log on, which names the kernels (and so the instruction set) that ran. A long run is one child per
 * backend.
 */
public final class Bench {

    private final BenchSettings settings;
    private final List<String> backends;
    private final ChildLauncher launcher;
    private final Progress progress;
    private final boolean taskset;

    /**
     * @param settings  what to measure
     * @param backends  column keys ({@link Column#key()}), in column order
     * @param launcher  starts the children
     * @param progress  progress on stderr
     */
    Bench(BenchSettings settings, List<String> backends, ChildLauncher launcher, Progress progress) {
        this.settings = settings;
        this.backends = List.copyOf(backends);
        this.launcher = launcher;
        this.progress = progress;
        this.taskset = ChildLauncher.tasksetAvailable();
    }

    /** One planned child. */
    record Planned(ChildTask task, int threads, String label) {}

    /** The children to run, in order. */
    List<Planned> plan(int availableProcessors) {
        List<Planned> plan = new ArrayList<>();
        if (settings.longRun()) {
            for (String b : backends) {
                plan.add(new Planned(
                        task(b, settings.longRunBatch(), 0, false, settings.longRunSteps()),
                        0,
                        b + ", long run of " + settings.longRunSteps() + " steps at batch " + settings.longRunBatch()));
            }
            return plan;
        }
        for (int batch : settings.measurementOrder()) {
            boolean reference = batch == settings.referenceBatch();
            for (String b : backends) {
                plan.add(new Planned(
                        task(b, batch, 0, reference, 0),
                        0,
                        b + ", batch " + batch
                                + (reference && (!settings.generationCounts().isEmpty() || settings.sgemmSize() > 0)
                                        ? " (+ generation, SGEMM)"
                                        : "")));
            }
        }
        for (int t : settings.threads().stream().sorted().distinct().toList()) {
            if (t >= availableProcessors) {
                continue;
            }
            for (String b : backends) {
                Column c = Column.parse(b);
                ChildTask task = new ChildTask(
                        c.backend(),
                        settings.model(),
                        settings.referenceBatch(),
                        t,
                        settings.warmupSteps(),
                        settings.timedSteps(),
                        List.of(),
                        settings.generationRepeats(),
                        settings.sgemmSize(),
                        settings.sgemmRepeats(),
                        0,
                        settings.longRunEvery(),
                        settings.seed(),
                        c.precision().label(),
                        false);
                plan.add(new Planned(
                        task,
                        t,
                        b + ", batch " + settings.referenceBatch() + ", " + t + " thread" + (t == 1 ? "" : "s")));
            }
        }
        for (String b : backends) {
            plan.add(new Planned(
                    kernelProbe(b), 0, b + ", oneDNN kernels (its log on, 2 steps at batch " + PROBE_BATCH + ")"));
        }
        return plan;
    }

    private ChildTask task(String column, int batch, int threads, boolean reference, long longRun) {
        Column c = Column.parse(column);
        return new ChildTask(
                c.backend(),
                settings.model(),
                batch,
                threads,
                settings.warmupSteps(),
                settings.timedSteps(),
                reference ? settings.generationCounts() : List.of(),
                settings.generationRepeats(),
                reference ? settings.sgemmSize() : 0,
                settings.sgemmRepeats(),
                longRun,
                settings.longRunEvery(),
                settings.seed(),
                c.precision().label(),
                false);
    }

    /** Batch size of the kernel probes: small, the kernels are the same kind. */
    static final int PROBE_BATCH = 8;

    private ChildTask kernelProbe(String column) {
        Column c = Column.parse(column);
        return new ChildTask(
                c.backend(),
                settings.model(),
                PROBE_BATCH,
                0,
                1,
                1,
                List.of(),
                1,
                0,
                1,
                0,
                settings.longRunEvery(),
                settings.seed(),
                c.precision().label(),
                true);
    }

    /** Runs the plan and builds the report. */
    BenchReport run(List<String> arguments, String reproduce) {
        Instant start = Instant.now();
        long t0 = System.nanoTime();
        MachineInfo machine = MachineInfo.current();
        List<String> warnings = new ArrayList<>();
        if (!machine.loadAverage().isEmpty() && machine.loadAverage().get(0) > 0.5) {
            warnings.add(String.format(
                    Locale.ROOT,
                    "the machine was not idle: load average %.2f at the start; "
                            + "other work skews every figure (run again on an idle machine)",
                    machine.loadAverage().get(0)));
        }
        List<Planned> plan = plan(machine.availableProcessors());
        for (int t : settings.threads()) {
            if (t > machine.availableProcessors()) {
                warnings.add("--threads " + t + " skipped: only " + machine.availableProcessors()
                        + " processors are available");
            }
        }
        if (!taskset && plan.stream().anyMatch(p -> p.threads() > 0)) {
            warnings.add("taskset is not on the PATH: thread-limited runs rely on OMP_NUM_THREADS and "
                    + "TF_NUM_INTRAOP_THREADS alone; check their CPU/wall ratio");
        }
        List<ChildLauncher.Outcome> outcomes = new ArrayList<>();
        for (int i = 0; i < plan.size(); i++) {
            Planned p = plan.get(i);
            progress.start("[" + (i + 1) + "/" + plan.size() + "] " + p.label());
            ChildLauncher.Outcome o = launcher.run(p.task(), p.threads(), taskset, progress::update);
            outcomes.add(o);
            progress.line("bench [" + (i + 1) + "/" + plan.size() + "] " + p.label() + ": " + summary(o));
            if (o.error() != null) {
                int from = Math.max(0, o.log().size() - 15);
                for (String l : o.log().subList(from, o.log().size())) {
                    progress.line("    " + l);
                }
            }
        }
        progress.finish();
        double minutes = (System.nanoTime() - t0) / 60e9;
        List<Double> loadAfter = MachineInfo.current().loadAverage();
        if (!loadAfter.isEmpty() && minutes >= 1 && loadAfter.get(0) > machine.availableProcessors() + 1) {
            warnings.add(String.format(
                    Locale.ROOT,
                    "load average %.2f at the end: more than the benchmark's own "
                            + "load, something else ran meanwhile",
                    loadAfter.get(0)));
        }
        return report(start, arguments, reproduce, machine, plan, outcomes, warnings, (System.nanoTime() - t0) / 1e9);
    }

    private static String summary(ChildLauncher.Outcome o) {
        if (o.error() != null) {
            return "FAILED after " + Math.round(o.wallSeconds()) + " s: " + o.error();
        }
        ChildResult r = o.result();
        if (!r.longRun().isEmpty()) {
            ChildResult.RssSample last = r.longRun().get(r.longRun().size() - 1);
            return String.format(
                    Locale.ROOT,
                    "%d steps in %.0f s, RSS %d MiB at the end",
                    last.step(),
                    o.wallSeconds(),
                    last.rssKb() / 1024);
        }
        return String.format(
                Locale.ROOT, "median step %.3f s, done in %.0f s", Stats.median(r.stepSeconds()), o.wallSeconds());
    }

    /** Builds the report from the outcomes (package-private for tests). */
    BenchReport report(
            Instant start,
            List<String> arguments,
            String reproduce,
            MachineInfo machine,
            List<Planned> plan,
            List<ChildLauncher.Outcome> outcomes,
            List<String> warnings,
            double totalSeconds) {
        InferredModel model = Presets.byName(settings.model()).validate();
        int factor = TrainingConfig.defaults().generatorBatchFactor();
        Map<Integer, StepFlops> flops = new TreeMap<>();
        List<Integer> batches = settings.longRun() ? List.of(settings.longRunBatch()) : settings.batchSizes();
        for (int b : batches) {
            flops.put(b, FlopCounter.trainingStep(model, b, factor));
        }
        // Matrix-product GFLOP/s per column and thread setting.
        Map<String, Double> sgemm = new LinkedHashMap<>();
        Map<String, String> versions = new LinkedHashMap<>();
        for (int i = 0; i < plan.size(); i++) {
            ChildResult r = outcomes.get(i).result();
            String key = Column.of(plan.get(i).task()).key();
            if (r != null) {
                versions.putIfAbsent(key, r.version() + (r.compute() == null ? "" : "; " + r.compute()));
                if (r.sgemm() != null) {
                    sgemm.put(key + "/" + plan.get(i).threads(), r.sgemm().gflops());
                }
            }
        }
        List<BenchReport.Run> runs = new ArrayList<>();
        Map<String, List<String>> kernels = new LinkedHashMap<>();
        List<String> warn = new ArrayList<>(warnings);
        for (int i = 0; i < plan.size(); i++) {
            Planned p = plan.get(i);
            ChildLauncher.Outcome o = outcomes.get(i);
            if (p.task().kernelProbe()) {
                kernels.put(
                        Column.of(p.task()).key(),
                        o.error() != null
                                ? List.of("probe failed: " + o.error())
                                : o.kernels().isEmpty() ? List.of("none logged") : o.kernels());
                continue;
            }
            runs.add(run(
                    p,
                    o,
                    flops.get(p.task().batchSize()),
                    sgemm.get(Column.of(p.task()).key() + "/" + p.threads()),
                    warn));
        }
        List<BenchReport.Backend> bs = new ArrayList<>();
        for (String b : backends) {
            bs.add(new BenchReport.Backend(b, versions.getOrDefault(b, "unknown (no run finished)")));
        }
        List<BenchReport.Flops> fl = new ArrayList<>();
        flops.forEach((b, f) -> fl.add(new BenchReport.Flops(
                b,
                f.generatorBatch(),
                f.total() / 1e9,
                f.discriminatorStep() / 1e9,
                f.generatorStep() / 1e9,
                f.elementwiseEstimate() / 1e9,
                f.generatorForwardPerImage() / 1e6,
                f.discriminatorForwardPerImage() / 1e6)));
        return new BenchReport(
                BenchReport.SCHEMA_VERSION,
                start.truncatedTo(ChronoUnit.SECONDS).toString(),
                reproduce,
                arguments,
                machine,
                settings,
                bs,
                fl,
                runs,
                warn,
                totalSeconds,
                kernels);
    }

    private BenchReport.Run run(
            Planned p, ChildLauncher.Outcome o, StepFlops flops, Double sgemmGflops, List<String> warnings) {
        String limit = p.threads() == 0
                ? "default"
                : (taskset ? "taskset -c " + (p.threads() == 1 ? "0" : "0-" + (p.threads() - 1)) + ", " : "")
                        + "OMP_NUM_THREADS=" + p.threads()
                        + " (and OPENBLAS_, MKL_, TF_NUM_INTRAOP_, TF_NUM_INTEROP_)";
        String label = p.label();
        if (o.error() != null) {
            warnings.add(label + ": failed: " + o.error());
            return new BenchReport.Run(
                    Column.of(p.task()).key(),
                    p.task().batchSize(),
                    p.threads(),
                    limit,
                    o.error(),
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    o.wallSeconds(),
                    o.command(),
                    null);
        }
        ChildResult r = o.result();
        Double startup = (double) (r.firstStepEndEpochMs() - o.spawnEpochMs()) / 1000.0;
        if (p.task().longRun()) {
            List<ChildResult.RssSample> s = r.longRun();
            ChildResult.RssSample base =
                    s.stream().filter(x -> x.step() >= 1000).findFirst().orElse(s.get(0));
            ChildResult.RssSample last = s.get(s.size() - 1);
            Double change = base == last ? null : 100.0 * (last.rssKb() - base.rssKb()) / base.rssKb();
            return new BenchReport.Run(
                    Column.of(p.task()).key(),
                    r.batchSize(),
                    p.threads(),
                    limit,
                    null,
                    null,
                    null,
                    null,
                    null,
                    startup,
                    null,
                    change,
                    base.step(),
                    o.wallSeconds(),
                    o.command(),
                    r);
        }
        Stats step = Stats.of(r.stepSeconds());
        double ips = r.batchSize() / step.median();
        Double gflops = flops == null ? null : flops.total() / step.median() / 1e9;
        Double share = gflops == null || sgemmGflops == null ? null : gflops / sgemmGflops;
        Double ratio = r.wallSeconds() > 0 ? r.cpuSeconds() / r.wallSeconds() : null;
        if (step.count() >= 3 && step.max() > 1.25 * step.median()) {
            warnings.add(String.format(
                    Locale.ROOT,
                    "%s: noisy steps (max %.3f s is %.0f%% above the median %.3f s)",
                    label,
                    step.max(),
                    100 * (step.max() / step.median() - 1),
                    step.median()));
        }
        if (p.threads() > 0 && ratio != null && ratio > p.threads() * 1.15) {
            warnings.add(String.format(
                    Locale.ROOT,
                    "%s: used %.2f CPUs on average, more than the %d asked for",
                    label,
                    ratio,
                    p.threads()));
        }
        return new BenchReport.Run(
                Column.of(p.task()).key(),
                r.batchSize(),
                p.threads(),
                limit,
                null,
                step,
                ips,
                gflops,
                share,
                startup,
                ratio,
                null,
                null,
                o.wallSeconds(),
                o.command(),
                r);
    }
}
