package dev.acgan.api.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.api.spec.FlopCounter.LayerFlops;
import dev.acgan.api.spec.FlopCounter.StepFlops;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** FLOP counts against hand counts (multiply-add = 2 FLOP, weight layers only). */
class FlopCounterTest {

    /** G: noise[4] -> dense 3 -> tanh -> [1,3,1]. D: flatten -> dense 2 -> lrelu -> dense 1 -> sigmoid. */
    private static ModelSpec mlp() {
        NetworkSpec g = NetworkSpec.builder()
                .add("dense", LayerSpec.Dense.of(3), NetworkSpec.NOISE)
                .then("tanh", new LayerSpec.Tanh())
                .then("reshape", new LayerSpec.Reshape(List.of(1, 3, 1)))
                .output(NetworkSpec.OUT_IMAGE)
                .build();
        NetworkSpec d = NetworkSpec.builder()
                .add("flatten", new LayerSpec.Flatten(), NetworkSpec.IMAGE)
                .then("dense1", LayerSpec.Dense.of(2))
                .then("lrelu", new LayerSpec.LeakyRelu(0.2))
                .then("dense2", LayerSpec.Dense.of(1))
                .then("sigmoid", new LayerSpec.Sigmoid())
                .output(NetworkSpec.OUT_VALIDITY)
                .build();
        return new ModelSpec("mlp", GanKind.GAN, new ImageShape(1, 3, 1), 1, 4, NoiseDistribution.UNIFORM, g, d);
    }

    @Test
    void mlpStepByHand() {
        InferredModel m = mlp().validate();
        // Forward per example: G 4x3 = 12 MAC = 24 FLOP; D 3x2 + 2x1 = 8 MAC = 16 FLOP.
        assertEquals(24, FlopCounter.forward(m.generator()));
        assertEquals(16, FlopCounter.forward(m.discriminator()));
        // D backward, D trained: weight grads 12 + 4; input grads: dense1's input is the image (none),
        // dense2's input comes from trainable dense1 (4).
        assertEquals(12 + 4 + 4, FlopCounter.backward(m.discriminator(), true, false));
        // D backward in the G step: input grads only: 12 + 4.
        assertEquals(16, FlopCounter.backward(m.discriminator(), false, true));
        // G backward: weight grad 24, no input grad (the noise needs none).
        assertEquals(24, FlopCounter.backward(m.generator(), true, false));

        StepFlops s = FlopCounter.trainingStep(m, 2, 2);
        // D step, n = 2: G forward 2x24, D forward 4x16, D backward 4x20.
        assertEquals(2 * 24 + 4 * 16 + 4 * 20, s.discriminatorStep());
        // G step on 4: G forward 4x24, D forward 4x16, D backward 4x16, G backward 4x24.
        assertEquals(4 * 24 + 4 * 16 + 4 * 16 + 4 * 24, s.generatorStep());
        assertEquals(192 + 320, s.total());
        assertEquals(4, s.generatorBatch());
        assertEquals(2, s.batchSize());
        assertEquals(24, s.generatorForwardPerImage());
        assertEquals(16, s.discriminatorForwardPerImage());
        assertEquals(10 * 24, FlopCounter.generation(m, 10));
        assertTrue(s.elementwiseEstimate() > 0);
    }

    @Test
    void convolutionsByHand() {
        NetworkSpec net = NetworkSpec.builder()
                // 5x5x2 -> 3 filters 3x3 stride 2 same -> 3x3x3: 3*3 * 3*3 * 2 * 3 = 486 MAC
                .add("conv", LayerSpec.Conv2D.of(3, 3, 2, Padding.SAME), NetworkSpec.IMAGE)
                // 3x3x3 -> 2 filters 3x3 stride 1 valid -> 1x1x2: 1 * 9 * 3 * 2 = 54 MAC
                .then("conv_valid", LayerSpec.Conv2D.of(2, 3, 1, Padding.VALID))
                // 1x1x2 -> transposed, 4 filters 3x3 stride 2 same -> 2x2x4: input positions 1 * 9 * 2 * 4 = 72 MAC
                .then("deconv", LayerSpec.Conv2DTranspose.of(4, 3, 2, Padding.SAME))
                // 2x2x4 -> transposed, 1 filter 3x3 stride 1 valid -> 4x4x1: 4 * 9 * 4 * 1 = 144 MAC
                .then("deconv_valid", LayerSpec.Conv2DTranspose.of(1, 3, 1, Padding.VALID))
                .then("flatten", new LayerSpec.Flatten())
                .then("dense", LayerSpec.Dense.of(5)) // 16 x 5 = 80 MAC
                .output(NetworkSpec.OUT_VALIDITY)
                .build();
        InferredNetwork inferred =
                ShapeInference.infer("discriminator", net, Map.of(NetworkSpec.IMAGE, new int[] {5, 5, 2}));
        List<LayerFlops> layers = FlopCounter.layers(inferred);
        assertEquals(
                List.of(972L, 108L, 144L, 288L, 0L, 160L),
                layers.stream().map(LayerFlops::forwardFlops).toList());
        assertEquals(
                List.of(true, true, true, true, false, true),
                layers.stream().map(LayerFlops::weightLayer).toList());
        assertEquals("conv2d_transpose", layers.get(2).type());
        long fwd = 972 + 108 + 144 + 288 + 160;
        assertEquals(fwd, FlopCounter.forward(inferred));
        // Trained, image needs no grad: all weight grads, input grads for all but the first layer.
        assertEquals(2 * fwd - 972, FlopCounter.backward(inferred, true, false));
        // Weights fixed, image needs grad: input grads only.
        assertEquals(fwd, FlopCounter.backward(inferred, false, true));
        // Nothing needs a gradient: nothing.
        assertEquals(0, FlopCounter.backward(inferred, false, false));
    }

    @Test
    void trainableEmbeddingUpstreamMakesTheFirstInputGradientCount() {
        // ACGAN-like generator: noise * embedding(label) -> dense: the dense's input gradient feeds the
        // embedding's gradient, so the generator backward is 2x its forward.
        InferredModel m = Presets.acgan(new ImageShape(20, 20, 1), 3, 5).validate();
        long gf = FlopCounter.forward(m.generator());
        assertEquals(2 * gf, FlopCounter.backward(m.generator(), true, false));
        // A vanilla MLP generator's first dense layer takes the raw noise: no input gradient there.
        InferredModel v = Presets.ganMlp(ImageShape.mnist(), 10, 100).validate();
        long first = 2L * 100 * 256;
        assertEquals(2 * FlopCounter.forward(v.generator()) - first, FlopCounter.backward(v.generator(), true, false));
    }

    @Test
    void acganMnistMatchesTheHandCount() {
        InferredModel m = Presets.byName(Presets.ACGAN_MNIST).validate();
        // Generator, per image: dense 100x3456; deconv1 3x3 in, 5x5, 384->192; deconv2 7x7 in, 5x5, 192->96;
        // deconv3 14x14 in, 5x5, 96->1.
        long gMac = 100L * 3456 + 9L * 25 * 384 * 192 + 49L * 25 * 192 * 96 + 196L * 25 * 96;
        // Discriminator, per image: conv1 14x14 out, 3x3, 1->32; conv2 14x14, 32->64; conv3 7x7, 64->128;
        // conv4 7x7, 128->256; heads 12544x1 and 12544x10.
        long conv1 = 196L * 9 * 32;
        long dMac = conv1 + 196L * 9 * 32 * 64 + 49L * 9 * 64 * 128 + 49L * 9 * 128 * 256 + 12544L + 12544L * 10;
        assertEquals(2 * gMac, FlopCounter.forward(m.generator()));
        assertEquals(2 * dMac, FlopCounter.forward(m.discriminator()));
        assertEquals(80.0, 2 * gMac / 1e6, 0.05); // MFLOP per image
        assertEquals(43.7, 2 * dMac / 1e6, 0.05);

        StepFlops s = FlopCounter.trainingStep(m, 100, 2);
        long gf = 2 * gMac;
        long df = 2 * dMac;
        // D step: 100 fakes, D forward on 200, weight grads on 200, input grads on 200 except conv1's.
        long dStep = 100 * gf + 200 * df + 200 * df + 200 * (df - 2 * conv1);
        // G step on 200: G forward, D forward, D input grads, G weight and input grads.
        long gStep = 200 * gf + 200 * df + 200 * df + 200 * 2 * gf;
        assertEquals(dStep, s.discriminatorStep());
        assertEquals(gStep, s.generatorStep());
        assertEquals(34.22, s.discriminatorStep() / 1e9, 0.005);
        assertEquals(65.48, s.generatorStep() / 1e9, 0.005);
        assertEquals(99.70, s.total() / 1e9, 0.005);
        // The previous hand count (99.7 GFLOP, D step 34.24) also charged conv1's input gradient.
        assertEquals(34.24, (s.discriminatorStep() + 200 * 2 * conv1) / 1e9, 0.005);
        // Everything else is well under 1% of the step.
        assertTrue(s.elementwiseEstimate() < 0.01 * s.total(), () -> "elementwise " + s.elementwiseEstimate());
        // Linear in the batch size.
        assertEquals(4 * s.total(), FlopCounter.trainingStep(m, 400, 2).total());
    }

    @Test
    void rejectsNonPositiveBatch() {
        InferredModel m = mlp().validate();
        assertThrows(IllegalArgumentException.class, () -> FlopCounter.trainingStep(m, 0, 2));
        assertThrows(IllegalArgumentException.class, () -> FlopCounter.trainingStep(m, 2, 0));
    }
}
