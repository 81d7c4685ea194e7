package dev.acgan.api.model;

/**
 * The generator loss and its components, as defined in {@link GeneratorBatch}.
 *
 * @param total       adversarial plus auxiliary
 * @param adversarial binary cross-entropy of the discriminator's validity against the target
 * @param auxiliary   weighted class term (0 unless ACGAN)
 */
public record GeneratorLosses(double total, double adversarial, double auxiliary) {

    /** Builds from the two terms, summing the total. */
    public static GeneratorLosses of(double adversarial, double auxiliary) {
        return new GeneratorLosses(adversarial + auxiliary, adversarial, auxiliary);
    }
}
