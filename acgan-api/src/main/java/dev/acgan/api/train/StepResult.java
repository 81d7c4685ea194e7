package dev.acgan.api.train;

import dev.acgan.api.model.DiscriminatorLosses;
import dev.acgan.api.model.GeneratorLosses;

/**
 * The outcome of one training step (a discriminator update then a generator update).
 *
 * @param step            1-based number of this step in the run
 * @param epoch           0-based epoch of this step
 * @param batchInEpoch    0-based index of its batch in the epoch
 * @param batchesPerEpoch batches in an epoch
 * @param realImages      real images in its batch
 * @param discriminator   discriminator losses (before its update)
 * @param generator       generator losses (before its update)
 * @param dataNanos       time spent reading and sampling inputs
 * @param discriminatorNanos time of the discriminator step, fakes' generation included
 * @param generatorNanos  time of the generator step
 */
public record StepResult(
        long step,
        int epoch,
        int batchInEpoch,
        int batchesPerEpoch,
        int realImages,
        DiscriminatorLosses discriminator,
        GeneratorLosses generator,
        long dataNanos,
        long discriminatorNanos,
        long generatorNanos) {

    /** Wall time of the whole step in seconds. */
    public double seconds() {
        return (dataNanos + discriminatorNanos + generatorNanos) / 1e9;
    }
}
