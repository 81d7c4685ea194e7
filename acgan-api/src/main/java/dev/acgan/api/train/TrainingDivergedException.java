package dev.acgan.api.train;

/**
 * A training step produced a loss or a parameter that is not a finite number (NaN or infinity): the
 * recipe diverged. The model's weights are no longer usable after this; the step's position was not
 * recorded, no listener saw it, and {@link Trainer#checkpoint()} refuses to capture such a state, so the
 * last checkpoint written before it stays the last good one.
 */
public final class TrainingDivergedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long step;

    /**
     * @param step the 1-based step whose result was not finite
     * @param what what was not finite, e.g. {@code "discriminator loss NaN"}
     */
    public TrainingDivergedException(long step, String what) {
        super("training diverged at step " + step + ": " + what);
        this.step = step;
    }

    /** The 1-based step whose result was not finite. */
    public long step() {
        return step;
    }
}
