package dev.acgan.api.train;

/**
 * Where a run stands: everything, besides the seed and the weights, needed to continue it exactly.
 *
 * @param step         steps completed so far
 * @param epoch        the epoch the next step belongs to (0-based)
 * @param batchInEpoch index of the next batch within that epoch
 */
public record TrainingPosition(long step, int epoch, int batchInEpoch) {
    /** The start of a run. */
    public static TrainingPosition start() {
        return new TrainingPosition(0, 0, 0);
    }
}
