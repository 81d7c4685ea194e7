package dev.acgan.api.spec;

import java.util.Objects;

/**
 * A complete, backend-neutral description of an image classifier, in the same spec language as the
 * GANs: a network from the {@link NetworkSpec#IMAGE} input ({@code [h, w, c]}, NHWC floats in [-1, 1])
 * to two outputs,
 * <ul>
 *   <li>{@link NetworkSpec#OUT_CLASS}: class probabilities {@code [numClasses]}, which must be a
 *       {@link LayerSpec.Softmax} node (its input is the logits the training loss is computed from, see
 *       {@link dev.acgan.api.model.ClassifierModel});</li>
 *   <li>{@link #OUT_FEATURES}: a feature vector {@code [d]} (for FID and diversity measures, usually the
 *       penultimate layer).</li>
 * </ul>
 * Parameters are named {@code classifier/<node>/<param>} ({@link #ROLE}). Backends compile it with
 * {@link dev.acgan.api.spi.GanBackend#createClassifier}; {@link ClassifierPresets} has LeNet.
 *
 * @param name       a label such as {@code lenet}
 * @param image      input image shape
 * @param numClasses number of classes; at least 2
 * @param network    the network
 */
public record ClassifierSpec(String name, ImageShape image, int numClasses, NetworkSpec network) {

    /** The parameter-name prefix (the network's role). */
    public static final String ROLE = "classifier";
    /** Output role: the feature vector. */
    public static final String OUT_FEATURES = "features";

    /** Checks the scalar fields; the graph is checked by {@link #validate()}. */
    public ClassifierSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(network, "network");
        if (numClasses < 2) {
            throw new SpecException("a classifier needs at least 2 classes, got " + numClasses);
        }
    }

    /** Infers all shapes and parameters; throws {@link SpecException} naming the offending node. */
    public InferredNetwork validate() {
        return ShapeInference.infer(this);
    }
}
