package dev.acgan.samples.eval;

import dev.acgan.api.spec.ImageShape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The sizes of a {@link LeNet}: input {@code height x width x channels}, conv 5x5 ('valid', stride 1)
 * with {@code conv1} filters, ReLU, max-pool 2x2; conv 5x5 with {@code conv2} filters, ReLU, max-pool 2x2;
 * flatten (NHWC order); dense {@code dense1} + ReLU; dense {@code dense2} + ReLU (the feature layer);
 * dense {@code classes} (logits), softmax.
 *
 * <p>Height and width must leave even sizes for both poolings and at least one pixel at the end:
 * 28x28 gives 24, 12, 8, 4 (a 4x4x{@code conv2} feature map); 16x16 gives 12, 6, 2, 1.
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
public record LeNetShape(int height, int width, int channels, int conv1, int conv2, int dense1, int dense2,
                         int classes) {

    /** Side of the convolution kernels. */
    public static final int KERNEL = 5;

    /** Checks that the sizes fit together. */
    public LeNetShape {
        if (height < 1 || width < 1 || channels < 1 || conv1 < 1 || conv2 < 1 || dense1 < 1 || dense2 < 1
                || classes < 2) {
            throw new IllegalArgumentException("invalid LeNet sizes " + describe(height, width, channels, conv1,
                    conv2, dense1, dense2, classes));
        }
        for (int side : new int[] {height, width}) {
            int c1 = side - KERNEL + 1;
            int c2 = c1 / 2 - KERNEL + 1;
            if (c1 < 2 || c1 % 2 != 0 || c2 < 2 || c2 % 2 != 0) {
                throw new IllegalArgumentException("a LeNet needs input sides that stay even through both 5x5 "
                        + "convolutions and 2x2 poolings (e.g. 16 or 28), got " + height + "x" + width);
            }
        }
    }

    /** The classifier of the samples: 28x28x1 input, 6 and 16 filters, dense 120 and 84, {@code classes} out. */
    public static LeNetShape standard(int classes) {
        return new LeNetShape(28, 28, 1, 6, 16, 120, 84, classes);
    }

    /** The input image shape. */
    public ImageShape input() {
        return new ImageShape(height, width, channels);
    }

    /** Values per input image. */
    public int inputSize() {
        return height * width * channels;
    }

    /** Height of the first convolution's output. */
    int h1() {
        return height - KERNEL + 1;
    }

    /** Width of the first convolution's output. */
    int w1() {
        return width - KERNEL + 1;
    }

    /** Height of the second convolution's output. */
    int h2() {
        return h1() / 2 - KERNEL + 1;
    }

    /** Width of the second convolution's output. */
    int w2() {
        return w1() / 2 - KERNEL + 1;
    }

    /** Length of the flattened second feature map. */
    public int flat() {
        return h2() / 2 * (w2() / 2) * conv2;
    }

    /** The parameters in their canonical order: the order of the flat weight array of a {@link LeNet}. */
    public List<Param> params() {
        List<Param> out = new ArrayList<>();
        int[] offset = {0};
        java.util.function.BiConsumer<String, int[]> add = (name, shape) -> {
            Param p = new Param(name, shape, offset[0]);
            out.add(p);
            offset[0] += p.size();
        };
        add.accept("conv1/kernel", new int[] {KERNEL, KERNEL, channels, conv1});
        add.accept("conv1/bias", new int[] {conv1});
        add.accept("conv2/kernel", new int[] {KERNEL, KERNEL, conv1, conv2});
        add.accept("conv2/bias", new int[] {conv2});
        add.accept("dense1/kernel", new int[] {flat(), dense1});
        add.accept("dense1/bias", new int[] {dense1});
        add.accept("dense2/kernel", new int[] {dense1, dense2});
        add.accept("dense2/bias", new int[] {dense2});
        add.accept("logits/kernel", new int[] {dense2, classes});
        add.accept("logits/bias", new int[] {classes});
        return Collections.unmodifiableList(out);
    }

    /** Total number of parameters. */
    public int parameterCount() {
        List<Param> ps = params();
        Param last = ps.get(ps.size() - 1);
        return last.offset() + last.size();
    }

    @Override
    public String toString() {
        return describe(height, width, channels, conv1, conv2, dense1, dense2, classes);
    }

    private static String describe(int h, int w, int c, int c1, int c2, int d1, int d2, int k) {
        return h + "x" + w + "x" + c + " -> conv5x5(" + c1 + ")+pool -> conv5x5(" + c2 + ")+pool -> dense(" + d1
                + ") -> dense(" + d2 + ") -> " + k + " classes";
    }

    /**
     * One parameter tensor: its name, shape (convolution kernels {@code [kH, kW, in, out]}, dense kernels
     * {@code [in, out]}) and position in the flat parameter array.
     *
     * @param name   e.g. {@code conv1/kernel}
     * @param shape  dimensions
     * @param offset index of its first value in the flat array
     */
    public record Param(String name, int[] shape, int offset) {
        /** Number of values. */
        public int size() {
            int n = 1;
            for (int d : shape) {
                n *= d;
            }
            return n;
        }

        /** Inputs per output unit (kernels), for initialisation. */
        int fanIn() {
            int n = 1;
            for (int i = 0; i < shape.length - 1; i++) {
                n *= shape[i];
            }
            return n;
        }

        /** Whether this is a bias vector. */
        boolean bias() {
            return shape.length == 1;
        }
    }
}
