package dev.acgan.samples.cli;

import dev.acgan.api.model.Precision;
import dev.acgan.api.spi.Backends;
import dev.acgan.api.spi.GanBackend;
import dev.acgan.samples.bench.BenchReport;
import dev.acgan.samples.bench.BenchRunner;
import dev.acgan.samples.bench.BenchSettings;
import dev.acgan.samples.bench.Column;
import dev.acgan.samples.bench.ReportTable;
import dev.acgan.samples.bench.jmh.JmhLauncher;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code acgan bench}: training, generation, memory and start-up figures per backend, each in its own JVM. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Benchmark the backends: step time, throughput, GFLOP/s, generation latency, memory, start-up.",
        description = {
            "Measures every backend (or those named with --backend) on the acgan-mnist preset and the embedded "
                    + "MNIST, each backend, batch size and thread setting in a fresh child JVM, one after another, "
                    + "and prints one table with a column per backend and their ratio. Progress goes to stderr; "
                    + "the children's own output (TensorFlow's start-up lines) only with --verbose.",
            "",
            "Per backend: training step time (median, min, max of --steps steps after --warmup steps) and real "
                    + "images/s at each --batch-sizes; achieved GFLOP/s (FLOP counted from the spec) and its share "
                    + "of the same backend's SGEMM speed measured in the same run; generation latency for "
                    + "--gen-counts images; peak (VmHWM) and steady (VmRSS) resident memory; time from JVM start "
                    + "to the first finished step; step time with 1 thread (taskset -c 0, OMP_NUM_THREADS=1) "
                    + "against all cores, with the CPU/wall ratio that shows it was single-threaded.",
            "",
            "The defaults take about 8 minutes on an idle 2-core machine (8 child JVMs for two backends); "
                    + "--quick takes well under a minute per backend. "
                    + "Trust only figures from an idle machine (the table warns about load).",
            ""
        },
        footer = {
            "",
            "Examples:",
            "  acgan bench                            every backend, the full set (about 8 min on 2 cores)",
            "  acgan bench --quick                    a short smoke run",
            "  acgan bench --backend nd4j --batch-sizes 100 --threads none",
            "  acgan bench --json --out bench.json    JSON for tracking (table still on stdout with --out only)",
            "  acgan bench --long-run 5000            RSS over 5,000 steps at batch 100 (hours)",
            "  acgan bench --jmh                      JMH micro-benchmarks (generator, SGEMM, step)",
            "  acgan bench --jmh -- -f 1 -p backend=nd4j Generator"
        })
final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ParentCommand
    AcganCli root;

    @Option(
            names = "--backend",
            paramLabel = "NAME",
            split = ",",
            description = "Backends to measure, in column order. Default: every backend found.")
    List<String> backends;

    @Option(
            names = "--precision",
            paramLabel = "P[,P]",
            split = ",",
            description = "Precisions to measure, each a column per backend: fp32, bf16, auto (bf16 where the "
                    + "backend can here, else fp32). A bf16 column's GFLOP/s are a share of the backend's own bf16 "
                    + "matrix-product peak, measured in the same child. A backend that cannot compute in a "
                    + "precision gets no column for it (a warning says why); none at all is an error. Default: fp32.")
    List<String> precisions;

    @Option(
            names = "--quick",
            description = "A short smoke configuration: batch "
                    + "25, 1 warm-up + 3 timed steps, generation of 1 and 100 images (3 calls), SGEMM 1024, no thread runs. "
                    + "Options given explicitly still win.")
    boolean quick;

    @Option(
            names = "--batch-sizes",
            paramLabel = "B",
            split = ",",
            description = "Training batch sizes. Default: 25,100,400 (the start-up, generation, SGEMM and thread "
                    + "figures are taken at 100 when listed, else at the first).")
    List<Integer> batchSizes;

    @Option(
            names = "--steps",
            paramLabel = "N",
            description = "Timed steps per batch size. Default: " + BenchSettings.STEPS + ".")
    Integer steps;

    @Option(
            names = "--warmup",
            paramLabel = "W",
            description = "Untimed steps before them, the first (cold) one " + "included; at least 1. Default: "
                    + BenchSettings.WARMUP + ".")
    Integer warmup;

    @Option(
            names = "--gen-counts",
            paramLabel = "N[,N]|none",
            description = "Image counts of the generation latency. Default: 1,100,1000.")
    String genCounts;

    @Option(
            names = "--gen-repeats",
            paramLabel = "R",
            description = "Timed generations per count (the median is " + "shown). Default: "
                    + BenchSettings.GENERATION_REPEATS + ".")
    Integer genRepeats;

    @Option(
            names = "--sgemm",
            paramLabel = "N",
            description = "Size of the SGEMM peak probe (N x N fp32 matrix "
                    + "product on each backend), 0 for none. Default: " + BenchSettings.SGEMM_SIZE + ".")
    Integer sgemm;

    @Option(
            names = "--sgemm-repeats",
            paramLabel = "R",
            description = "Timed SGEMM products; the best counts. " + "Default: " + BenchSettings.SGEMM_REPEATS + ".")
    Integer sgemmRepeats;

    @Option(
            names = "--threads",
            paramLabel = "T[,T]|none",
            description = "Thread counts for the scaling rows: each count below the available processors gets a "
                    + "child limited to it (taskset, OMP_NUM_THREADS, TF_NUM_INTRAOP_THREADS) at the reference "
                    + "batch; the default run is the all-cores row. Default: 1,2.")
    String threads;

    @Option(
            names = "--long-run",
            paramLabel = "STEPS",
            description = "Instead of the measurements above: train STEPS steps per backend and record the "
                    + "resident memory every --long-every steps, at step 1,000 and at the end, with its change "
                    + "from step 1,000 to the end.")
    Long longRun;

    @Option(
            names = "--long-batch",
            paramLabel = "B",
            description = "Batch size of --long-run. Default: " + BenchSettings.LONG_BATCH + ".")
    Integer longBatch;

    @Option(
            names = "--long-every",
            paramLabel = "N",
            description =
                    "RSS sample interval of --long-run, in steps. " + "Default: " + BenchSettings.LONG_EVERY + ".")
    Integer longEvery;

    @Option(names = "--json", description = "Print the results as JSON on stdout instead of the table.")
    boolean json;

    @Option(
            names = {"-o", "--out"},
            paramLabel = "FILE.json",
            description = "Also write the results as JSON " + "to this file.")
    Path out;

    @Option(
            names = "--jmh",
            description = "Run the JMH micro-benchmarks instead (generator latency for 1 and "
                    + "100 images, SGEMM 2048, a training step at batch 25, per backend); JMH's own options and a "
                    + "benchmark pattern follow after --.")
    boolean jmh;

    @Parameters(
            paramLabel = "JMH-ARGS",
            arity = "0..*",
            description = "With --jmh: JMH options and benchmark "
                    + "patterns, e.g. -- -f 1 -wi 2 -p backend=nd4j Generator.")
    List<String> jmhArgs;

    @Option(
            names = "--child-timeout",
            paramLabel = "MINUTES",
            hidden = true,
            defaultValue = "90",
            description = "Kill a child JVM after this long (0: never; long runs never time out).")
    long childTimeout;

    @Override
    public Integer call() throws Exception {
        if (jmh) {
            return runJmh();
        }
        if (jmhArgs != null && !jmhArgs.isEmpty()) {
            throw new CliException(
                    "unexpected arguments " + jmhArgs + " (JMH arguments need --jmh)", AcganCli.EXIT_USAGE);
        }
        BenchSettings settings = settings();
        List<String> names = columns(backendNames(), spec.commandLine().getErr());
        PrintWriter err = spec.commandLine().getErr();
        boolean verbose = (root != null && root.verbose()) || originalArgs().contains("--verbose");
        BenchReport report = BenchRunner.run(
                settings,
                names,
                err,
                System.console() != null,
                verbose,
                settings.longRun() ? 0 : childTimeout,
                originalArgs(),
                reproduce(settings, names));
        if (out != null) {
            report.write(out);
        }
        PrintWriter w = spec.commandLine().getOut();
        if (json) {
            w.println(report.toJson());
        } else {
            w.print(ReportTable.format(report));
            if (out != null) {
                w.println();
                w.println("JSON written to " + out);
            }
        }
        w.flush();
        boolean failed = report.runs().stream().anyMatch(r -> !r.ok());
        if (failed) {
            err.println("acgan bench: some measurements failed (see the warnings; --verbose shows the children's "
                    + "output)");
            err.flush();
            return AcganCli.EXIT_FAILURE;
        }
        return AcganCli.EXIT_OK;
    }

    private int runJmh() throws Exception {
        List<String> args = jmhArgs == null ? List.of() : jmhArgs;
        try {
            JmhLauncher.run(args);
        } catch (org.openjdk.jmh.runner.options.CommandLineOptionException e) {
            throw new CliException("bad JMH arguments " + args + ": " + e.getMessage(), AcganCli.EXIT_USAGE);
        } catch (org.openjdk.jmh.runner.RunnerException e) {
            throw new CliException("JMH failed: " + e.getMessage());
        }
        return AcganCli.EXIT_OK;
    }

    /** The effective settings: --quick or the defaults, then the options given. */
    BenchSettings settings() {
        BenchSettings d = BenchSettings.defaults();
        List<Integer> batches =
                batchSizes != null ? batchSizes : quick ? BenchSettings.QUICK_BATCH_SIZES : d.batchSizes();
        if (batches.isEmpty()) {
            throw new CliException("--batch-sizes needs at least one batch size", AcganCli.EXIT_USAGE);
        }
        try {
            return new BenchSettings(
                    d.model(),
                    batches,
                    BenchSettings.referenceBatch(batches),
                    warmup != null ? warmup : quick ? BenchSettings.QUICK_WARMUP : d.warmupSteps(),
                    steps != null ? steps : quick ? BenchSettings.QUICK_STEPS : d.timedSteps(),
                    genCounts != null
                            ? list("--gen-counts", genCounts)
                            : quick ? BenchSettings.QUICK_GENERATION_COUNTS : d.generationCounts(),
                    genRepeats != null
                            ? genRepeats
                            : quick ? BenchSettings.QUICK_GENERATION_REPEATS : d.generationRepeats(),
                    sgemm != null ? sgemm : quick ? BenchSettings.QUICK_SGEMM_SIZE : d.sgemmSize(),
                    sgemmRepeats != null ? sgemmRepeats : quick ? BenchSettings.QUICK_SGEMM_REPEATS : d.sgemmRepeats(),
                    threads != null ? list("--threads", threads) : quick ? List.of() : d.threads(),
                    longRun != null ? longRun : 0,
                    longBatch != null ? longBatch : d.longRunBatch(),
                    longEvery != null ? longEvery : d.longRunEvery(),
                    quick,
                    d.seed());
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage(), AcganCli.EXIT_USAGE);
        }
    }

    private List<String> backendNames() {
        Backends found = Wiring.injector(null).getInstance(Backends.class);
        if (backends == null || backends.isEmpty()) {
            List<String> all = found.all().stream().map(GanBackend::name).toList();
            if (all.isEmpty()) {
                found.select(); // explains how to add one
            }
            return all;
        }
        List<String> names = new ArrayList<>();
        for (String b : backends) {
            String name = b.strip().toLowerCase(Locale.ROOT);
            if (found.find(name).isEmpty()) {
                throw new CliException("no backend named '" + b + "'; found " + found.describe());
            }
            if (!names.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    /**
     * The columns: every backend in every precision asked for (AUTO resolved per backend); a backend that
     * cannot compute in a precision is left out with a warning on {@code err}.
     */
    private List<String> columns(List<String> backendNames, PrintWriter err) {
        List<Precision> asked = new ArrayList<>();
        for (String p : precisions == null || precisions.isEmpty() ? List.of("fp32") : precisions) {
            asked.add(PrecisionOption.parse(p));
        }
        Backends found = Wiring.injector(null).getInstance(Backends.class);
        List<String> columns = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (String name : backendNames) {
            GanBackend b = found.find(name).orElseThrow();
            for (Precision p : asked) {
                java.util.Optional<String> why = b.precisionUnavailable(p);
                if (why.isPresent()) {
                    skipped.add(name + " " + p.label() + " (" + why.get() + ")");
                    continue;
                }
                String key = new Column(name, b.resolvePrecision(p)).key();
                if (!columns.contains(key)) {
                    columns.add(key);
                }
            }
        }
        if (columns.isEmpty()) {
            throw new CliException("nothing to measure: " + String.join("; ", skipped));
        }
        for (String s : skipped) {
            err.println("acgan bench: no column for " + s);
        }
        err.flush();
        return columns;
    }

    private List<String> originalArgs() {
        if (spec.commandLine().getParseResult() == null) {
            return List.of();
        }
        return spec.commandLine().getParseResult().originalArgs();
    }

    private static String reproduce(BenchSettings settings, List<String> columns) {
        List<String> backends = new ArrayList<>();
        List<String> precisions = new ArrayList<>();
        for (String c : columns) {
            Column col = Column.parse(c);
            if (!backends.contains(col.backend())) {
                backends.add(col.backend());
            }
            if (!precisions.contains(col.precision().label())) {
                precisions.add(col.precision().label());
            }
        }
        List<String> a = new ArrayList<>(List.of("acgan", "bench", "--backend", String.join(",", backends)));
        if (!precisions.equals(List.of("fp32"))) {
            a.addAll(List.of("--precision", String.join(",", precisions)));
        }
        a.addAll(settings.arguments());
        return String.join(" ", a);
    }

    private static List<Integer> list(String option, String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (v.equals("none") || v.isEmpty()) {
            return List.of();
        }
        List<Integer> out = new ArrayList<>();
        for (String part : v.split(",")) {
            try {
                out.add(Integer.parseInt(part.strip()));
            } catch (NumberFormatException e) {
                throw new CliException(
                        option + " must be a comma-separated list of numbers or 'none', got '" + value + "'",
                        AcganCli.EXIT_USAGE);
            }
        }
        return out;
    }
}
