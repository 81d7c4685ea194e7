package dev.acgan.samples.bench;

import dev.acgan.api.spec.Presets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The settings of one {@code acgan bench} run.
 *
 * @param model              preset measured (acgan-mnist)
 * @param batchSizes         training batch sizes, in the order given
 * @param referenceBatch     the batch size of the start-up, generation, SGEMM and thread measurements:
 *                           100 when listed, else the first
 * @param warmupSteps        untimed steps per batch size, the first (cold) one included
 * @param timedSteps         timed steps per batch size
 * @param generationCounts   image counts of the generation latency (empty: skipped)
 * @param generationRepeats  timed generations per count
 * @param sgemmSize          SGEMM probe size (0: skipped)
 * @param sgemmRepeats       timed SGEMM products (the best counts)
 * @param threads            thread counts for the scaling rows; a count below the available processors
 *                           gets its own pinned child, one at or above them is the default run
 * @param longRunSteps       0, or the steps of a long RSS run (which replaces the standard measurements)
 * @param longRunBatch       batch size of the long run
 * @param longRunEvery       RSS sample interval of the long run
 * @param quick              whether {@code --quick} chose the defaults
 * @param seed               training seed
 */
public record BenchSettings(
        String model,
        List<Integer> batchSizes,
        int referenceBatch,
        int warmupSteps,
        int timedSteps,
        List<Integer> generationCounts,
        int generationRepeats,
        int sgemmSize,
        int sgemmRepeats,
        List<Integer> threads,
        long longRunSteps,
        int longRunBatch,
        long longRunEvery,
        boolean quick,
        long seed) {

    /** Default batch sizes. */
    public static final List<Integer> BATCH_SIZES = List.of(25, 100, 400);
    /** Default warm-up steps. */
    public static final int WARMUP = 3;
    /** Default timed steps. */
    public static final int STEPS = 10;
    /** Default generation counts. */
    public static final List<Integer> GENERATION_COUNTS = List.of(1, 100, 1000);
    /** Default generation repeats. */
    public static final int GENERATION_REPEATS = 10;
    /** Default SGEMM size. */
    public static final int SGEMM_SIZE = 2048;
    /** Default SGEMM repeats. */
    public static final int SGEMM_REPEATS = 10;
    /** Default thread counts. */
    public static final List<Integer> THREADS = List.of(1, 2);
    /** Default long-run batch. */
    public static final int LONG_BATCH = 100;
    /** Default long-run sample interval. */
    public static final int LONG_EVERY = 500;

    /** Quick: one batch size, few steps. */
    public static final List<Integer> QUICK_BATCH_SIZES = List.of(25);
    /** Quick warm-up. */
    public static final int QUICK_WARMUP = 1;
    /** Quick timed steps. */
    public static final int QUICK_STEPS = 3;
    /** Quick generation counts. */
    public static final List<Integer> QUICK_GENERATION_COUNTS = List.of(1, 100);
    /** Quick generation repeats. */
    public static final int QUICK_GENERATION_REPEATS = 3;
    /** Quick SGEMM size. */
    public static final int QUICK_SGEMM_SIZE = 1024;
    /** Quick SGEMM repeats. */
    public static final int QUICK_SGEMM_REPEATS = 3;

    /** Validates and copies. */
    public BenchSettings {
        batchSizes = List.copyOf(batchSizes);
        generationCounts = List.copyOf(generationCounts);
        threads = List.copyOf(threads);
        if (batchSizes.isEmpty()) {
            throw new IllegalArgumentException("--batch-sizes needs at least one batch size");
        }
        positive("--batch-sizes", batchSizes);
        positive("--gen-counts", generationCounts);
        positive("--threads", threads);
        if (!batchSizes.contains(referenceBatch)) {
            throw new IllegalArgumentException(
                    "the reference batch " + referenceBatch + " is not among the batch " + "sizes " + batchSizes);
        }
        if (warmupSteps < 1) {
            throw new IllegalArgumentException(
                    "--warmup must be at least 1 (the first, cold step), got " + warmupSteps);
        }
        if (timedSteps < 1) {
            throw new IllegalArgumentException("--steps must be at least 1, got " + timedSteps);
        }
        if (generationRepeats < 1) {
            throw new IllegalArgumentException("--gen-repeats must be at least 1, got " + generationRepeats);
        }
        if (sgemmSize < 0 || sgemmSize > 16384) {
            throw new IllegalArgumentException("--sgemm must be between 0 (none) and 16384, got " + sgemmSize);
        }
        if (sgemmRepeats < 1) {
            throw new IllegalArgumentException("--sgemm-repeats must be at least 1, got " + sgemmRepeats);
        }
        if (longRunSteps < 0) {
            throw new IllegalArgumentException("--long-run must be positive, got " + longRunSteps);
        }
        if (longRunBatch < 1) {
            throw new IllegalArgumentException("--long-batch must be at least 1, got " + longRunBatch);
        }
        if (longRunEvery < 1) {
            throw new IllegalArgumentException("--long-every must be at least 1, got " + longRunEvery);
        }
    }

    /** The reference batch for a list of batch sizes: 100 when listed, else the first. */
    public static int referenceBatch(List<Integer> batchSizes) {
        return batchSizes.contains(100) ? 100 : batchSizes.get(0);
    }

    /** Whether this is a long run. */
    public boolean longRun() {
        return longRunSteps > 0;
    }

    /** The batch sizes in measurement order: the reference first, then the others as given. */
    public List<Integer> measurementOrder() {
        List<Integer> out = new ArrayList<>();
        out.add(referenceBatch);
        for (int b : batchSizes) {
            if (!out.contains(b)) {
                out.add(b);
            }
        }
        return out;
    }

    /** The options that reproduce these settings (without --backend, --json, --out). */
    public List<String> arguments() {
        List<String> a = new ArrayList<>();
        if (longRun()) {
            a.addAll(List.of(
                    "--long-run",
                    Long.toString(longRunSteps),
                    "--long-batch",
                    Integer.toString(longRunBatch),
                    "--long-every",
                    Long.toString(longRunEvery)));
            return a;
        }
        a.addAll(List.of(
                "--batch-sizes",
                join(batchSizes),
                "--warmup",
                Integer.toString(warmupSteps),
                "--steps",
                Integer.toString(timedSteps),
                "--gen-counts",
                generationCounts.isEmpty() ? "none" : join(generationCounts),
                "--gen-repeats",
                Integer.toString(generationRepeats),
                "--sgemm",
                Integer.toString(sgemmSize),
                "--sgemm-repeats",
                Integer.toString(sgemmRepeats),
                "--threads",
                threads.isEmpty() ? "none" : join(threads)));
        return a;
    }

    /** The standard defaults. */
    public static BenchSettings defaults() {
        return new BenchSettings(
                Presets.ACGAN_MNIST,
                BATCH_SIZES,
                referenceBatch(BATCH_SIZES),
                WARMUP,
                STEPS,
                GENERATION_COUNTS,
                GENERATION_REPEATS,
                SGEMM_SIZE,
                SGEMM_REPEATS,
                THREADS,
                0,
                LONG_BATCH,
                LONG_EVERY,
                false,
                42);
    }

    private static String join(List<Integer> values) {
        return values.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    private static void positive(String option, List<Integer> values) {
        for (int v : values) {
            if (v < 1) {
                throw new IllegalArgumentException(option + " values must be positive, got " + v);
            }
        }
    }
}
