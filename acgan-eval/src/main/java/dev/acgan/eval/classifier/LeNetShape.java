package dev.acgan.eval.classifier;

import dev.acgan.api.spec.ClassifierPresets;
import dev.acgan.api.spec.ClassifierSpec;
import dev.acgan.api.spec.ImageShape;

/**
 * The sizes of a LeNet classifier, as its file stores them; {@link #spec()} is the network
 * ({@link ClassifierPresets#lenet}): conv 5x5 'valid' with {@code conv1} filters, ReLU, max-pool 2x2;
 * conv 5x5 with {@code conv2} filters, ReLU, max-pool 2x2; flatten (NHWC order); dense {@code dense1} +
 * ReLU; dense {@code dense2} + ReLU (the feature layer); dense {@code classes} (logits), softmax.
 *
 * @param height   input height
 * @param width    input width
 * @param channels input channels
 * @param conv1    filters of the first convolution
 * @param conv2    filters of the second convolution
 * @param dense1   units of the first dense layer
 * @param dense2   units of the second dense layer: the length of a feature vector
 * @param classes  number of classes
 */
public record LeNetShape(
        int height, int width, int channels, int conv1, int conv2, int dense1, int dense2, int classes) {

    /** Checks that the sizes make a valid network (e.g. 28x28 gives maps of 24, 12, 8 and 4 pixels). */
    public LeNetShape {
        spec(height, width, channels, conv1, conv2, dense1, dense2, classes);
    }

    /** The classifier of the samples: 28x28x1 input, 6 and 16 filters, dense 120 and 84, {@code classes} out. */
    public static LeNetShape standard(int classes) {
        return new LeNetShape(28, 28, 1, 6, 16, 120, 84, classes);
    }

    /** The network, in the spec language the backends compile. */
    public ClassifierSpec spec() {
        return spec(height, width, channels, conv1, conv2, dense1, dense2, classes);
    }

    private static ClassifierSpec spec(int h, int w, int c, int c1, int c2, int d1, int d2, int k) {
        if (h < 1 || w < 1 || c < 1) {
            throw new IllegalArgumentException("invalid LeNet input " + h + "x" + w + "x" + c);
        }
        return ClassifierPresets.lenet(new ImageShape(h, w, c), c1, c2, d1, d2, k);
    }

    /** The input image shape. */
    public ImageShape input() {
        return new ImageShape(height, width, channels);
    }

    /** Values per input image. */
    public int inputSize() {
        return height * width * channels;
    }

    @Override
    public String toString() {
        return height + "x" + width + "x" + channels + " -> conv5x5(" + conv1 + ")+pool -> conv5x5(" + conv2
                + ")+pool -> dense(" + dense1 + ") -> dense(" + dense2 + ") -> " + classes + " classes";
    }
}
