package dev.acgan.samples.config;

/**
 * How long a run trains, from {@code --epochs} and {@code --steps}:
 * <ul>
 *   <li>neither: {@value TrainSettings#QUICK_STEPS} steps (the quick default run);</li>
 *   <li>only {@code --steps N}: N steps, over as many epochs as that takes;</li>
 *   <li>only {@code --epochs E}: E full epochs, no step limit;</li>
 *   <li>both: whichever ends first.</li>
 * </ul>
 *
 * @param epochs   epochs for {@link dev.acgan.api.train.TrainingConfig#epochs()}
 * @param maxSteps step limit for {@link dev.acgan.api.train.TrainingConfig#maxSteps()} (0: none)
 */
public record RunLength(int epochs, long maxSteps) {

    /** The run length for the options given ({@code null}: not given) and batches per epoch. */
    public static RunLength of(Integer epochs, Long steps, int batchesPerEpoch) {
        if (epochs == null && steps == null) {
            steps = TrainSettings.QUICK_STEPS;
        }
        int e = epochs != null
                ? epochs
                : (int) Math.max(1, Math.min(Integer.MAX_VALUE, (steps + batchesPerEpoch - 1) / batchesPerEpoch));
        return new RunLength(e, steps == null ? 0 : steps);
    }

    /** The step the run ends at. */
    public long endStep(int batchesPerEpoch) {
        long byEpochs = (long) epochs * batchesPerEpoch;
        return maxSteps > 0 ? Math.min(maxSteps, byEpochs) : byEpochs;
    }
}
