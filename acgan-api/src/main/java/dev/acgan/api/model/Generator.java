package dev.acgan.api.model;

import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.tensor.ImageBatch;
import dev.acgan.api.tensor.Tensor;
import dev.acgan.api.train.NoiseSampler;

/**
 * A trained generator in inference mode (BatchNorm uses its moving statistics, no dropout).
 * Implementations are thread-safe: one instance may serve concurrent callers. Native memory is
 * released by {@link #close()}; using a closed generator throws {@link IllegalStateException}.
 */
public interface Generator extends AutoCloseable {

    /** The model this generator belongs to. */
    ModelSpec spec();

    /** The precision its convolutions and matrix products compute in (never {@link Precision#AUTO}). */
    default Precision precision() {
        return Precision.FP32;
    }

    /**
     * Generates one image per noise row.
     *
     * @param noise  {@code [n, latentDim]}
     * @param labels {@code n} class labels in {@code [0, numClasses)}, or {@code null} for an
     *               unconditional (GAN) model
     * @return NHWC images in [-1, 1], carrying the labels
     * @throws IllegalArgumentException for a wrong noise shape or a label out of range
     */
    ImageBatch generate(Tensor noise, int[] labels);

    /** Generates images for the labels with noise drawn from the model's prior using the seed. */
    default ImageBatch generate(int[] labels, long seed) {
        return generate(NoiseSampler.sample(spec(), labels.length, new java.util.SplittableRandom(seed)), labels);
    }

    /** Releases native memory; calling it twice is harmless. */
    @Override
    void close();
}
