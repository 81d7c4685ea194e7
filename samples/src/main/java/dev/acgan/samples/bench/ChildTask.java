package dev.acgan.samples.bench;

import java.util.List;

/**
 * What one child JVM measures: one backend, one batch size, one thread setting. The parent passes it to
 * {@link BenchChild} as JSON in the only argument.
 *
 * @param backend           backend name
 * @param model             preset name (acgan-mnist)
 * @param batchSize         real images per training step
 * @param threads           0: the backend's defaults (every core); N: the parent limited the child to N
 *                          threads (taskset and thread environment variables); recorded, not enforced, here
 * @param warmupSteps       untimed steps, the first (cold) one included; at least 1
 * @param timedSteps        timed steps after the warm-up
 * @param generationCounts  image counts whose generation latency to measure (empty: none)
 * @param generationRepeats timed generations per count
 * @param sgemmSize         matrix size of the SGEMM probe (0: none)
 * @param sgemmRepeats      timed SGEMM repeats (the best counts)
 * @param longRunSteps      0: the standard measurement; N: train N steps and sample RSS instead
 * @param longRunEvery      RSS sample interval of a long run, in steps
 * @param seed              training seed
 * @param precision         fp32 or bf16 (the model's, and the matrix-product peak's); {@code null}: fp32
 * @param kernelProbe       a short run with oneDNN's log on, to see which kernels (ISA) run, timings ignored
 */
public record ChildTask(
        String backend,
        String model,
        int batchSize,
        int threads,
        int warmupSteps,
        int timedSteps,
        List<Integer> generationCounts,
        int generationRepeats,
        int sgemmSize,
        int sgemmRepeats,
        long longRunSteps,
        long longRunEvery,
        long seed,
        String precision,
        boolean kernelProbe) {

    /** Copies the list; a missing precision is fp32. */
    public ChildTask {
        generationCounts = List.copyOf(generationCounts);
        precision = precision == null ? "fp32" : precision;
    }

    /** Whether this is a long (RSS) run. */
    public boolean longRun() {
        return longRunSteps > 0;
    }
}
