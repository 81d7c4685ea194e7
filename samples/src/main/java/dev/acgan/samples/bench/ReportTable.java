package dev.acgan.samples.bench;

import dev.acgan.api.model.Precision;
import dev.acgan.samples.bench.BenchReport.Run;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Formats a {@link BenchReport} as the text {@code acgan bench} prints: a header (date, machine, versions and
 * how each column computed, settings, FLOP, the command to reproduce), then one column per backend and
 * precision ({@link Column}) and ratio columns: a bf16 column over the same backend's fp32 one, another
 * backend's fp32 column over the first one (e.g. nd4j/tensorflow).
 */
public final class ReportTable {

    private ReportTable() {}

    /** A table row: a section title (no cells) or a label with one cell per column and one per ratio. */
    private record Row(String label, List<String> cells, List<String> ratios) {
        static Row section(String title) {
            return new Row(title, null, null);
        }
    }

    /** The full text. */
    public static String format(BenchReport r) {
        StringBuilder out = new StringBuilder();
        header(r, out);
        out.append('\n');
        if (r.settings().longRun()) {
            longRun(r, out);
        } else {
            table(r, out);
        }
        if (!r.warnings().isEmpty()) {
            out.append("\nWarnings:\n");
            for (String w : r.warnings()) {
                out.append("  - ").append(w).append('\n');
            }
        }
        return out.toString();
    }

    private static void header(BenchReport r, StringBuilder out) {
        MachineInfo m = r.machine();
        BenchSettings s = r.settings();
        out.append(String.format(
                Locale.ROOT,
                "acgan bench, %s (took %s)%n",
                r.date().replace('T', ' ').replace("Z", " UTC"),
                duration(r.totalSeconds())));
        kv(
                out,
                "Model",
                s.model() + ", embedded MNIST (28x28x1); a step = D update on n real + n fake images, "
                        + "G update on 2n samples");
        StringBuilder machine = new StringBuilder(m.describe());
        if (!m.loadAverage().isEmpty()) {
            machine.append("; load average ")
                    .append(join(m.loadAverage(), x -> fmt(x, 2), " "))
                    .append(" at start");
        }
        kv(out, "Machine", machine.toString());
        kv(out, "System", m.os() + "; " + m.jvm());
        boolean first = true;
        int w = r.backends().stream().mapToInt(b -> b.name().length()).max().orElse(0);
        for (BenchReport.Backend b : r.backends()) {
            kv(out, first ? "Backends" : "", pad(b.name(), w) + "  " + b.version());
            first = false;
        }
        first = true;
        for (Map.Entry<String, List<String>> k : r.kernels().entrySet()) {
            kv(out, first ? "Kernels" : "", pad(k.getKey(), w) + "  " + String.join("; ", k.getValue()));
            first = false;
        }
        if (s.longRun()) {
            kv(
                    out,
                    "Settings",
                    s.longRunSteps() + " steps at batch " + s.longRunBatch() + ", VmRSS every " + s.longRunEvery()
                            + " steps and at step 1,000; each backend in its own JVM");
        } else {
            kv(
                    out,
                    "Settings",
                    s.warmupSteps() + " warm-up + " + s.timedSteps() + " timed steps per batch size; each "
                            + "backend, batch size and thread setting in its own JVM");
            List<String> more = new ArrayList<>();
            if (!s.generationCounts().isEmpty()) {
                more.add("generation: median of " + s.generationRepeats() + " calls");
            }
            if (s.sgemmSize() > 0) {
                more.add("SGEMM " + s.sgemmSize() + "x" + s.sgemmSize() + ": best of " + s.sgemmRepeats());
            }
            more.add("reference batch " + s.referenceBatch());
            kv(out, "", String.join("; ", more));
        }
        kv(
                out,
                "FLOP/step",
                join(r.flops(), f -> "batch " + f.batchSize() + " " + fmt(f.stepGflop(), 1) + " G", ", ")
                        + " (weight layers, multiply-add = 2 FLOP)");
        kv(out, "Reproduce", r.reproduce());
    }

    /**
     * The ratio columns, as {numerator, denominator} indices of {@code names}: each bf16 column over its
     * backend's fp32 column, each other backend's fp32 column over the first fp32 column.
     */
    static List<int[]> ratios(List<String> names) {
        List<int[]> out = new ArrayList<>();
        int firstFp32 = -1;
        for (int i = 0; i < names.size(); i++) {
            Column c = Column.parse(names.get(i));
            if (c.precision() != Precision.FP32) {
                int base = names.indexOf(c.backend());
                if (base >= 0) {
                    out.add(new int[] {i, base});
                }
            } else if (firstFp32 < 0) {
                firstFp32 = i;
            } else {
                out.add(new int[] {i, firstFp32});
            }
        }
        return out;
    }

    private static void table(BenchReport r, StringBuilder out) {
        BenchSettings s = r.settings();
        List<String> names =
                r.backends().stream().map(BenchReport.Backend::name).toList();
        List<int[]> ratio = ratios(names);
        boolean reduced = names.stream().anyMatch(n -> Column.parse(n).precision() != Precision.FP32);
        List<Row> rows = new ArrayList<>();
        int ref = s.referenceBatch();

        rows.add(Row.section("Training step, s: median [min, max] of " + s.timedSteps()));
        for (int b : s.batchSizes()) {
            rows.add(row(
                    r,
                    names,
                    ratio,
                    "batch " + b,
                    b,
                    0,
                    run -> run.step() == null ? null : run.step().median(),
                    run -> fmt3(run.step().median()) + " [" + fmt3(run.step().min()) + ", "
                            + fmt3(run.step().max()) + "]"));
        }
        rows.add(Row.section("Throughput, real images/s (batch / median step)"));
        for (int b : s.batchSizes()) {
            rows.add(row(
                    r, names, ratio, "batch " + b, b, 0, Run::imagesPerSecond, run -> fmt(run.imagesPerSecond(), 1)));
        }
        boolean sgemm = s.sgemmSize() > 0;
        rows.add(Row.section("Achieved GFLOP/s"
                + (sgemm
                        ? reduced ? " (share of the column's matrix-product peak)" : " (share of the backend's SGEMM)"
                        : "")));
        for (int b : s.batchSizes()) {
            rows.add(row(
                    r,
                    names,
                    ratio,
                    "batch " + b,
                    b,
                    0,
                    Run::gflopPerSecond,
                    run -> fmt(run.gflopPerSecond(), 1)
                            + (run.shareOfSgemm() == null ? "" : " (" + fmt(100 * run.shareOfSgemm(), 0) + "%)")));
        }
        if (sgemm) {
            rows.add(row(
                    r,
                    names,
                    ratio,
                    (reduced ? "matrix product " : "SGEMM ") + s.sgemmSize() + ", GFLOP/s (best of " + s.sgemmRepeats()
                            + (reduced ? "; bf16 in bf16 columns" : "") + ")",
                    ref,
                    0,
                    run -> run.child().sgemm() == null
                            ? null
                            : run.child().sgemm().gflops(),
                    run -> run.child().sgemm() == null
                            ? "n/a"
                            : fmt(run.child().sgemm().gflops(), 1)));
        }
        if (!s.generationCounts().isEmpty()) {
            rows.add(Row.section("Generation latency, ms: median [min] of " + s.generationRepeats()));
            for (int count : s.generationCounts()) {
                rows.add(row(
                        r,
                        names,
                        ratio,
                        count + (count == 1 ? " image" : " images"),
                        ref,
                        0,
                        run -> generation(run, count)
                                .map(ChildResult.Generation::medianMs)
                                .orElse(null),
                        run -> generation(run, count)
                                .map(g -> fmt(g.medianMs(), g.medianMs() < 100 ? 1 : 0) + " ["
                                        + fmt(g.minMs(), g.minMs() < 100 ? 1 : 0) + "]")
                                .orElse("n/a")));
            }
        }
        rows.add(Row.section("Memory, MiB"));
        for (int b : s.batchSizes()) {
            rows.add(row(
                    r,
                    names,
                    ratio,
                    "peak RSS (VmHWM), batch " + b,
                    b,
                    0,
                    run -> mib(run.child().rssPeakKb()),
                    run -> fmt(mib(run.child().rssPeakKb()), 0)));
        }
        for (int b : s.batchSizes()) {
            rows.add(row(
                    r,
                    names,
                    ratio,
                    "steady RSS (VmRSS after steps), batch " + b,
                    b,
                    0,
                    run -> mib(run.child().rssSteadyKb()),
                    run -> fmt(mib(run.child().rssSteadyKb()), 0)));
        }
        rows.add(Row.section("Start-up, s (batch " + ref + ")"));
        rows.add(row(
                r,
                names,
                ratio,
                "JVM start to first finished step",
                ref,
                0,
                Run::startToFirstStepSeconds,
                run -> fmt(run.startToFirstStepSeconds(), 1)));
        rows.add(row(
                r, names, ratio, "  process start to main()", ref, 0, ReportTable::toMain, run -> fmt(toMain(run), 1)));
        rows.add(row(
                r,
                names,
                ratio,
                "  model creation (native load, compile)",
                ref,
                0,
                run -> run.child().modelCreateSeconds(),
                run -> fmt(run.child().modelCreateSeconds(), 1)));
        rows.add(row(
                r,
                names,
                ratio,
                "  first step",
                ref,
                0,
                run -> run.child().firstStepSeconds(),
                run -> fmt(run.child().firstStepSeconds(), 2)));
        rows.add(row(
                r,
                names,
                ratio,
                "  the rest (discovery, dataset, ...)",
                ref,
                0,
                ReportTable::rest,
                run -> fmt(rest(run), 1)));

        List<Integer> limited = s.threads().stream()
                .sorted()
                .distinct()
                .filter(t -> r.runs().stream().anyMatch(x -> x.threads() == t))
                .toList();
        if (!limited.isEmpty()) {
            int cores = r.machine().availableProcessors();
            rows.add(Row.section("Threads (batch " + ref + "): median step s, CPU/wall during the timed steps"));
            for (int t : limited) {
                boolean pinned = r.runs().stream()
                        .anyMatch(x -> x.threads() == t && x.limit().startsWith("taskset"));
                String label = t + " thread" + (t == 1 ? "" : "s") + (pinned ? " (pinned)" : " (limited)");
                rows.add(row(
                        r,
                        names,
                        ratio,
                        label,
                        ref,
                        t,
                        run -> run.step() == null ? null : run.step().median(),
                        run -> fmt3(run.step().median()) + " (cpu/wall " + fmt(run.cpuWallRatio(), 2) + ")"));
            }
            String all = cores + " thread" + (cores == 1 ? "" : "s") + " (default, every core)";
            rows.add(row(
                    r,
                    names,
                    ratio,
                    all,
                    ref,
                    0,
                    run -> run.step() == null ? null : run.step().median(),
                    run -> fmt3(run.step().median()) + " (cpu/wall " + fmt(run.cpuWallRatio(), 2) + ")"));
            for (int t : limited) {
                rows.add(row(
                        r,
                        names,
                        ratio,
                        "speed-up, default over " + t,
                        ref,
                        0,
                        run -> speedUp(r, run, t),
                        run -> speedUp(r, run, t) == null ? "n/a" : fmt(speedUp(r, run, t), 2) + "x"));
            }
            if (sgemm) {
                for (int t : limited) {
                    rows.add(row(
                            r,
                            names,
                            ratio,
                            (reduced ? "matrix product" : "SGEMM") + " GFLOP/s, " + t + " thread" + (t == 1 ? "" : "s"),
                            ref,
                            t,
                            run -> run.child().sgemm() == null
                                    ? null
                                    : run.child().sgemm().gflops(),
                            run -> run.child().sgemm() == null
                                    ? "n/a"
                                    : fmt(run.child().sgemm().gflops(), 1)));
                }
            }
        }
        render(rows, names, ratio, out);
        out.append('\n');
        for (int[] q : ratio) {
            out.append("Ratio: ")
                    .append(names.get(q[0]))
                    .append(" / ")
                    .append(names.get(q[1]))
                    .append(" (time, memory: above 1 = ")
                    .append(names.get(q[0]))
                    .append(" slower or larger; throughput: above 1 = ")
                    .append(names.get(q[0]))
                    .append(" faster).\n");
        }
        out.append("FLOP per step from the spec (FlopCounter): D step ")
                .append(r.flops(ref)
                        .map(f -> fmt(f.discriminatorStepGflop(), 2) + " + G step " + fmt(f.generatorStepGflop(), 2)
                                + " GFLOP at batch "
                                + ref + "; G forward " + fmt(f.generatorForwardMflopPerImage(), 1) + ", D forward "
                                + fmt(f.discriminatorForwardMflopPerImage(), 1) + " MFLOP per image")
                        .orElse("n/a"))
                .append(".\n");
    }

    /** From the parent starting the process to the child's main method. */
    private static Double toMain(Run run) {
        if (run.startToFirstStepSeconds() == null) {
            return null;
        }
        return (run.child().mainStartEpochMs() - run.child().firstStepEndEpochMs()) / 1000.0
                + run.startToFirstStepSeconds();
    }

    /** Start-up not in the other rows: backend discovery, the embedded dataset, initial weights. */
    private static Double rest(Run run) {
        Double main = toMain(run);
        if (main == null) {
            return null;
        }
        return Math.max(
                0,
                run.startToFirstStepSeconds()
                        - main
                        - run.child().modelCreateSeconds()
                        - run.child().firstStepSeconds());
    }

    private static Double speedUp(BenchReport r, Run defaultRun, int threads) {
        Optional<Run> limited = r.run(defaultRun.backend(), defaultRun.batchSize(), threads);
        if (limited.isEmpty() || !limited.get().ok() || defaultRun.step() == null) {
            return null;
        }
        return limited.get().step().median() / defaultRun.step().median();
    }

    private static Optional<ChildResult.Generation> generation(Run run, int count) {
        return run.child().generation().stream()
                .filter(g -> g.images() == count)
                .findFirst();
    }

    private static Row row(
            BenchReport r,
            List<String> names,
            List<int[]> ratio,
            String label,
            int batch,
            int threads,
            Function<Run, Double> value,
            Function<Run, String> text) {
        List<String> cells = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (String n : names) {
            Optional<Run> run = r.run(n, batch, threads);
            if (run.isEmpty()) {
                cells.add("-");
                values.add(null);
            } else if (!run.get().ok()) {
                cells.add("failed");
                values.add(null);
            } else {
                Double v = value.apply(run.get());
                values.add(v);
                cells.add(v == null ? "n/a" : text.apply(run.get()));
            }
        }
        List<String> qs = new ArrayList<>();
        for (int[] q : ratio) {
            Double a = values.get(q[0]);
            Double b = values.get(q[1]);
            qs.add(a != null && b != null && b != 0 ? fmt(a / b, 2) : "");
        }
        return new Row("  " + label, cells, qs);
    }

    private static void render(List<Row> rows, List<String> names, List<int[]> ratio, StringBuilder out) {
        int labelWidth = 0;
        int[] widths = new int[names.size()];
        for (int i = 0; i < names.size(); i++) {
            widths[i] = names.get(i).length();
        }
        List<String> ratioTitles = new ArrayList<>();
        int[] ratioWidths = new int[ratio.size()];
        for (int k = 0; k < ratio.size(); k++) {
            ratioTitles.add(names.get(ratio.get(k)[0]) + "/" + names.get(ratio.get(k)[1]));
            ratioWidths[k] = ratioTitles.get(k).length();
        }
        for (Row row : rows) {
            if (row.cells() == null) {
                continue;
            }
            labelWidth = Math.max(labelWidth, row.label().length());
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], row.cells().get(i).length());
            }
            for (int k = 0; k < ratio.size(); k++) {
                ratioWidths[k] = Math.max(ratioWidths[k], row.ratios().get(k).length());
            }
        }
        StringBuilder head = new StringBuilder(" ".repeat(labelWidth));
        for (int i = 0; i < names.size(); i++) {
            head.append("  ").append(padLeft(names.get(i), widths[i]));
        }
        for (int k = 0; k < ratio.size(); k++) {
            head.append("  ").append(padLeft(ratioTitles.get(k), ratioWidths[k]));
        }
        out.append(head.toString().stripTrailing()).append('\n');
        for (Row row : rows) {
            if (row.cells() == null) {
                out.append(row.label()).append('\n');
                continue;
            }
            StringBuilder line = new StringBuilder(pad(row.label(), labelWidth));
            for (int i = 0; i < names.size(); i++) {
                line.append("  ").append(padLeft(row.cells().get(i), widths[i]));
            }
            for (int k = 0; k < ratio.size(); k++) {
                line.append("  ").append(padLeft(row.ratios().get(k), ratioWidths[k]));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
    }

    private static void longRun(BenchReport r, StringBuilder out) {
        List<String> names =
                r.backends().stream().map(BenchReport.Backend::name).toList();
        int batch = r.settings().longRunBatch();
        List<Long> steps = new ArrayList<>();
        for (Run run : r.runs()) {
            if (run.ok()) {
                for (ChildResult.RssSample s : run.child().longRun()) {
                    if (!steps.contains(s.step())) {
                        steps.add(s.step());
                    }
                }
            }
        }
        steps.sort(Long::compare);
        List<String> header = new ArrayList<>(List.of("step"));
        for (String n : names) {
            header.add(n + " RSS MiB");
            header.add("median step s");
        }
        List<List<String>> lines = new ArrayList<>();
        lines.add(header);
        for (long step : steps) {
            List<String> cells = new ArrayList<>(List.of(String.format(Locale.ROOT, "%,d", step)));
            for (String n : names) {
                Optional<ChildResult.RssSample> s = r.run(n, batch, 0)
                        .filter(Run::ok)
                        .flatMap(run -> run.child().longRun().stream()
                                .filter(x -> x.step() == step)
                                .findFirst());
                cells.add(s.map(x -> fmt(mib(x.rssKb()), 0)).orElse("-"));
                cells.add(s.map(x -> fmt3(x.medianStepSeconds())).orElse("-"));
            }
            lines.add(cells);
        }
        int[] w = new int[header.size()];
        for (List<String> l : lines) {
            for (int i = 0; i < l.size(); i++) {
                w[i] = Math.max(w[i], l.get(i).length());
            }
        }
        for (List<String> l : lines) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < l.size(); i++) {
                line.append(i == 0 ? "" : "  ").append(padLeft(l.get(i), w[i]));
            }
            out.append(line).append('\n');
        }
        out.append('\n');
        for (String n : names) {
            Optional<Run> run = r.run(n, batch, 0);
            if (run.isEmpty() || !run.get().ok()) {
                out.append(n).append(": failed\n");
                continue;
            }
            Run x = run.get();
            List<ChildResult.RssSample> s = x.child().longRun();
            ChildResult.RssSample last = s.get(s.size() - 1);
            if (x.longRunRssChangePercent() == null) {
                out.append(
                        String.format(Locale.ROOT, "%s: only one sample (step %,d); run more steps%n", n, last.step()));
            } else {
                double c = x.longRunRssChangePercent();
                out.append(String.format(
                        Locale.ROOT,
                        "%s: RSS %+.1f%% from step %,d to step %,d: %s; peak (VmHWM) " + "%s MiB%n",
                        n,
                        c,
                        x.longRunBaselineStep(),
                        last.step(),
                        Math.abs(c) <= 5 ? "flat within 5%" : "NOT flat within 5%",
                        fmt(mib(last.hwmKb()), 0)));
            }
        }
    }

    private static double mib(long kb) {
        return kb / 1024.0;
    }

    private static void kv(StringBuilder out, String key, String value) {
        out.append(pad(key, 10)).append(' ').append(value).append('\n');
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s < 60 ? s + " s" : s / 60 + " min " + s % 60 + " s";
    }

    static String fmt(Double v, int decimals) {
        if (v == null || v.isNaN()) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }

    private static String fmt3(double v) {
        return v >= 100 ? fmt(v, 1) : v >= 10 ? fmt(v, 2) : fmt(v, 3);
    }

    private static <T> String join(List<T> items, Function<T, String> f, String sep) {
        List<String> s = new ArrayList<>();
        for (T t : items) {
            s.add(f.apply(t));
        }
        return String.join(sep, s);
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s : s + " ".repeat(w - s.length());
    }

    private static String padLeft(String s, int w) {
        return s.length() >= w ? s : " ".repeat(w - s.length()) + s;
    }
}
