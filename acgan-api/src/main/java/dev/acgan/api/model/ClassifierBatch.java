package dev.acgan.api.model;

import dev.acgan.api.tensor.ImageBatch;
import java.util.Map;
import java.util.Objects;

/**
 * What one classifier training step sees: labelled images and, when the network has Dropout nodes, their
 * keep masks. The loss is the mean softmax cross-entropy of the batch (see {@link ClassifierModel}).
 *
 * @param images       NHWC images of the classifier's shape, each labelled with its true class
 * @param dropoutMasks per Dropout node, a keep mask of {@code n * nodeSize} values (0 or 1/(1-rate)),
 *                     NHWC per example (see {@link dev.acgan.api.train.DropoutMasks}); {@code null}
 *                     disables dropout
 */
public record ClassifierBatch(ImageBatch images, Map<String, float[]> dropoutMasks) {

    /** Checks that the images are present. */
    public ClassifierBatch {
        Objects.requireNonNull(images, "images");
    }

    /** Labelled images without dropout. */
    public static ClassifierBatch of(ImageBatch images) {
        return new ClassifierBatch(images, null);
    }

    /** Number of images. */
    public int count() {
        return images.count();
    }
}
