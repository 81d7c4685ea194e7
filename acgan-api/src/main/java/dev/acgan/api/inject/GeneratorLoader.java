package dev.acgan.api.inject;

import dev.acgan.api.checkpoint.Checkpoint;
import dev.acgan.api.model.Generator;
import dev.acgan.api.model.Precision;
import dev.acgan.api.spi.GanBackend;
import java.nio.file.Path;

/**
 * Loads generators from checkpoints (training or generator-only) on one backend, with
 * {@link Checkpoint#generatorWeights()}: a training checkpoint's generator EMA where it has one.
 */
public final class GeneratorLoader {

    private final GanBackend backend;

    /** Loads on this backend. */
    public GeneratorLoader(GanBackend backend) {
        this.backend = backend;
    }

    /** The generator of the checkpoint in {@code dir}; the caller closes it. */
    public Generator load(Path dir) {
        return load(Checkpoint.read(dir));
    }

    /** The generator of a checkpoint already read, in fp32; the caller closes it. */
    public Generator load(Checkpoint checkpoint) {
        return backend.loadGenerator(checkpoint.metadata().spec(), checkpoint.generatorWeights());
    }

    /**
     * The generator of the checkpoint in {@code dir}, computing in {@code precision}; the caller closes it.
     *
     * @throws dev.acgan.api.spi.BackendException when the precision is not available on the backend
     */
    public Generator load(Path dir, Precision precision) {
        return load(Checkpoint.read(dir), precision);
    }

    /**
     * The generator of a checkpoint already read, computing in {@code precision} ({@link Precision#AUTO}:
     * bf16 where the backend can here); the caller closes it.
     *
     * @throws dev.acgan.api.spi.BackendException when the precision is not available on the backend
     */
    public Generator load(Checkpoint checkpoint, Precision precision) {
        return backend.loadGenerator(checkpoint.metadata().spec(), checkpoint.generatorWeights(), precision);
    }
}
