package dev.acgan.api.spec;

/** The family of GAN, which fixes the networks' inputs and outputs and the losses. */
public enum GanKind {
    /**
     * Auxiliary-classifier GAN: G(noise, label) -> image; D(image) -> validity and class probabilities.
     * Losses: binary cross-entropy on validity plus sparse categorical cross-entropy on the class.
     */
    ACGAN,
    /** Conditional GAN: G(noise, label) -> image; D(image, label) -> validity. */
    CGAN,
    /** Vanilla GAN: G(noise) -> image; D(image) -> validity. */
    GAN;

    /** Whether the generator takes a class label. */
    public boolean conditionalGenerator() {
        return this != GAN;
    }

    /** Whether the discriminator takes a class label as input. */
    public boolean conditionalDiscriminator() {
        return this == CGAN;
    }

    /** Whether the discriminator has an auxiliary class head. */
    public boolean auxiliaryClassifier() {
        return this == ACGAN;
    }
}
