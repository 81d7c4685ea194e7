package dev.acgan.api.model;

import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.tensor.ImageBatch;
import dev.acgan.api.tensor.NamedTensors;
import dev.acgan.api.tensor.Tensor;

/**
 * Both networks of a GAN and their optimizer state, compiled by one backend. This is the compute
 * contract a backend implements; the training loop around it ({@link dev.acgan.api.train.Trainer})
 * is backend-neutral. The discriminator step updates every discriminator parameter and no generator
 * parameter; the generator step updates every generator parameter (and BatchNorm moving statistics)
 * and no discriminator parameter.
 *
 * <p>Not thread-safe for training; {@link #generator()} and {@link #discriminator()} views are safe for
 * concurrent inference between steps. {@link #close()} releases all native memory.
 */
public interface GanModel extends AutoCloseable {

    /** The compiled spec. */
    ModelSpec spec();

    /** Name of the backend that compiled it. */
    String backendName();

    /** The precision its convolutions and matrix products compute in (never {@link Precision#AUTO}). */
    default Precision precision() {
        return Precision.FP32;
    }

    /** The generator in inference mode, sharing this model's weights. Closing the view does nothing. */
    Generator generator();

    /** The discriminator in inference mode, sharing this model's weights. Closing the view does nothing. */
    Discriminator discriminator();

    /**
     * Generates with the generator in training mode (batch statistics, moving statistics not updated)
     * or inference mode.
     *
     * @param masks generator dropout keep masks in training mode, or {@code null}
     */
    ImageBatch generate(Tensor noise, int[] labels, boolean training, java.util.Map<String, float[]> masks);

    /** The discriminator loss for the batch, without changing any state. */
    DiscriminatorLosses discriminatorLoss(DiscriminatorBatch batch);

    /** Gradients of the total discriminator loss with respect to each trainable discriminator parameter. */
    NamedTensors discriminatorGradients(DiscriminatorBatch batch);

    /** One Adam step on the discriminator; returns the loss before the update. */
    DiscriminatorLosses trainDiscriminator(DiscriminatorBatch batch);

    /** The generator loss for the batch, without changing any state. */
    GeneratorLosses generatorLoss(GeneratorBatch batch);

    /** Gradients of the total generator loss with respect to each trainable generator parameter. */
    NamedTensors generatorGradients(GeneratorBatch batch);

    /** One Adam step on the generator (and its BatchNorm statistics); returns the loss before the update. */
    GeneratorLosses trainGenerator(GeneratorBatch batch);

    /**
     * The full state in canonical layout: every parameter and statistic of both networks, the Adam
     * moments and the Adam step counters (see {@link StateNames}).
     */
    NamedTensors state();

    /**
     * The generator's parameters and statistics (the {@code generator/...} entries of {@link #state()}, as
     * {@link StateNames#generatorOnly} keeps them), copied out. The default copies the whole state; a
     * backend may override it to copy only the generator.
     */
    default NamedTensors generatorState() {
        return StateNames.generatorOnly(state());
    }

    /**
     * Replaces the state. Must contain every parameter and statistic; Adam entries are optional
     * (absent means a fresh optimizer). A tensor of the wrong shape or an unknown name is rejected.
     */
    void loadState(NamedTensors state);

    /** Releases native memory; calling it twice is harmless, using the model afterwards fails clearly. */
    @Override
    void close();
}
