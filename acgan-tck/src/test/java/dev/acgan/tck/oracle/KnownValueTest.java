package dev.acgan.tck.oracle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.acgan.api.model.DiscriminatorBatch;
import dev.acgan.api.model.DiscriminatorLosses;
import dev.acgan.api.model.StateNames;
import dev.acgan.api.spec.GanKind;
import dev.acgan.api.spec.ImageShape;
import dev.acgan.api.spec.InferredNetwork;
import dev.acgan.api.spec.LayerSpec.BatchNorm;
import dev.acgan.api.spec.LayerSpec.Dense;
import dev.acgan.api.spec.LayerSpec.Flatten;
import dev.acgan.api.spec.LayerSpec.Reshape;
import dev.acgan.api.spec.LayerSpec.Sigmoid;
import dev.acgan.api.spec.LayerSpec.Tanh;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spec.NetworkSpec;
import dev.acgan.api.spec.NoiseDistribution;
import dev.acgan.api.spec.Padding;
import dev.acgan.api.spec.ParameterInitializer;
import dev.acgan.api.spec.ShapeInference;
import dev.acgan.api.tensor.ImageBatch;
import dev.acgan.api.tensor.NamedTensors;
import dev.acgan.api.tensor.Tensor;
import dev.acgan.api.train.AdamConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Checks against numbers worked out by hand (or by an independent direct formulation). */
class KnownValueTest {

    // ------------------------------------------------------------------------------ losses

    /**
     * A 1x1x1 vanilla GAN whose discriminator is {@code p = sigmoid(w*x + b)}: one real image x = 0.5 and
     * one fake x = -0.5, real target 0.95 (one-sided label smoothing), fake target 0.
     */
    private static ReferenceModel oneWeightModel(double w, double b) {
        NetworkSpec g = NetworkSpec.builder()
                .add("dense", Dense.of(1), NetworkSpec.NOISE)
                .then("tanh", new Tanh())
                .then("reshape", new Reshape(List.of(1, 1, 1)))
                .output(NetworkSpec.OUT_IMAGE)
                .build();
        NetworkSpec d = NetworkSpec.builder()
                .add("flatten", new Flatten(), NetworkSpec.IMAGE)
                .then("validity", Dense.of(1))
                .then("sigmoid", new Sigmoid())
                .output(NetworkSpec.OUT_VALIDITY)
                .build();
        ModelSpec spec = new ModelSpec(
                "one-weight", GanKind.GAN, new ImageShape(1, 1, 1), 1, 1, NoiseDistribution.UNIFORM, g, d);
        Map<String, Tensor> state = new LinkedHashMap<>(
                ParameterInitializer.initialize(spec.validate(), 1).asMap());
        state.put("discriminator/validity/kernel", new Tensor(new int[] {1, 1}, new float[] {(float) w}));
        state.put("discriminator/validity/bias", new Tensor(new int[] {1}, new float[] {(float) b}));
        return new ReferenceModel(
                spec, AdamConfig.acganDefaults(), AdamConfig.acganDefaults(), new NamedTensors(state));
    }

    private static DiscriminatorBatch oneWeightBatch() {
        return new DiscriminatorBatch(
                ImageBatch.nhwc(1, 1, 1, 1, new float[] {0.5f}, null),
                ImageBatch.nhwc(1, 1, 1, 1, new float[] {-0.5f}, null),
                0.95f,
                0f,
                1f,
                1f,
                null);
    }

    @Test
    void binaryCrossEntropyWithLabelSmoothing() {
        try (ReferenceModel model = oneWeightModel(2, 0.125)) {
            // p_real = sigmoid(1.125) = 0.7549149868676283, p_fake = sigmoid(-0.875) = 0.29421497216298875, N = 2.
            // The target is the float 0.95f = 0.949999988079071 (the batch carries float targets):
            // realAdv = -(t ln p_r + (1-t) ln(1-p_r)) / 2, fakeAdv = -ln(1-p_f) / 2.
            DiscriminatorLosses l = model.discriminatorLoss(oneWeightBatch());
            assertEquals(0.16870007482967994, l.realAdversarial(), 1e-15);
            assertEquals(0.17422229050252785, l.fakeAdversarial(), 1e-15);
            assertEquals(0, l.realAuxiliary());
            assertEquals(0, l.fakeAuxiliary());
            assertEquals(0.16870007482967994 + 0.17422229050252785, l.total(), 1e-15);
            // dL/dz = (p - t)/N for sigmoid + BCE: dw = ((p_r-t)*0.5 + p_f*(-0.5))/2, db = ((p_r-t) + p_f)/2.
            Map<String, double[]> grads = model.discriminatorGradientsExact(oneWeightBatch());
            assertEquals(-0.12232499334360789, grads.get("discriminator/validity/kernel")[0], 1e-15);
            assertEquals(0.04956498547577298, grads.get("discriminator/validity/bias")[0], 1e-15);
        }
    }

    @Test
    void clippedProbabilitiesHaveClippedLossAndNoGradient() {
        try (ReferenceModel model = oneWeightModel(40, 0)) {
            // z = +-20: p_real = 1 - 2.06e-9 clips to 1 - 1e-7, p_fake = 2.06e-9 clips to 1e-7.
            // realAdv = -(t ln(1-1e-7) + (1-t) ln(1e-7)) / 2 with t = 0.95f, fakeAdv = -ln(1 - 1e-7) / 2.
            // (1e-10: in double, 1 - (1 - 1e-7) differs from 1e-7 by 5e-10 relative.)
            DiscriminatorLosses l = model.discriminatorLoss(oneWeightBatch());
            assertEquals(0.40295253484529636, l.realAdversarial(), 1e-10);
            assertEquals(5.000000247368237e-08, l.fakeAdversarial(), 1e-18);
            // Outside the clip range clip_by_value passes no gradient.
            Map<String, double[]> grads = model.discriminatorGradientsExact(oneWeightBatch());
            assertEquals(0.0, grads.get("discriminator/validity/kernel")[0]);
            assertEquals(0.0, grads.get("discriminator/validity/bias")[0]);
        }
    }

    @Test
    void lossHelpersAtTheClipBoundaries() {
        assertEquals(Losses.EPSILON, Losses.clip(0));
        assertEquals(1 - Losses.EPSILON, Losses.clip(1));
        assertEquals(1, Losses.clipGradient(Losses.EPSILON));
        assertEquals(0, Losses.clipGradient(Losses.EPSILON / 2));
        assertEquals(
                -Math.log(0.25), Losses.sparseCategoricalCrossEntropy(new double[] {0.5, 0.25, 0.25}, 0, 3, 1), 1e-15);
        double[] dq = new double[3];
        Losses.addSparseCategoricalCrossEntropyGradient(new double[] {0.5, 0.25, 0.25}, 0, 3, 1, 2.0, dq);
        assertArrayEquals(new double[] {0, -8, 0}, dq, 1e-15);
    }

    // ------------------------------------------------------------------------------ Adam

    @Test
    void adamStepsMatchHandComputation() {
        AdamConfig cfg = new AdamConfig(0.1, 0.9, 0.999, 1e-7);
        double[] p = {1.0};
        double[] m = {0};
        double[] v = {0};
        // t=1, g=0.5: m=0.05, v=0.00025, lr_t=0.1*sqrt(0.001)/0.1=0.0316227766, p=1-lr_t*0.05/(sqrt(v)+1e-7)
        Adam.update(cfg, 1, p, new double[] {0.5}, m, v);
        assertEquals(0.05, m[0], 1e-16);
        assertEquals(0.00025, v[0], 1e-18);
        assertEquals(0.03162277660168381, Adam.stepSize(cfg, 1), 1e-16);
        assertEquals(0.9000006324515321, p[0], 1e-15);
        // t=2, g=-0.25: m=0.02, v=0.00031225, lr_t=0.1*sqrt(1-0.999^2)/(1-0.81)
        Adam.update(cfg, 2, p, new double[] {-0.25}, m, v);
        assertEquals(0.02, m[0], 1e-16);
        assertEquals(0.00031225, v[0], 1e-18);
        assertEquals(0.023531672532745275, Adam.stepSize(cfg, 2), 1e-16);
        assertEquals(0.8733670792079219, p[0], 1e-15);
    }

    @Test
    void discriminatorStepIsOneAdamUpdate() {
        try (ReferenceModel model = oneWeightModel(2, 0.125)) {
            model.trainDiscriminator(oneWeightBatch());
            // Adam (lr 2e-4, b1 0.5, b2 0.999, eps 1e-7), t=1, on the gradients of the test above.
            assertEquals(2.000199994829845, model.value("discriminator/validity/kernel")[0], 1e-13);
            assertEquals(0.1248000127593134, model.value("discriminator/validity/bias")[0], 1e-13);
            assertEquals(1, model.discriminatorIterations());
            assertEquals(0, model.generatorIterations());
            NamedTensors state = model.state();
            assertEquals(1f, state.get(StateNames.ITERATIONS_DISCRIMINATOR).data()[0]);
            assertEquals(0f, state.get(StateNames.ITERATIONS_GENERATOR).data()[0]);
            assertEquals(
                    (float) (0.5 * -0.12232499334360789),
                    state.get(StateNames.ADAM_M + "discriminator/validity/kernel")
                            .data()[0],
                    1e-9);
        }
    }

    // ------------------------------------------------------------------------------ convolutions

    private static final double[] NINE = {1, 2, 3, 4, 5, 6, 7, 8, 9};

    @Test
    void conv2dSamePaddingOnA3x3Image() {
        DoubleTensor x = DoubleTensor.batch(1, new int[] {3, 3, 1}, NINE);
        double[] ones = new double[9];
        java.util.Arrays.fill(ones, 1);
        // 3x3 kernel of ones, stride 1, 'same' (one zero row/column on every side): neighbourhood sums.
        ConvGeometry g1 = ConvGeometry.conv2d(3, 3, 1, 1, 3, 3, 1, 1, Padding.SAME);
        assertEquals(1, g1.padTop());
        assertArrayEquals(
                new double[] {12, 21, 16, 27, 45, 33, 24, 39, 28},
                LayerOps.conv2d(x, ones, null, g1).data(),
                0);
        // Stride 2: out = ceil(3/2) = 2, pad total = (2-1)*2 + 3 - 3 = 2, one before.
        ConvGeometry g2 = ConvGeometry.conv2d(3, 3, 1, 1, 3, 3, 2, 2, Padding.SAME);
        assertArrayEquals(
                new double[] {12, 16, 24, 28},
                LayerOps.conv2d(x, ones, null, g2).data(),
                0);
        // 2x2 kernel [[1,2],[3,4]], stride 1: pad total 1, all of it after (bottom/right); no kernel flip.
        ConvGeometry g3 = ConvGeometry.conv2d(3, 3, 1, 1, 2, 2, 1, 1, Padding.SAME);
        assertEquals(0, g3.padTop());
        assertArrayEquals(
                new double[] {37, 47, 21, 67, 77, 33, 23, 26, 9},
                LayerOps.conv2d(x, new double[] {1, 2, 3, 4}, null, g3).data(),
                0);
        // 'valid' with the same kernel and a bias of 0.5.
        ConvGeometry g4 = ConvGeometry.conv2d(3, 3, 1, 1, 2, 2, 1, 1, Padding.VALID);
        assertArrayEquals(
                new double[] {37.5, 47.5, 67.5, 77.5},
                LayerOps.conv2d(x, new double[] {1, 2, 3, 4}, new double[] {0.5}, g4)
                        .data(),
                0);
    }

    @Test
    void upSamplingRepeatsEachValueAndSumsTheGradientsOfItsCopies() {
        // 2x2 image, 2 channels (c0 = 1..4, c1 = 10..40), factors 2 (height) and 3 (width)
        DoubleTensor x = new DoubleTensor(new int[] {1, 2, 2, 2}, new double[] {1, 10, 2, 20, 3, 30, 4, 40});
        DoubleTensor y = LayerOps.upSampling2d(x, 2, 3);
        assertArrayEquals(new int[] {1, 4, 6, 2}, y.shape());
        double[] c0 = new double[24];
        double[] c1 = new double[24];
        for (int i = 0; i < 24; i++) {
            c0[i] = y.data()[2 * i];
            c1[i] = y.data()[2 * i + 1];
        }
        assertArrayEquals(new double[] {1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 3, 3, 3, 4, 4, 4}, c0, 0);
        for (int i = 0; i < 24; i++) {
            assertEquals(10 * c0[i], c1[i], 0, "channels stay apart");
        }
        // dy = the flat output index: the gradient of x[i,j] is the sum of the indices of its 6 copies
        double[] g = new double[48];
        for (int i = 0; i < 48; i++) {
            g[i] = i;
        }
        DoubleTensor dx = LayerOps.upSampling2dBackward(new DoubleTensor(new int[] {1, 4, 6, 2}, g), 2, 3);
        assertArrayEquals(new int[] {1, 2, 2, 2}, dx.shape());
        // copies of x[0,0] channel 0: rows 0-1, columns 0-2 -> flat (r*6 + c)*2; the next column's copies lie
        // 3 columns (6 indices) further each, the next row's 2 rows (24 indices) further
        double top = (0 + 2 + 4) + (12 + 14 + 16);
        assertArrayEquals(
                new double[] {top, top + 6, top + 36, top + 42, top + 144, top + 150, top + 180, top + 186},
                dx.data(),
                0);
    }

    @Test
    void maxPoolIgnoresSamePaddingAndRoutesTheGradientToTheFirstMaximum() {
        // 3x3 image of negative values, one channel: 'same' 2x2 stride 2 gives 2x2 windows
        // {(0,0),(0,1),(1,0),(1,1)}, {(0,2),(1,2)}, {(2,0),(2,1)}, {(2,2)}: TensorFlow pads after only.
        DoubleTensor x = new DoubleTensor(new int[] {1, 3, 3, 1}, new double[] {-5, -1, -7, -3, -2, -8, -4, -4, -9});
        ConvGeometry same = ConvGeometry.pool(3, 3, 1, 2, 2, 2, 2, Padding.SAME);
        assertEquals(0, same.padTop());
        assertArrayEquals(
                new double[] {-1, -7, -4, -9},
                LayerOps.maxPool2d(x, same).data(),
                0,
                "padding never wins, even against negative values");
        DoubleTensor dy = new DoubleTensor(new int[] {1, 2, 2, 1}, new double[] {1, 2, 3, 4});
        assertArrayEquals(
                new double[] {0, 1, 2, 0, 0, 0, 3, 0, 4},
                LayerOps.maxPool2dBackward(x, same, dy).data(),
                0,
                "the tie -4, -4 goes to the first in row-major order");
        // 'valid' 2x2 stride 1: overlapping windows share the maximum -1 and add their gradients
        ConvGeometry valid = ConvGeometry.pool(3, 3, 1, 2, 2, 1, 1, Padding.VALID);
        assertArrayEquals(
                new double[] {-1, -1, -2, -2}, LayerOps.maxPool2d(x, valid).data(), 0);
        assertArrayEquals(
                new double[] {0, 3, 0, 0, 7, 0, 0, 0, 0},
                LayerOps.maxPool2dBackward(x, valid, dy).data(),
                0);
    }

    @Test
    void conv2dChannelsUseTheCanonicalKernelLayout() {
        // One pixel, 2 input channels, 3 filters, 1x1 kernel [1,1,in=2,out=3]: y_f = sum_c x_c * k[c,f].
        DoubleTensor x = DoubleTensor.batch(1, new int[] {1, 1, 2}, new double[] {1, 10});
        ConvGeometry g = ConvGeometry.conv2d(1, 1, 2, 3, 1, 1, 1, 1, Padding.VALID);
        double[] k = {1, 2, 3, 4, 5, 6};
        assertArrayEquals(
                new double[] {41, 52, 63}, LayerOps.conv2d(x, k, null, g).data(), 0);
    }

    @Test
    void conv2dTransposeSamePaddingOfThePreset() {
        // 7 -> 14 with a 5x5 kernel and stride 2: the convolution 14 -> 7 pads (7-1)*2 + 5 - 14 = 3, 1 before.
        ConvGeometry g = ConvGeometry.conv2dTranspose(7, 7, 192, 96, 5, 5, 2, 2, Padding.SAME);
        assertEquals(14, g.inH());
        assertEquals(1, g.padTop());
        assertEquals(1, g.padLeft());
        // 3 -> 7 'valid' stride 1 kernel 5: no padding.
        ConvGeometry v = ConvGeometry.conv2dTranspose(3, 3, 384, 192, 5, 5, 1, 1, Padding.VALID);
        assertEquals(7, v.inH());
        assertEquals(0, v.padTop());
    }

    /** {@code y[n,oh,ow,f] += x[n,ih,iw,c]*K[i,j,f,c]} with {@code oh = ih*s - padTop + i}, written independently. */
    private static double[] directScatter(
            double[] x,
            int n,
            int h,
            int w,
            int c,
            double[] k,
            int kh,
            int kw,
            int f,
            int sh,
            int sw,
            Padding padding) {
        int oh = padding == Padding.SAME ? h * sh : (h - 1) * sh + kh;
        int ow = padding == Padding.SAME ? w * sw : (w - 1) * sw + kw;
        int padH = padding == Padding.SAME ? Math.max((h - 1) * sh + kh - oh, 0) / 2 : 0;
        int padW = padding == Padding.SAME ? Math.max((w - 1) * sw + kw - ow, 0) / 2 : 0;
        double[] y = new double[n * oh * ow * f];
        for (int b = 0; b < n; b++) {
            for (int ih = 0; ih < h; ih++) {
                for (int iw = 0; iw < w; iw++) {
                    for (int ci = 0; ci < c; ci++) {
                        double xv = x[((b * h + ih) * w + iw) * c + ci];
                        for (int i = 0; i < kh; i++) {
                            for (int j = 0; j < kw; j++) {
                                int r = ih * sh - padH + i;
                                int col = iw * sw - padW + j;
                                if (r < 0 || r >= oh || col < 0 || col >= ow) {
                                    continue;
                                }
                                for (int fo = 0; fo < f; fo++) {
                                    y[((b * oh + r) * ow + col) * f + fo] += xv * k[((i * kw + j) * f + fo) * c + ci];
                                }
                            }
                        }
                    }
                }
            }
        }
        return y;
    }

    @Test
    void conv2dTransposeMatchesDirectScatter() {
        Random rnd = new Random(3);
        int[][] cases = {
            // h, w, c, filters, kh, kw, sh, sw, same?1:0
            {3, 4, 2, 3, 3, 3, 2, 2, 1},
            {2, 3, 2, 2, 5, 5, 2, 2, 1},
            {2, 3, 1, 2, 4, 4, 2, 2, 1},
            {3, 3, 2, 2, 3, 3, 1, 1, 0},
            {2, 2, 3, 1, 3, 2, 2, 1, 0},
            {3, 2, 2, 2, 3, 2, 2, 1, 1},
        };
        for (int[] cs : cases) {
            Padding padding = cs[8] == 1 ? Padding.SAME : Padding.VALID;
            int n = 2;
            double[] x = random(rnd, n * cs[0] * cs[1] * cs[2]);
            double[] k = random(rnd, cs[4] * cs[5] * cs[3] * cs[2]);
            ConvGeometry g =
                    ConvGeometry.conv2dTranspose(cs[0], cs[1], cs[2], cs[3], cs[4], cs[5], cs[6], cs[7], padding);
            DoubleTensor y =
                    LayerOps.conv2dTranspose(DoubleTensor.batch(n, new int[] {cs[0], cs[1], cs[2]}, x), k, null, g);
            double[] expected = directScatter(x, n, cs[0], cs[1], cs[2], k, cs[4], cs[5], cs[3], cs[6], cs[7], padding);
            assertArrayEquals(expected, y.data(), 1e-12, java.util.Arrays.toString(cs));
        }
    }

    @Test
    void conv2dTransposeIsTheAdjointOfConv2d() {
        // <conv2d(u), v> = <u, conv2dTranspose(v)> for the same kernel and geometry.
        Random rnd = new Random(5);
        ConvGeometry g = ConvGeometry.conv2dTranspose(3, 4, 2, 3, 3, 3, 2, 2, Padding.SAME);
        double[] k = random(rnd, g.kernelSize());
        DoubleTensor u = DoubleTensor.batch(2, new int[] {g.inH(), g.inW(), g.inC()}, random(rnd, 2 * g.inSize()));
        DoubleTensor v = DoubleTensor.batch(2, new int[] {g.outH(), g.outW(), g.outC()}, random(rnd, 2 * g.outSize()));
        double lhs = dot(LayerOps.conv2d(u, k, null, g).data(), v.data());
        double rhs = dot(u.data(), LayerOps.conv2dTranspose(v, k, null, g).data());
        assertEquals(lhs, rhs, 1e-12);
    }

    // ------------------------------------------------------------------------------ batch norm

    @Test
    void batchNormMovingStatisticsUseTheUnbiasedVariance() {
        InferredNetwork net = ShapeInference.infer(
                "t",
                NetworkSpec.builder().add("bn", new BatchNorm(0.9, 1e-3), "x").build(),
                Map.of("x", new int[] {1}));
        Map<String, double[]> params = new java.util.HashMap<>(Map.of(
                "t/bn/gamma",
                new double[] {2},
                "t/bn/beta",
                new double[] {0.5},
                "t/bn/moving_mean",
                new double[] {0},
                "t/bn/moving_variance",
                new double[] {1}));
        GraphExecutor exec = new GraphExecutor(net);
        DoubleTensor x = DoubleTensor.batch(4, new int[] {1}, new double[] {1, 2, 3, 6});
        GraphExecutor.ForwardPass pass = exec.forward(Map.of("x", x), null, params, true, null);
        // mean 3, biased variance (4+1+0+9)/4 = 3.5: y = 2*(x-3)/sqrt(3.501) + 0.5
        double s = Math.sqrt(3.5 + 1e-3);
        assertArrayEquals(
                new double[] {2 * -2 / s + 0.5, 2 * -1 / s + 0.5, 0.5, 2 * 3 / s + 0.5},
                pass.value("bn").data(),
                1e-15);
        exec.updateMovingStatistics(pass, params);
        // moving = 0.9*moving + 0.1*batch; unbiased variance 14/3.
        assertEquals(0.3, params.get("t/bn/moving_mean")[0], 1e-15);
        assertEquals(0.9 + 0.1 * 14.0 / 3, params.get("t/bn/moving_variance")[0], 1e-15);
        // Inference mode uses the moving statistics.
        double y = exec.forward(Map.of("x", x), null, params, false, null)
                .value("bn")
                .data()[0];
        assertEquals(2 * (1 - 0.3) / Math.sqrt(0.9 + 0.1 * 14.0 / 3 + 1e-3) + 0.5, y, 1e-15);
    }

    private static double[] random(Random rnd, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rnd.nextDouble() * 2 - 1;
        }
        return v;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
