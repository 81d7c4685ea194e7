package dev.acgan.api.spec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PresetsTest {

    static Stream<Arguments> allPresets() {
        ImageShape mnist = new ImageShape(28, 28, 1);
        ImageShape rgb = new ImageShape(32, 32, 3);
        return Stream.of(
                Arguments.of("acgan 28x28x1", Presets.acgan(mnist, 10, 100), GanKind.ACGAN, mnist),
                Arguments.of("acgan-fast 28x28x1", Presets.acganFast(mnist, 10, 100), GanKind.ACGAN, mnist),
                Arguments.of("acgan-fast 32x32x3", Presets.acganFast(rgb, 10, 100), GanKind.ACGAN, rgb),
                Arguments.of("cgan 28x28x1", Presets.cgan(mnist, 10, 100), GanKind.CGAN, mnist),
                Arguments.of("gan-mlp 28x28x1", Presets.ganMlp(mnist, 10, 100), GanKind.GAN, mnist),
                Arguments.of("acgan 32x32x3", Presets.acgan(rgb, 10, 100), GanKind.ACGAN, rgb),
                Arguments.of("cgan 32x32x3", Presets.cgan(rgb, 10, 100), GanKind.CGAN, rgb));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allPresets")
    void everyPresetValidatesWithTheRightInputsAndOutputs(String label, ModelSpec spec, GanKind kind, ImageShape img) {
        InferredModel m = spec.validate();
        assertEquals(kind, spec.kind());
        assertEquals(10, spec.numClasses());
        assertEquals(100, spec.latentDim());
        assertArrayEquals(
                new int[] {img.height(), img.width(), img.channels()},
                m.generator().output(NetworkSpec.OUT_IMAGE).outputShape());
        assertArrayEquals(
                new int[] {1},
                m.discriminator().output(NetworkSpec.OUT_VALIDITY).outputShape());
        if (kind == GanKind.ACGAN) {
            assertArrayEquals(
                    new int[] {10},
                    m.discriminator().output(NetworkSpec.OUT_CLASS).outputShape());
        } else {
            assertFalse(spec.discriminator().outputs().containsKey(NetworkSpec.OUT_CLASS));
        }
        // inputs the networks actually use
        assertEquals(
                kind == GanKind.GAN ? Set.of("noise") : Set.of("noise", "label"),
                m.generator().inputs().keySet());
        assertEquals(
                kind == GanKind.CGAN ? Set.of("image", "label") : Set.of("image"),
                m.discriminator().inputs().keySet());
        assertArrayEquals(new int[] {100}, m.generator().inputs().get("noise"));
        if (kind != GanKind.GAN) {
            assertArrayEquals(new int[0], m.generator().inputs().get("label"));
        }
        // every parameter is prefixed by its network and unique
        for (ParameterSpec p : m.generator().parameters()) {
            assertTrue(p.name().startsWith("generator/"), p.name());
        }
        for (ParameterSpec p : m.discriminator().parameters()) {
            assertTrue(p.name().startsWith("discriminator/"), p.name());
        }
        assertEquals(
                m.parameters().size(),
                m.parameters().stream().map(ParameterSpec::name).distinct().count());
    }

    @Test
    void acganMnistParameterNamesAndCanonicalShapes() {
        InferredModel m = Presets.acgan(ImageShape.mnist(), 10, 100).validate();
        Map<String, int[]> g = new LinkedHashMap<>();
        g.put("generator/embedding/embeddings", new int[] {10, 100});
        g.put("generator/dense/kernel", new int[] {100, 3456}); // 3*3*384 = 3456 (h/4-4 = 3)
        g.put("generator/dense/bias", new int[] {3456});
        g.put("generator/deconv1/kernel", new int[] {5, 5, 192, 384}); // ConvT: [kH, kW, out, in]
        g.put("generator/deconv1/bias", new int[] {192});
        g.put("generator/bn1/gamma", new int[] {192});
        g.put("generator/bn1/beta", new int[] {192});
        g.put("generator/bn1/moving_mean", new int[] {192});
        g.put("generator/bn1/moving_variance", new int[] {192});
        g.put("generator/deconv2/kernel", new int[] {5, 5, 96, 192});
        g.put("generator/deconv2/bias", new int[] {96});
        g.put("generator/bn2/gamma", new int[] {96});
        g.put("generator/bn2/beta", new int[] {96});
        g.put("generator/bn2/moving_mean", new int[] {96});
        g.put("generator/bn2/moving_variance", new int[] {96});
        g.put("generator/deconv3/kernel", new int[] {5, 5, 1, 96});
        g.put("generator/deconv3/bias", new int[] {1});
        assertShapes(g, m.generator().parameters());

        Map<String, int[]> d = new LinkedHashMap<>();
        d.put("discriminator/conv1/kernel", new int[] {3, 3, 1, 32}); // Conv: [kH, kW, in, out]
        d.put("discriminator/conv1/bias", new int[] {32});
        d.put("discriminator/conv2/kernel", new int[] {3, 3, 32, 64});
        d.put("discriminator/conv2/bias", new int[] {64});
        d.put("discriminator/conv3/kernel", new int[] {3, 3, 64, 128});
        d.put("discriminator/conv3/bias", new int[] {128});
        d.put("discriminator/conv4/kernel", new int[] {3, 3, 128, 256});
        d.put("discriminator/conv4/bias", new int[] {256});
        d.put("discriminator/validity/kernel", new int[] {12544, 1}); // 7*7*256 = 12544
        d.put("discriminator/validity/bias", new int[] {1});
        d.put("discriminator/class/kernel", new int[] {12544, 10});
        d.put("discriminator/class/bias", new int[] {10});
        assertShapes(d, m.discriminator().parameters());

        // intermediate shapes of the generator: 3x3x384 -> 7x7x192 (valid, s1) -> 14x14x96 -> 28x28x1
        assertArrayEquals(new int[] {3, 3, 384}, m.generator().node("reshape").outputShape());
        assertArrayEquals(new int[] {7, 7, 192}, m.generator().node("deconv1").outputShape());
        assertArrayEquals(new int[] {14, 14, 96}, m.generator().node("deconv2").outputShape());
        assertArrayEquals(new int[] {28, 28, 1}, m.generator().node("tanh").outputShape());
        // discriminator: 28 -> 14 (s2) -> 14 (s1) -> 7 (s2) -> 7 (s1)
        assertArrayEquals(
                new int[] {14, 14, 32}, m.discriminator().node("conv1").outputShape());
        assertArrayEquals(
                new int[] {14, 14, 64}, m.discriminator().node("conv2").outputShape());
        assertArrayEquals(new int[] {7, 7, 128}, m.discriminator().node("conv3").outputShape());
        assertArrayEquals(new int[] {7, 7, 256}, m.discriminator().node("conv4").outputShape());
        assertArrayEquals(new int[] {12544}, m.discriminator().node("flatten").outputShape());

        // initializers and trainability
        ParameterSpec emb = m.generator().parameters().get(0);
        assertEquals(Initializer.GLOROT_NORMAL, emb.init());
        assertEquals(
                Initializer.GLOROT_NORMAL, param(m, "generator/deconv1/kernel").init());
        assertEquals(
                Initializer.GLOROT_UNIFORM, param(m, "generator/dense/kernel").init());
        assertEquals(Initializer.ZEROS, param(m, "generator/dense/bias").init());
        assertEquals(Initializer.ONES, param(m, "generator/bn1/gamma").init());
        assertEquals(Initializer.ZEROS, param(m, "generator/bn1/beta").init());
        assertEquals(Initializer.ZEROS, param(m, "generator/bn1/moving_mean").init());
        assertEquals(Initializer.ONES, param(m, "generator/bn1/moving_variance").init());
        assertTrue(param(m, "generator/bn1/gamma").trainable());
        assertFalse(param(m, "generator/bn1/moving_mean").trainable());
        assertFalse(param(m, "generator/bn2/moving_variance").trainable());

        // four dropout nodes in the discriminator, none in the generator
        assertEquals(
                List.of("conv1_dropout", "conv2_dropout", "conv3_dropout", "conv4_dropout"),
                m.discriminator().dropoutNodes().stream()
                        .map(InferredNetwork.InferredNode::name)
                        .toList());
        assertTrue(m.generator().dropoutNodes().isEmpty());
    }

    @Test
    void acganMnistTrainableParameterCounts() {
        InferredModel m = Presets.acgan(ImageShape.mnist(), 10, 100).validate();
        // Generator, trainable only (BatchNorm moving statistics excluded):
        //   embedding  10*100                         =     1,000
        //   dense      100*3456 + 3456                =   349,056
        //   deconv1    5*5*192*384 + 192              = 1,843,392
        //   bn1        192 (gamma) + 192 (beta)       =       384
        //   deconv2    5*5*96*192 + 96                =   460,896
        //   bn2        96 + 96                        =       192
        //   deconv3    5*5*1*96 + 1                   =     2,401
        //   total                                     = 2,657,321
        assertEquals(2_657_321L, m.generator().trainableCount());
        // plus moving_mean/moving_variance: 2*192 + 2*96 = 576 non-trainable values
        long all = m.generator().parameters().stream()
                .mapToLong(ParameterSpec::size)
                .sum();
        assertEquals(2_657_321L + 576L, all);
        // Discriminator:
        //   conv1      3*3*1*32 + 32                  =       320
        //   conv2      3*3*32*64 + 64                 =    18,496
        //   conv3      3*3*64*128 + 128               =    73,856
        //   conv4      3*3*128*256 + 256              =   295,168
        //   validity   12544*1 + 1                    =    12,545
        //   class      12544*10 + 10                  =   125,450
        //   total                                     =   525,835
        assertEquals(525_835L, m.discriminator().trainableCount());
        assertEquals(
                m.discriminator().trainableCount(),
                m.discriminator().parameters().stream()
                        .mapToLong(ParameterSpec::size)
                        .sum());
    }

    @Test
    void rgbPresetsScaleWithTheImage() {
        InferredModel a = Presets.acgan(new ImageShape(32, 32, 3), 10, 100).validate();
        // 32/4 - 4 = 4 -> dense 4*4*384 = 6144, 4 -> 8 (valid) -> 16 -> 32
        assertArrayEquals(
                new int[] {100, 6144}, param(a, "generator/dense/kernel").shape());
        assertArrayEquals(
                new int[] {5, 5, 3, 96}, param(a, "generator/deconv3/kernel").shape());
        assertArrayEquals(
                new int[] {3, 3, 3, 32}, param(a, "discriminator/conv1/kernel").shape());
        assertArrayEquals(
                new int[] {8 * 8 * 256, 10},
                param(a, "discriminator/class/kernel").shape());

        InferredModel c = Presets.cgan(new ImageShape(32, 32, 3), 10, 100).validate();
        // image (3 channels) concatenated with a 10-channel label map
        assertArrayEquals(
                new int[] {32, 32, 13}, c.discriminator().node("concat").outputShape());
        assertArrayEquals(
                new int[] {5, 5, 13, 64}, param(c, "discriminator/conv1/kernel").shape());
        assertArrayEquals(new int[] {8, 8, 138}, c.generator().node("concat").outputShape());
        assertArrayEquals(
                new int[] {5, 5, 64, 138}, param(c, "generator/deconv1/kernel").shape());
    }

    @Test
    void acganFastShapesAndSize() {
        InferredModel m = Presets.acganFast(ImageShape.mnist(), 10, 100).validate();
        assertArrayEquals(
                new int[] {100, 7 * 7 * 128}, param(m, "generator/dense/kernel").shape());
        assertArrayEquals(
                new int[] {4, 4, 64, 128}, param(m, "generator/deconv1/kernel").shape());
        assertArrayEquals(new int[] {14, 14, 64}, m.generator().node("deconv1").outputShape());
        assertArrayEquals(
                new int[] {4, 4, 1, 32}, param(m, "discriminator/conv1/kernel").shape());
        assertArrayEquals(
                new int[] {7 * 7 * 64, 10},
                param(m, "discriminator/class/kernel").shape());
        var bn = (LayerSpec.BatchNorm) m.generator().node("bn1").layer();
        assertEquals(0.9, bn.momentum(), "see Presets.acganFast: 0.99 lags the generator early on");
        InferredModel rgb =
                Presets.acganFast(new ImageShape(32, 32, 3), 10, 100).validate();
        assertArrayEquals(
                new int[] {100, 8 * 8 * 128},
                param(rgb, "generator/dense/kernel").shape());
        assertArrayEquals(
                new int[] {4, 4, 3, 64}, param(rgb, "generator/deconv2/kernel").shape());
    }

    @Test
    void imageSizeNotAMultipleOfFourIsAClearError() {
        SpecException h = assertThrows(SpecException.class, () -> Presets.acgan(new ImageShape(30, 28, 1), 10, 100));
        assertEquals("image height must be a multiple of 4, got 30", h.getMessage());
        SpecException w = assertThrows(SpecException.class, () -> Presets.acgan(new ImageShape(28, 26, 1), 10, 100));
        assertEquals("image width must be a multiple of 4, got 26", w.getMessage());
        SpecException c = assertThrows(SpecException.class, () -> Presets.cgan(new ImageShape(30, 30, 1), 10, 100));
        assertTrue(c.getMessage().contains("multiple of 4"), c.getMessage());
        SpecException small =
                assertThrows(SpecException.class, () -> Presets.acgan(new ImageShape(16, 16, 1), 10, 100));
        assertTrue(
                small.getMessage().contains("at least 20x20")
                        && small.getMessage().contains("16x16x1"),
                small.getMessage());
    }

    @Test
    void byNameAcceptsPresetAndKindNamesCaseInsensitively() {
        assertEquals(
                List.of("acgan-fast", "acgan-hq", "acgan-hq-wide", "acgan-mnist", "cgan-mnist", "gan-mlp"),
                Presets.names());
        assertEquals(Presets.acgan(ImageShape.mnist(), 10, 100), Presets.byName("acgan-mnist"));
        assertEquals(Presets.acganFast(ImageShape.mnist(), 10, 100), Presets.byName("acgan-fast"));
        assertEquals(Presets.acganFast(ImageShape.mnist(), 10, 100), Presets.byName("ACGAN"));
        assertEquals(Presets.cgan(ImageShape.mnist(), 10, 100), Presets.byName("cgan"));
        assertEquals(Presets.ganMlp(ImageShape.mnist(), 10, 100), Presets.byName("Gan-Mlp"));
        assertEquals(GanKind.GAN, Presets.byName("gan").kind());
        assertEquals(
                new ImageShape(32, 32, 3),
                Presets.byName("acgan", new ImageShape(32, 32, 3), 5, 16).image());
        SpecException e = assertThrows(SpecException.class, () -> Presets.byName("wgan"));
        assertEquals(
                "unknown preset 'wgan'; known presets: [acgan-fast, acgan-hq, acgan-hq-wide, acgan-mnist, cgan-mnist, gan-mlp]",
                e.getMessage());
    }

    @Test
    void imageShapeAndModelSpecRejectBadScalars() {
        assertThrows(IllegalArgumentException.class, () -> new ImageShape(0, 28, 1));
        assertThrows(IllegalArgumentException.class, () -> new ImageShape(28, 28, -1));
        assertEquals(784, ImageShape.mnist().size());
        assertEquals("28x28x1", ImageShape.mnist().toString());
        SpecException classes = assertThrows(
                SpecException.class,
                () -> new ModelSpec(
                        "x",
                        GanKind.GAN,
                        new ImageShape(2, 2, 1),
                        0,
                        3,
                        NoiseDistribution.UNIFORM,
                        TinySpecs.generator(),
                        TinySpecs.discriminator()));
        assertEquals("numClasses must be at least 1, got 0", classes.getMessage());
        SpecException latent = assertThrows(
                SpecException.class,
                () -> new ModelSpec(
                        "x",
                        GanKind.GAN,
                        new ImageShape(2, 2, 1),
                        1,
                        0,
                        NoiseDistribution.UNIFORM,
                        TinySpecs.generator(),
                        TinySpecs.discriminator()));
        assertEquals("latentDim must be at least 1, got 0", latent.getMessage());
    }

    private static void assertShapes(Map<String, int[]> expected, List<ParameterSpec> actual) {
        assertEquals(
                List.copyOf(expected.keySet()),
                actual.stream().map(ParameterSpec::name).toList());
        for (ParameterSpec p : actual) {
            assertArrayEquals(expected.get(p.name()), p.shape(), p.name());
        }
    }

    static ParameterSpec param(InferredModel m, String name) {
        return m.parameters().stream()
                .filter(p -> p.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no parameter " + name));
    }
}
