package dev.acgan.api.inject;

import dev.acgan.api.checkpoint.Checkpoint;
import dev.acgan.api.data.DatasetSource;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spi.GanBackend;
import dev.acgan.api.train.GanTrainer;
import dev.acgan.api.train.TrainingConfig;
import java.nio.file.Path;

/** Creates trainers on one backend. Usable with or without Guice. */
public final class TrainerFactory {

    private final GanBackend backend;

    /** Trainers on this backend. */
    public TrainerFactory(GanBackend backend) {
        this.backend = backend;
    }

    /** The backend trainers run on. */
    public GanBackend backend() {
        return backend;
    }

    /** A new run. */
    public GanTrainer create(ModelSpec spec, TrainingConfig config, DatasetSource data) {
        return GanTrainer.create(backend, spec, config, data);
    }

    /** Continues the run saved in a training checkpoint directory, with its own configuration. */
    public GanTrainer resume(Path checkpointDir, DatasetSource data) {
        return resume(Checkpoint.read(checkpointDir), null, data);
    }

    /**
     * Continues a run from a training checkpoint with another configuration ({@code null}: the
     * checkpoint's), e.g. a later step limit. Changing the seed or batch size makes the continuation
     * differ from an uninterrupted run.
     */
    public GanTrainer resume(Checkpoint checkpoint, TrainingConfig config, DatasetSource data) {
        return GanTrainer.resume(backend, checkpoint, config, data);
    }
}
