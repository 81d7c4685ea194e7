package dev.acgan.samples.bench;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one {@code acgan bench} run measured, as written by {@code --json} / {@code --out} (schema
 * {@value #SCHEMA_VERSION}) and formatted by {@link ReportTable}.
 *
 * @param schemaVersion {@value #SCHEMA_VERSION}
 * @param date          ISO-8601 UTC instant of the start
 * @param reproduce     the command line that repeats the measurement
 * @param arguments     the arguments as given
 * @param machine       the machine
 * @param settings      the effective settings
 * @param backends      the columns measured, in order: a backend in a precision ({@code tensorflow},
 *                      {@code tensorflow bf16}), with its version and how it computed
 * @param flops         FLOP per training step for each batch size
 * @param runs          one entry per child JVM
 * @param warnings      what makes the numbers less trustworthy (load, failed runs, noisy steps)
 * @param totalSeconds  wall time of the whole benchmark
 * @param kernels       per column, the oneDNN kernels its probe logged, one entry per primitive kind (empty
 *                      for long runs and reports written before schema 2)
 */
public record BenchReport(
        int schemaVersion,
        String date,
        String reproduce,
        List<String> arguments,
        MachineInfo machine,
        BenchSettings settings,
        List<Backend> backends,
        List<Flops> flops,
        List<Run> runs,
        List<String> warnings,
        double totalSeconds,
        Map<String, List<String>> kernels) {

    /** Version of this JSON layout (2: columns are a backend in a precision; children report both). */
    public static final int SCHEMA_VERSION = 2;

    /** Copies. */
    public BenchReport {
        arguments = List.copyOf(arguments);
        backends = List.copyOf(backends);
        flops = List.copyOf(flops);
        runs = List.copyOf(runs);
        warnings = List.copyOf(warnings);
        kernels = kernels == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(kernels));
    }

    /**
     * A backend.
     *
     * @param name    the column: the backend's name, followed by the precision unless fp32
     * @param version its version string and how it computed (from its child JVM)
     */
    public record Backend(String name, String version) {}

    /**
     * The FLOP of a training step at one batch size ({@link dev.acgan.api.spec.FlopCounter}).
     *
     * @param batchSize                       real images per step
     * @param generatorBatch                  samples of the generator step
     * @param stepGflop                       the whole step (weight layers)
     * @param discriminatorStepGflop          the discriminator step, fakes' generation included
     * @param generatorStepGflop              the generator step
     * @param elementwiseEstimateGflop        rough estimate of everything else (not in the step figure)
     * @param generatorForwardMflopPerImage   one generator forward pass per image
     * @param discriminatorForwardMflopPerImage one discriminator forward pass per image
     */
    public record Flops(
            int batchSize,
            int generatorBatch,
            double stepGflop,
            double discriminatorStepGflop,
            double generatorStepGflop,
            double elementwiseEstimateGflop,
            double generatorForwardMflopPerImage,
            double discriminatorForwardMflopPerImage) {}

    /**
     * One child JVM: one backend at one batch size and thread setting.
     *
     * @param backend                 the column: the backend's name, followed by the precision unless fp32
     * @param batchSize               real images per step
     * @param threads                 0: the default (every core); N: limited to N threads
     * @param limit                   how the thread limit was applied ("default", or taskset and variables)
     * @param error                   why it failed, or {@code null}
     * @param step                    timed step times (null for a long run or a failure)
     * @param imagesPerSecond         real images per second: batch size / median step
     * @param gflopPerSecond          step FLOP / median step
     * @param shareOfSgemm            gflopPerSecond over the same column's matrix-product GFLOP/s (SGEMM, or
     *                                the bf16 product) at the same thread setting (null when there is none)
     * @param startToFirstStepSeconds from the parent starting the JVM to the end of its first training step
     * @param cpuWallRatio            process CPU time over wall time during the timed steps
     * @param longRunRssChangePercent long runs: VmRSS change from the baseline sample to the last one
     * @param longRunBaselineStep     long runs: the baseline sample's step (1,000, or the first sample)
     * @param childWallSeconds        how long the child ran
     * @param command                 its command line (class path and task abbreviated)
     * @param child                   what the child reported (null on failure)
     */
    public record Run(
            String backend,
            int batchSize,
            int threads,
            String limit,
            String error,
            Stats step,
            Double imagesPerSecond,
            Double gflopPerSecond,
            Double shareOfSgemm,
            Double startToFirstStepSeconds,
            Double cpuWallRatio,
            Double longRunRssChangePercent,
            Long longRunBaselineStep,
            double childWallSeconds,
            List<String> command,
            ChildResult child) {

        /** Whether it produced a result. */
        @JsonIgnore
        public boolean ok() {
            return error == null && child != null;
        }
    }

    /** The run of a backend at a batch size and thread setting, if any. */
    public Optional<Run> run(String backend, int batchSize, int threads) {
        return runs.stream()
                .filter(r -> r.backend().equals(backend) && r.batchSize() == batchSize && r.threads() == threads)
                .findFirst();
    }

    /** The FLOP entry of a batch size, if any. */
    public Optional<Flops> flops(int batchSize) {
        return flops.stream().filter(f -> f.batchSize() == batchSize).findFirst();
    }

    /** Indented JSON. */
    public String toJson() {
        try {
            return ChildProtocol.prettyJson(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a report written by {@link #toJson()}. */
    public static BenchReport fromJson(String json) {
        return ChildProtocol.fromJson(json, BenchReport.class);
    }

    /** Writes the JSON to a file (parent directories created). */
    public void write(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, toJson() + System.lineSeparator());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
