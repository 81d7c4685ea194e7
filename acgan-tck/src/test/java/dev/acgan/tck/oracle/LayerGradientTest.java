package dev.acgan.tck.oracle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.api.spec.InferredNetwork;
import dev.acgan.api.spec.Initializer;
import dev.acgan.api.spec.LayerSpec;
import dev.acgan.api.spec.LayerSpec.BatchNorm;
import dev.acgan.api.spec.LayerSpec.Concat;
import dev.acgan.api.spec.LayerSpec.Conv2D;
import dev.acgan.api.spec.LayerSpec.Conv2DTranspose;
import dev.acgan.api.spec.LayerSpec.Dense;
import dev.acgan.api.spec.LayerSpec.Dropout;
import dev.acgan.api.spec.LayerSpec.Embedding;
import dev.acgan.api.spec.LayerSpec.Flatten;
import dev.acgan.api.spec.LayerSpec.LeakyRelu;
import dev.acgan.api.spec.LayerSpec.MaxPool2D;
import dev.acgan.api.spec.LayerSpec.Multiply;
import dev.acgan.api.spec.LayerSpec.OneHot;
import dev.acgan.api.spec.LayerSpec.Relu;
import dev.acgan.api.spec.LayerSpec.RepeatSpatial;
import dev.acgan.api.spec.LayerSpec.Reshape;
import dev.acgan.api.spec.LayerSpec.Sigmoid;
import dev.acgan.api.spec.LayerSpec.Softmax;
import dev.acgan.api.spec.LayerSpec.Tanh;
import dev.acgan.api.spec.LayerSpec.UpSampling2D;
import dev.acgan.api.spec.NetworkSpec;
import dev.acgan.api.spec.Padding;
import dev.acgan.api.spec.ParameterSpec;
import dev.acgan.api.spec.ShapeInference;
import dev.acgan.api.train.DropoutMasks;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Finite-difference checks of every layer's backward pass (through {@link GraphExecutor}), on tiny
 * random inputs in double precision. The scalar checked is {@code sum(r * output)} for a random
 * {@code r}; every parameter element and every input element is perturbed. Tolerance: see
 * {@link FiniteDifferences} (1e-6, relative above magnitude 1, absolute below).
 */
class LayerGradientTest {

    private static final int BATCH = 3;

    /** One layer applied to input "x" of the given per-example shape. */
    private static void checkLayer(LayerSpec layer, int... xShape) {
        check(NetworkSpec.builder().add("layer", layer, "x").build(), Map.of("x", xShape), true, false);
    }

    /**
     * Builds the network, draws parameters, inputs, labels (and masks), and checks the analytic gradients
     * of {@code sum(r * lastNodeOutput)} against central differences.
     *
     * @return number of derivatives checked
     */
    private static int check(NetworkSpec spec, Map<String, int[]> inputShapes, boolean training, boolean masks) {
        InferredNetwork net = ShapeInference.infer("t", spec, inputShapes);
        Random rnd = new Random(42);
        Map<String, double[]> params = new HashMap<>();
        for (ParameterSpec p : net.parameters()) {
            double[] v = new double[p.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = p.name().endsWith("variance") || p.name().endsWith("gamma")
                        ? 0.5 + rnd.nextDouble()
                        : rnd.nextDouble() * 2 - 1;
            }
            params.put(p.name(), v);
        }
        Map<String, DoubleTensor> inputs = new LinkedHashMap<>();
        int[] labels = null;
        for (Map.Entry<String, int[]> e : net.inputs().entrySet()) {
            if (e.getKey().equals(NetworkSpec.LABEL)) {
                labels = new int[BATCH];
                for (int i = 0; i < BATCH; i++) {
                    labels[i] = i % 4;
                }
                continue;
            }
            double[] v = new double[BATCH * DoubleTensor.sizeOf(e.getValue())];
            for (int i = 0; i < v.length; i++) {
                // Magnitudes in [0.1, 1] keep ReLU kinks far from the perturbation.
                v[i] = (rnd.nextBoolean() ? 1 : -1) * (0.1 + 0.9 * rnd.nextDouble());
            }
            inputs.put(e.getKey(), DoubleTensor.batch(BATCH, e.getValue(), v));
        }
        Map<String, float[]> m = masks ? DropoutMasks.draw(net, BATCH, new SplittableRandom(7)) : null;
        GraphExecutor exec = new GraphExecutor(net);
        String last = net.nodes().get(net.nodes().size() - 1).name();
        GraphExecutor.ForwardPass pass = exec.forward(inputs, labels, params, training, m);
        DoubleTensor out = pass.value(last);
        double[] r = new double[out.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = rnd.nextDouble() * 2 - 1;
        }
        GraphExecutor.Gradients g = exec.backward(pass, Map.of(last, new DoubleTensor(out.shape(), r)));
        int[] lab = labels;
        java.util.function.DoubleSupplier f = () -> {
            double[] y =
                    exec.forward(inputs, lab, params, training, m).value(last).data();
            double s = 0;
            for (int i = 0; i < y.length; i++) {
                s += r[i] * y[i];
            }
            return s;
        };
        int checked = 0;
        for (ParameterSpec p : net.trainableParameters()) {
            checked += FiniteDifferences.checkAll(
                    p.name(), f, params.get(p.name()), g.parameters().get(p.name()));
        }
        for (Map.Entry<String, DoubleTensor> in : inputs.entrySet()) {
            checked += FiniteDifferences.checkAll(
                    "input " + in.getKey(),
                    f,
                    in.getValue().data(),
                    g.inputs().get(in.getKey()).data());
        }
        assertTrue(checked > 0);
        return checked;
    }

    @Test
    void dense() {
        checkLayer(Dense.of(3), 4);
        checkLayer(new Dense(2, false, Initializer.GLOROT_UNIFORM, Initializer.ZEROS), 5);
    }

    @Test
    void embedding() {
        NetworkSpec spec = NetworkSpec.builder()
                .add("emb", new Embedding(4, 3, Initializer.GLOROT_NORMAL), NetworkSpec.LABEL)
                .build();
        int n = check(spec, Map.of(NetworkSpec.LABEL, new int[0]), true, false);
        assertEquals(12, n);
    }

    @Test
    void embeddingForwardLooksUpRows() {
        double[] table = {0, 1, 10, 11, 20, 21};
        DoubleTensor y = LayerOps.embedding(new int[] {2, 0, 2}, table, 3, 2);
        assertArrayEquals(new double[] {20, 21, 0, 1, 20, 21}, y.data());
    }

    @Test
    void oneHotFeedingDense() {
        NetworkSpec spec = NetworkSpec.builder()
                .add("onehot", new OneHot(4), NetworkSpec.LABEL)
                .then("dense", Dense.of(2))
                .build();
        check(spec, Map.of(NetworkSpec.LABEL, new int[0]), true, false);
        assertArrayEquals(
                new double[] {0, 0, 1, 1, 0, 0},
                LayerOps.oneHot(new int[] {2, 0}, 3).data());
    }

    @Test
    void multiplyOfThree() {
        NetworkSpec spec =
                NetworkSpec.builder().add("m", new Multiply(), "a", "b", "c").build();
        check(spec, Map.of("a", new int[] {2, 2, 3}, "b", new int[] {2, 2, 3}, "c", new int[] {2, 2, 3}), true, false);
    }

    @Test
    void concatLastAxis() {
        NetworkSpec spec =
                NetworkSpec.builder().add("c", new Concat(), "a", "b").build();
        check(spec, Map.of("a", new int[] {3, 2, 2}, "b", new int[] {3, 2, 3}), true, false);
        DoubleTensor a = new DoubleTensor(new int[] {1, 2, 1}, new double[] {1, 2});
        DoubleTensor b = new DoubleTensor(new int[] {1, 2, 2}, new double[] {3, 4, 5, 6});
        assertArrayEquals(
                new double[] {1, 3, 4, 2, 5, 6}, LayerOps.concat(List.of(a, b)).data());
    }

    @Test
    void reshapeFlattenRepeat() {
        checkLayer(new Reshape(List.of(3, 4)), 2, 3, 2);
        checkLayer(new Flatten(), 2, 3, 2);
        checkLayer(new RepeatSpatial(2, 3), 3);
    }

    @Test
    void conv2dSameStride2OddSizes() {
        checkLayer(Conv2D.of(3, 3, 2, Padding.SAME), 5, 7, 2);
    }

    @Test
    void conv2dVariants() {
        checkLayer(Conv2D.of(2, 4, 2, Padding.SAME), 5, 6, 2);
        checkLayer(Conv2D.of(2, 2, 1, Padding.SAME), 3, 3, 1);
        checkLayer(
                new Conv2D(2, 3, 2, 2, 1, Padding.VALID, true, Initializer.GLOROT_UNIFORM, Initializer.ZEROS), 6, 5, 2);
        checkLayer(
                new Conv2D(3, 3, 3, 2, 3, Padding.SAME, false, Initializer.GLOROT_UNIFORM, Initializer.ZEROS), 5, 7, 2);
    }

    @Test
    void conv2dTransposeSameStride2() {
        checkLayer(Conv2DTranspose.of(3, 3, 2, Padding.SAME), 3, 4, 2);
        checkLayer(Conv2DTranspose.of(2, 5, 2, Padding.SAME), 2, 3, 2);
        checkLayer(Conv2DTranspose.of(2, 4, 2, Padding.SAME), 2, 3, 2);
    }

    @Test
    void conv2dTransposeValidStride1() {
        checkLayer(Conv2DTranspose.of(2, 3, 1, Padding.VALID), 3, 3, 2);
    }

    @Test
    void conv2dTransposeOtherVariants() {
        checkLayer(Conv2DTranspose.of(1, 3, 2, Padding.VALID), 2, 2, 1);
        checkLayer(
                new Conv2DTranspose(2, 3, 2, 2, 1, Padding.SAME, false, Initializer.GLOROT_UNIFORM, Initializer.ZEROS),
                3,
                2,
                2);
    }

    @Test
    void maxPool2dVariants() {
        checkLayer(MaxPool2D.of(2, 2, Padding.VALID), 4, 6, 2);
        checkLayer(MaxPool2D.of(2, 2, Padding.VALID), 5, 7, 2);
        checkLayer(MaxPool2D.of(2, 2, Padding.SAME), 5, 7, 2);
        // overlapping windows: one input can be the maximum of several windows
        checkLayer(MaxPool2D.of(3, 2, Padding.SAME), 5, 6, 3);
        checkLayer(new MaxPool2D(3, 2, 1, 2, Padding.VALID), 4, 5, 2);
    }

    @Test
    void upSampling2dVariants() {
        checkLayer(UpSampling2D.of(2), 3, 2, 2);
        checkLayer(new UpSampling2D(1, 2), 3, 2, 3);
        checkLayer(new UpSampling2D(3, 1), 2, 3, 1);
        checkLayer(new UpSampling2D(2, 3), 2, 2, 2);
    }

    @Test
    void upSamplingBetweenConvolutions() {
        // the acgan-hq pattern: up-sampling, then a stride-1 'same' convolution
        NetworkSpec spec = NetworkSpec.builder()
                .add("conv1", Conv2D.of(3, 2, 1, Padding.SAME), "x")
                .then("up", UpSampling2D.of())
                .then("conv2", Conv2D.of(2, 3, 1, Padding.SAME))
                .then("tanh", new Tanh())
                .build();
        check(spec, Map.of("x", new int[] {3, 2, 2}), true, false);
    }

    @Test
    void maxPoolBetweenConvolutionAndDense() {
        NetworkSpec spec = NetworkSpec.builder()
                .add("conv", Conv2D.of(3, 3, 1, Padding.SAME), "x")
                .then("pool", MaxPool2D.of(2, 2, Padding.SAME))
                .then("relu", new Relu())
                .then("flatten", new Flatten())
                .then("dense", Dense.of(2))
                .build();
        check(spec, Map.of("x", new int[] {5, 5, 2}), true, false);
    }

    @Test
    void batchNormTrainingMode() {
        checkLayer(new BatchNorm(0.9, 1e-3), 3, 3, 2);
        checkLayer(new BatchNorm(0.99, 1e-3), 4);
    }

    @Test
    void batchNormInferenceMode() {
        check(
                NetworkSpec.builder().add("bn", new BatchNorm(0.9, 1e-3), "x").build(),
                Map.of("x", new int[] {2, 2, 3}),
                false,
                false);
    }

    @Test
    void activations() {
        checkLayer(new Relu(), 2, 3, 2);
        checkLayer(new LeakyRelu(0.2), 2, 3, 2);
        checkLayer(new Tanh(), 5);
        checkLayer(new Sigmoid(), 2, 2, 2);
    }

    @Test
    void softmax() {
        checkLayer(new Softmax(), 4);
        checkLayer(new Softmax(), 2, 2, 3);
        DoubleTensor y = LayerOps.softmax(new DoubleTensor(new int[] {1, 3}, new double[] {1000, 1001, 1002}));
        double s = Math.exp(0) + Math.exp(1) + Math.exp(2);
        assertArrayEquals(new double[] {1 / s, Math.E / s, Math.exp(2) / s}, y.data(), 1e-15);
    }

    @Test
    void dropoutWithMasks() {
        NetworkSpec spec = NetworkSpec.builder()
                .add("drop", new Dropout(0.5), "x")
                .then("tanh", new Tanh())
                .build();
        check(spec, Map.of("x", new int[] {2, 2, 2}), true, true);
    }

    @Test
    void dropoutIsIdentityWithoutMasksOrInInference() {
        InferredNetwork net = ShapeInference.infer(
                "t", NetworkSpec.builder().add("drop", new Dropout(0.5), "x").build(), Map.of("x", new int[] {4}));
        GraphExecutor exec = new GraphExecutor(net);
        DoubleTensor x = DoubleTensor.batch(1, new int[] {4}, new double[] {1, 2, 3, 4});
        Map<String, float[]> mask = Map.of("drop", new float[] {0, 2, 0, 2});
        assertArrayEquals(
                new double[] {1, 2, 3, 4},
                exec.forward(Map.of("x", x), null, Map.of(), true, null)
                        .value("drop")
                        .data());
        assertArrayEquals(
                new double[] {1, 2, 3, 4},
                exec.forward(Map.of("x", x), null, Map.of(), false, mask)
                        .value("drop")
                        .data());
        assertArrayEquals(
                new double[] {0, 4, 0, 8},
                exec.forward(Map.of("x", x), null, Map.of(), true, mask)
                        .value("drop")
                        .data());
    }

    @Test
    void fanOutSumsGradients() {
        NetworkSpec spec = NetworkSpec.builder()
                .add("a", Dense.of(4), "x")
                .then("t", new Tanh())
                .add("s", new Sigmoid(), "a")
                .add("c", new Concat(), "a", "t", "s")
                .add("m", new Multiply(), "c", "c")
                .then("bn", new BatchNorm(0.9, 1e-3))
                .then("out", Dense.of(2))
                .build();
        check(spec, Map.of("x", new int[] {3}), true, false);
    }
}
