package dev.acgan.api.model;

import dev.acgan.api.spec.ClassifierSpec;
import dev.acgan.api.tensor.ImageBatch;
import dev.acgan.api.tensor.NamedTensors;

/**
 * An image classifier ({@link ClassifierSpec}) and its optimizer state, compiled by one backend
 * ({@link dev.acgan.api.spi.GanBackend#createClassifier}).
 *
 * <p>The loss of a {@link ClassifierBatch} of {@code n} labelled images is the mean softmax
 * cross-entropy {@code (1/n) sum_i (logsumexp(z_i) - z_i[label_i])}, where {@code z} is the input of the
 * spec's {@code class} Softmax node (the logits): {@code -ln p[label]} computed without forming
 * {@code p}, so it is neither clipped nor loses precision for confident predictions. It is computed in
 * training mode (the batch's dropout masks, BatchNorm on batch statistics). A training step is one Adam
 * update ({@link dev.acgan.api.train.AdamConfig}'s formula) of every trainable parameter with the
 * gradient of that loss, then the BatchNorm moving statistics (if any) are updated from the same pass.
 *
 * <p>Prediction runs in inference mode (no dropout, moving statistics). Not thread-safe for training;
 * {@link #predict} may be called concurrently between steps. {@link #close()} releases all native memory.
 */
public interface ClassifierModel extends AutoCloseable {

    /** The compiled spec. */
    ClassifierSpec spec();

    /** Name of the backend that compiled it. */
    String backendName();

    /**
     * Class probabilities and feature vectors of images, in inference mode.
     *
     * @param images NHWC images of the spec's shape, in [-1, 1]; labels are ignored
     * @throws IllegalArgumentException for images of another shape or an empty batch
     */
    ClassifierOutput predict(ImageBatch images);

    /** The loss of the batch, without changing any state. */
    double loss(ClassifierBatch batch);

    /**
     * Gradients of the loss with respect to each trainable parameter, by canonical name (backends that
     * declare {@link dev.acgan.api.spi.Capability#GRADIENTS}).
     */
    NamedTensors gradients(ClassifierBatch batch);

    /**
     * One training step.
     *
     * @param batch        labelled images (labels in {@code [0, numClasses)}) and dropout masks
     * @param learningRate this step's learning rate; the other Adam settings are those the model was
     *                     created with (a schedule is the caller's: pass the same value for a constant rate)
     * @return the loss before the update
     */
    double train(ClassifierBatch batch, double learningRate);

    /**
     * The full state in canonical layout: every parameter and statistic, the Adam moments and the
     * update counter (see {@link StateNames}).
     */
    NamedTensors state();

    /**
     * Replaces the state. Must contain every parameter and statistic; Adam entries are optional (absent
     * means a fresh optimizer). A tensor of the wrong shape or an unknown name is rejected.
     */
    void loadState(NamedTensors state);

    /** Releases native memory; calling it twice is harmless, using the model afterwards fails clearly. */
    @Override
    void close();
}
