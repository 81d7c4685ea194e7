package dev.acgan.api.spi;

/**
 * Optional, for benchmarks: the raw fp32 matrix-multiply speed of a backend's own native library, the
 * yardstick against which its training throughput is judged ("the step reaches 40% of what this
 * backend's SGEMM does on this machine"). A backend offers one through {@link GanBackend#computeProbe()}.
 *
 * <p>An SGEMM of size {@code n} is the product {@code C = A B} of two dense {@code n x n} fp32 matrices:
 * {@link #sgemmFlops(int) 2 n^3} floating-point operations (a multiply-add counts 2). Implementations run
 * it with the backend's usual threading (the same thread pools and environment variables as its models),
 * so that the result is comparable with the backend's training steps in the same process.
 *
 * <p>Like the rest of a backend, a probe loads native code only when first used.
 */
public interface ComputeProbe {

    /**
     * Prepares an SGEMM of size {@code n}: inputs allocated and filled with values in [-1, 1), the output
     * allocated, anything the backend compiles already compiled, so that {@link Sgemm#run()} times only
     * the product. The caller closes it (try-with-resources), which frees every native resource.
     *
     * @throws IllegalArgumentException when {@code n < 1}
     */
    Sgemm prepareSgemm(int n);

    /**
     * Prepares a matrix product of size {@code n} in {@code precision}, the peak a model in that precision is
     * judged against: {@link dev.acgan.api.model.Precision#FP32} is {@link #prepareSgemm}; {@code BF16}
     * multiplies bfloat16 matrices with float32 accumulation, as the backend's bf16 models do. Its
     * {@link #sgemmFlops} are the same {@code 2 n^3}. The default offers fp32 only.
     *
     * @throws IllegalArgumentException      when {@code n < 1}
     * @throws UnsupportedOperationException when the probe has no product in that precision
     */
    default Sgemm prepareGemm(int n, dev.acgan.api.model.Precision precision) {
        if (precision == dev.acgan.api.model.Precision.FP32) {
            return prepareSgemm(n);
        }
        throw new UnsupportedOperationException("no " + precision.label() + " matrix product in this probe");
    }

    /**
     * The best (smallest) wall time in seconds of {@code repeats} timed products of size {@code n}, after
     * one untimed warm-up product; the preparation is not timed and everything is freed before returning.
     *
     * @throws IllegalArgumentException when {@code n < 1} or {@code repeats < 1}
     */
    default double sgemmSeconds(int n, int repeats) {
        if (repeats < 1) {
            throw new IllegalArgumentException("repeats must be at least 1, got " + repeats);
        }
        try (Sgemm s = prepareSgemm(n)) {
            s.run();
            long best = Long.MAX_VALUE;
            for (int i = 0; i < repeats; i++) {
                long t0 = System.nanoTime();
                s.run();
                best = Math.min(best, System.nanoTime() - t0);
            }
            return best / 1e9;
        }
    }

    /** Floating-point operations of one SGEMM of size {@code n}: {@code 2 n^3}. */
    static double sgemmFlops(int n) {
        return 2.0 * n * n * n;
    }

    /** A prepared product; {@link #run()} may be called any number of times, from one thread at a time. */
    interface Sgemm extends AutoCloseable {

        /** The matrix size. */
        int n();

        /** Computes {@code C = A B} once and returns when the result is complete. */
        void run();

        /** Frees the native resources; calling it twice is harmless. */
        @Override
        void close();
    }
}
