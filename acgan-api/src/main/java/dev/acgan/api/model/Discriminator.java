package dev.acgan.api.model;

import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.tensor.ImageBatch;

/**
 * A discriminator in inference mode (no dropout). Thread-safe like {@link Generator}.
 */
public interface Discriminator extends AutoCloseable {

    /** The model this discriminator belongs to. */
    ModelSpec spec();

    /**
     * Judges images.
     *
     * @param images NHWC images of the model's shape; labelled when the model is a CGAN
     * @return the probability that each image is real and, for ACGAN, class probabilities
     */
    DiscriminatorOutput discriminate(ImageBatch images);

    /** Releases native memory; calling it twice is harmless. */
    @Override
    void close();
}
