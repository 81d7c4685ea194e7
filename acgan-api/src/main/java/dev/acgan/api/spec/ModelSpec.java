package dev.acgan.api.spec;

import java.util.Objects;

/**
 * A complete, backend-neutral description of a GAN: its kind, data shape, latent prior and both
 * networks. It is the single place an architecture is written; backends compile it, checkpoints
 * carry it (as JSON, see {@link SpecJson}) so that a checkpoint describes itself.
 *
 * @param name          a label such as {@code acgan-mnist}
 * @param kind          ACGAN, CGAN or GAN
 * @param image         image shape
 * @param numClasses    number of classes (labels are 0..numClasses-1); at least 1
 * @param latentDim     length of the noise vector
 * @param noise         the noise prior
 * @param generator     the generator network
 * @param discriminator the discriminator network
 */
public record ModelSpec(
        String name,
        GanKind kind,
        ImageShape image,
        int numClasses,
        int latentDim,
        NoiseDistribution noise,
        NetworkSpec generator,
        NetworkSpec discriminator) {

    /** Checks the scalar fields; graph consistency is checked by {@link #validate()}. */
    public ModelSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(noise, "noise");
        Objects.requireNonNull(generator, "generator");
        Objects.requireNonNull(discriminator, "discriminator");
        if (numClasses < 1) {
            throw new SpecException("numClasses must be at least 1, got " + numClasses);
        }
        if (latentDim < 1) {
            throw new SpecException("latentDim must be at least 1, got " + latentDim);
        }
    }

    /** Infers all shapes and parameters; throws {@link SpecException} naming the offending layer. */
    public InferredModel validate() {
        return ShapeInference.infer(this);
    }
}
