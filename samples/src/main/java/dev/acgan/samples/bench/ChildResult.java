package dev.acgan.samples.bench;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * What one child JVM measured (see {@link BenchChild}). Times in seconds unless named otherwise, memory in
 * KiB, instants in milliseconds since the epoch.
 *
 * @param backend                 backend name
 * @param version                 the backend's version string
 * @param model                   preset name
 * @param batchSize               real images per step
 * @param threads                 the task's thread setting (0: default)
 * @param cpusAllowed             {@code Cpus_allowed_list} of the child (e.g. {@code 0} when pinned)
 * @param availableProcessors     what the child's JVM saw
 * @param environment             the environment variables that change the backends' speed (thread counts,
 *                                TF_ENABLE_ONEDNN_OPTS, OMP_WAIT_POLICY, ...) as the child saw them
 * @param jvmStartEpochMs         the child JVM's start ({@code RuntimeMXBean.getStartTime()})
 * @param mainStartEpochMs        when the child's main method started
 * @param firstStepEndEpochMs     when the first training step finished
 * @param modelCreateSeconds      {@code GanTrainer.create}: native library load, initial weights, graph compilation
 * @param firstStepSeconds        the first (cold) step
 * @param warmupSeconds           every warm-up step, the first included
 * @param stepSeconds             every timed step
 * @param discriminatorMedianSeconds median discriminator part of the timed steps (fakes' generation included)
 * @param generatorMedianSeconds  median generator part
 * @param dataMedianSeconds       median data part (batch, noise, labels, dropout masks)
 * @param cpuSeconds              process CPU time over the timed steps, all threads
 * @param wallSeconds             wall time over the timed steps
 * @param rssAfterCreateKb        VmRSS once the model was created
 * @param rssSteadyKb             VmRSS after the timed steps
 * @param rssPeakKb               VmHWM after the timed steps (before generation and SGEMM)
 * @param processThreads          threads of the process after the timed steps
 * @param heapUsedKb              Java heap in use after the timed steps
 * @param generation              generation latencies
 * @param sgemm                   the SGEMM probe, or {@code null}
 * @param longRun                 RSS samples of a long run (empty otherwise)
 * @param precision               the model's precision (fp32, bf16); {@code sgemm} is the matrix product in it
 * @param compute                 how the backend computed, with oneDNN's ISA ({@code GanBackend.describeCompute})
 */
public record ChildResult(
        String backend,
        String version,
        String model,
        int batchSize,
        int threads,
        String cpusAllowed,
        int availableProcessors,
        Map<String, String> environment,
        long jvmStartEpochMs,
        long mainStartEpochMs,
        long firstStepEndEpochMs,
        double modelCreateSeconds,
        double firstStepSeconds,
        List<Double> warmupSeconds,
        List<Double> stepSeconds,
        double discriminatorMedianSeconds,
        double generatorMedianSeconds,
        double dataMedianSeconds,
        double cpuSeconds,
        double wallSeconds,
        long rssAfterCreateKb,
        long rssSteadyKb,
        long rssPeakKb,
        int processThreads,
        long heapUsedKb,
        List<Generation> generation,
        Sgemm sgemm,
        List<RssSample> longRun,
        String precision,
        String compute) {

    /**
     * Latency of generating {@code images} images with the trained model's generator (inference mode,
     * noise sampling and the copy to the Java heap included).
     *
     * @param images  images per call
     * @param repeats timed calls (after one untimed call)
     * @param medianMs median milliseconds per call
     * @param minMs   fastest call
     * @param maxMs   slowest call
     */
    public record Generation(int images, int repeats, double medianMs, double minMs, double maxMs) {}

    /**
     * The backend's matrix-product probe: SGEMM, or the bf16 product for a bf16 run.
     *
     * @param n              matrix size
     * @param repeats        timed products (after one untimed)
     * @param bestSeconds    fastest product
     * @param medianSeconds  median product
     */
    public record Sgemm(int n, int repeats, double bestSeconds, double medianSeconds) {
        /** GFLOP/s of the fastest product ({@code 2 n^3} FLOP); in the JSON for readers, ignored on reading. */
        @JsonProperty(value = "gflops", access = JsonProperty.Access.READ_ONLY)
        public double gflops() {
            return 2.0 * n * n * n / bestSeconds / 1e9;
        }
    }

    /**
     * One sample of a long run.
     *
     * @param step              steps done
     * @param rssKb             VmRSS
     * @param hwmKb             VmHWM
     * @param heapUsedKb        Java heap in use
     * @param medianStepSeconds median step time since the previous sample
     * @param elapsedSeconds    since the first step started
     */
    public record RssSample(
            long step, long rssKb, long hwmKb, long heapUsedKb, double medianStepSeconds, double elapsedSeconds) {}
}
