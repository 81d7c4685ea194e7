package dev.acgan.api.model;

/**
 * The discriminator loss and its components, as defined in {@link DiscriminatorBatch}.
 *
 * @param total           sum of the four terms
 * @param realAdversarial binary cross-entropy term of real images
 * @param fakeAdversarial binary cross-entropy term of fakes
 * @param realAuxiliary   weighted class term of real images (0 unless ACGAN)
 * @param fakeAuxiliary   weighted class term of fakes (0 unless ACGAN)
 */
public record DiscriminatorLosses(
        double total, double realAdversarial, double fakeAdversarial, double realAuxiliary, double fakeAuxiliary) {

    /** Builds from the four terms, summing the total. */
    public static DiscriminatorLosses of(
            double realAdversarial, double fakeAdversarial, double realAuxiliary, double fakeAuxiliary) {
        return new DiscriminatorLosses(
                realAdversarial + fakeAdversarial + realAuxiliary + fakeAuxiliary,
                realAdversarial,
                fakeAdversarial,
                realAuxiliary,
                fakeAuxiliary);
    }
}
