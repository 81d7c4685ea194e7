package dev.acgan.api.spec;

/** The prior the generator's noise vector is drawn from. */
public enum NoiseDistribution {
    /** Uniform on [-1, 1] (the Keras and TF.js ACGAN examples). */
    UNIFORM,
    /** Standard normal. */
    NORMAL
}
