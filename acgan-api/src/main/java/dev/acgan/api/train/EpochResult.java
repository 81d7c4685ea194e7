package dev.acgan.api.train;

/**
 * Mean losses over the steps of one epoch run in this process (after a resume mid-epoch, the steps
 * since the resume).
 *
 * @param epoch              0-based epoch
 * @param steps              steps averaged
 * @param discriminatorLoss  mean total discriminator loss
 * @param generatorLoss      mean total generator loss
 * @param seconds            wall time of those steps
 */
public record EpochResult(int epoch, int steps, double discriminatorLoss, double generatorLoss, double seconds) {}
