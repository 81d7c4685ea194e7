package dev.acgan.api.spec;

import dev.acgan.api.spec.LayerSpec.Conv2D;
import dev.acgan.api.spec.LayerSpec.Dense;
import dev.acgan.api.spec.LayerSpec.Flatten;
import dev.acgan.api.spec.LayerSpec.MaxPool2D;
import dev.acgan.api.spec.LayerSpec.Relu;
import dev.acgan.api.spec.LayerSpec.Softmax;

/** Ready-made {@link ClassifierSpec}s: the LeNet that measures generated images. */
public final class ClassifierPresets {

    /** Name of the {@link #lenet} specs. */
    public static final String LENET = "lenet";
    /** Side of LeNet's convolution kernels. */
    public static final int LENET_KERNEL = 5;

    private ClassifierPresets() {}

    /** The standard LeNet-5 sizes (6 and 16 filters, dense 120 and 84) for images of that shape. */
    public static ClassifierSpec lenet(ImageShape image, int classes) {
        return lenet(image, 6, 16, 120, 84, classes);
    }

    /**
     * A LeNet-style classifier: conv 5x5 'valid' ({@code conv1} filters), ReLU, max-pool 2x2 stride 2;
     * conv 5x5 'valid' ({@code conv2} filters), ReLU, max-pool 2x2; flatten (NHWC order); dense
     * {@code dense1}, ReLU; dense {@code dense2}, ReLU (the {@link ClassifierSpec#OUT_FEATURES} output);
     * dense {@code classes} (the logits), softmax (the {@link NetworkSpec#OUT_CLASS} output). Kernels of
     * the ReLU layers start He-uniform, the logits' Glorot-uniform, biases zero. For 28x28 images the
     * maps are 24, 12, 8 and 4 pixels on a side.
     *
     * <p>Parameters: {@code classifier/conv1/kernel} {@code [5, 5, c, conv1]} and {@code .../bias}, then
     * {@code conv2}, {@code dense1}, {@code dense2} and {@code logits} alike.
     *
     * @throws SpecException when the image is too small for both convolutions and poolings
     */
    public static ClassifierSpec lenet(ImageShape image, int conv1, int conv2, int dense1, int dense2, int classes) {
        NetworkSpec net = NetworkSpec.builder()
                .add("conv1", conv(conv1), NetworkSpec.IMAGE)
                .then("conv1_relu", new Relu())
                .then("pool1", MaxPool2D.of(2, 2, Padding.VALID))
                .then("conv2", conv(conv2))
                .then("conv2_relu", new Relu())
                .then("pool2", MaxPool2D.of(2, 2, Padding.VALID))
                .then("flatten", new Flatten())
                .then("dense1", dense(dense1, Initializer.HE_UNIFORM))
                .then("dense1_relu", new Relu())
                .then("dense2", dense(dense2, Initializer.HE_UNIFORM))
                .then("dense2_relu", new Relu())
                .output(ClassifierSpec.OUT_FEATURES)
                .then("logits", dense(classes, Initializer.GLOROT_UNIFORM))
                .then("softmax", new Softmax())
                .output(NetworkSpec.OUT_CLASS)
                .build();
        ClassifierSpec spec = new ClassifierSpec(LENET, image, classes, net);
        spec.validate();
        return spec;
    }

    private static Conv2D conv(int filters) {
        return new Conv2D(
                filters,
                LENET_KERNEL,
                LENET_KERNEL,
                1,
                1,
                Padding.VALID,
                true,
                Initializer.HE_UNIFORM,
                Initializer.ZEROS);
    }

    private static Dense dense(int units, Initializer init) {
        return new Dense(units, true, init, Initializer.ZEROS);
    }
}
