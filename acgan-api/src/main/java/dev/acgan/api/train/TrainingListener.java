package dev.acgan.api.train;

/**
 * Observes a training run: progress output, metrics files, sample grids, checkpoints, live web views.
 * Called on the training thread between steps, so a listener may read the model safely; a listener
 * that throws stops the run with that exception.
 */
public interface TrainingListener {

    /** Before the first step of {@link Trainer#run()}. */
    default void onStart(Trainer trainer) {}

    /** After every step. */
    default void onStep(Trainer trainer, StepResult result) {}

    /** After the last step of an epoch. */
    default void onEpochEnd(Trainer trainer, EpochResult result) {}

    /** When {@link Trainer#run()} ends, normally or by {@link Trainer#requestStop()}. */
    default void onFinish(Trainer trainer) {}
}
