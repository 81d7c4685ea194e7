package dev.acgan.api.train;

import dev.acgan.api.checkpoint.Checkpoint;
import dev.acgan.api.model.GanModel;

/**
 * Runs GAN training: each step draws a real batch, updates the discriminator on it and on as many fakes,
 * then updates the generator. Backend-neutral: all randomness is drawn in Java from the config's seed,
 * and the compute happens in the backend's {@link GanModel}. Not thread-safe: drive it from one thread
 * (other threads may call {@link #requestStop()}).
 */
public interface Trainer extends AutoCloseable {

    /**
     * The model being trained (owned by the trainer; closed with it). A trainer may replace it between steps (at a
     * {@link LearningRateSchedule} milestone {@link GanTrainer} compiles it again), so ask for it where it is used
     * rather than keeping it.
     */
    GanModel model();

    /** The configuration. */
    TrainingConfig config();

    /** Where the run stands. */
    TrainingPosition position();

    /** Whether the configured epochs or step limit are reached. */
    boolean finished();

    /** Runs one step and notifies listeners. */
    StepResult step();

    /** Runs steps until {@link #finished()} or {@link #requestStop()}; returns the position reached. */
    TrainingPosition run();

    /** Asks {@link #run()} to return after the current step. Safe from any thread (e.g. a Ctrl-C hook). */
    void requestStop();

    /** Adds a listener. */
    void addListener(TrainingListener listener);

    /** A snapshot of the full training state, ready to {@link Checkpoint#write}. */
    Checkpoint checkpoint();

    /** Releases the model's native memory. */
    @Override
    void close();
}
