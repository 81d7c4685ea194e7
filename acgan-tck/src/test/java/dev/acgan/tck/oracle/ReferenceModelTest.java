package dev.acgan.tck.oracle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.api.model.DiscriminatorBatch;
import dev.acgan.api.model.DiscriminatorLosses;
import dev.acgan.api.model.DiscriminatorOutput;
import dev.acgan.api.model.GanModel;
import dev.acgan.api.model.Generator;
import dev.acgan.api.model.GeneratorBatch;
import dev.acgan.api.model.StateNames;
import dev.acgan.api.spec.GanKind;
import dev.acgan.api.spi.Capability;
import dev.acgan.api.tensor.ImageBatch;
import dev.acgan.api.tensor.Layout;
import dev.acgan.api.tensor.NamedTensors;
import dev.acgan.api.tensor.Tensor;
import dev.acgan.api.train.AdamConfig;
import dev.acgan.api.train.NoiseSampler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Behaviour of {@link ReferenceModel} and {@link ReferenceBackend} beyond the arithmetic. */
class ReferenceModelTest {

    private static boolean isDiscriminatorEntry(String name) {
        return name.startsWith("discriminator/")
                || name.startsWith(StateNames.ADAM_M + "discriminator/")
                || name.startsWith(StateNames.ADAM_V + "discriminator/")
                || name.equals(StateNames.ITERATIONS_DISCRIMINATOR);
    }

    /** Names whose tensors differ between two states. */
    private static List<String> changed(NamedTensors before, NamedTensors after) {
        List<String> out = new ArrayList<>();
        for (String name : before.names()) {
            if (!before.get(name).equals(after.get(name))) {
                out.add(name);
            }
        }
        return out;
    }

    /**
     * Every parameter with a non-negligible gradient was updated. (A bias feeding a training-mode
     * BatchNorm, or embedding rows of labels not in the batch, have a zero gradient and may stay.)
     */
    private static void assertUpdatedWhereGradientIsNonZero(Map<String, double[]> grads, List<String> changed) {
        int updated = 0;
        for (Map.Entry<String, double[]> g : grads.entrySet()) {
            double max = 0;
            for (double v : g.getValue()) {
                max = Math.max(max, Math.abs(v));
            }
            if (max > 1e-9) {
                assertTrue(changed.contains(g.getKey()), g.getKey() + " not updated, gradient up to " + max);
                updated++;
            }
        }
        assertTrue(updated >= grads.size() - 2, "only " + updated + " of " + grads.size() + " parameters moved");
    }

    @ParameterizedTest
    @EnumSource(GanKind.class)
    void generatorStepChangesNoDiscriminatorValue(GanKind kind) {
        try (ReferenceModel model = ModelGradientTest.model(kind, 31)) {
            NamedTensors before = model.state();
            GeneratorBatch batch = ModelGradientTest.generatorBatch(model, new SplittableRandom(1));
            Map<String, double[]> grads = model.generatorGradientsExact(batch);
            model.trainGenerator(batch);
            List<String> changed = changed(before, model.state());
            assertTrue(changed.stream().noneMatch(ReferenceModelTest::isDiscriminatorEntry), changed.toString());
            assertTrue(changed.contains(StateNames.ITERATIONS_GENERATOR));
            assertUpdatedWhereGradientIsNonZero(grads, changed);
            if (kind != GanKind.GAN) {
                // Both conditional tiny generators have BatchNorm: its moving statistics follow the step.
                assertTrue(changed.stream().anyMatch(n -> n.endsWith("/moving_mean")), changed.toString());
                assertTrue(changed.stream().anyMatch(n -> n.endsWith("/moving_variance")), changed.toString());
            }
            assertEquals(1, model.generatorIterations());
            assertEquals(0, model.discriminatorIterations());
        }
    }

    @ParameterizedTest
    @EnumSource(GanKind.class)
    void discriminatorStepChangesNoGeneratorValue(GanKind kind) {
        try (ReferenceModel model = ModelGradientTest.model(kind, 37)) {
            NamedTensors before = model.state();
            DiscriminatorBatch batch = ModelGradientTest.discriminatorBatch(model, new SplittableRandom(2));
            Map<String, double[]> grads = model.discriminatorGradientsExact(batch);
            model.trainDiscriminator(batch);
            List<String> changed = changed(before, model.state());
            assertTrue(changed.stream().allMatch(ReferenceModelTest::isDiscriminatorEntry), changed.toString());
            assertTrue(changed.contains(StateNames.ITERATIONS_DISCRIMINATOR));
            assertUpdatedWhereGradientIsNonZero(grads, changed);
            if (kind == GanKind.ACGAN) {
                assertTrue(changed.contains("discriminator/bn/moving_mean"));
                assertTrue(changed.contains("discriminator/bn/moving_variance"));
            }
            assertEquals(0, model.generatorIterations());
            assertEquals(1, model.discriminatorIterations());
        }
    }

    @Test
    void lossAndGradientCallsChangeNothing() {
        try (ReferenceModel model = ModelGradientTest.model(GanKind.ACGAN, 41)) {
            NamedTensors before = model.state();
            DiscriminatorBatch d = ModelGradientTest.discriminatorBatch(model, new SplittableRandom(3));
            GeneratorBatch g = ModelGradientTest.generatorBatch(model, new SplittableRandom(4));
            model.discriminatorLoss(d);
            model.discriminatorGradients(d);
            model.generatorLoss(g);
            model.generatorGradients(g);
            model.generate(g.noise(), g.labels(), true, g.generatorMasks());
            assertEquals(before, model.state());
            // The loss a train call returns is the loss before its update.
            DiscriminatorLosses l = model.discriminatorLoss(d);
            assertEquals(l, model.trainDiscriminator(d));
            assertNotEquals(l, model.discriminatorLoss(d));
        }
    }

    @Test
    void trainingAndInferenceGenerationDiffer() {
        try (ReferenceModel model = ModelGradientTest.model(GanKind.ACGAN, 43)) {
            GeneratorBatch g = ModelGradientTest.generatorBatch(model, new SplittableRandom(4));
            ImageBatch train = model.generate(g.noise(), g.labels(), true, null);
            ImageBatch infer = model.generate(g.noise(), g.labels(), false, null);
            assertFalse(java.util.Arrays.equals(train.pixels(), infer.pixels()));
            assertArrayEquals(g.labels(), infer.labels());
            assertEquals(infer, model.generator().generate(g.noise(), g.labels()));
        }
    }

    @Test
    void stateRoundTripsAndAdamEntriesAreOptional() {
        try (ReferenceModel model = ModelGradientTest.model(GanKind.CGAN, 47)) {
            model.trainDiscriminator(ModelGradientTest.discriminatorBatch(model, new SplittableRandom(5)));
            model.trainGenerator(ModelGradientTest.generatorBatch(model, new SplittableRandom(6)));
            NamedTensors state = model.state();
            assertEquals(StateNames.fullStateShapes(model.inferred()).keySet(), state.names());
            try (ReferenceModel copy =
                    new ReferenceModel(model.spec(), AdamConfig.acganDefaults(), AdamConfig.acganDefaults(), state)) {
                assertEquals(state, copy.state());
            }
            NamedTensors paramsOnly = state.filter(n -> !n.startsWith("adam/"));
            model.loadState(paramsOnly);
            assertEquals(0, model.generatorIterations());
            assertEquals(
                    0f,
                    model.state()
                            .get(StateNames.ADAM_M + "generator/dense/kernel")
                            .data()[0]);
        }
    }

    @Test
    void loadStateRejectsUnknownAndMisshapenTensors() {
        try (ReferenceModel model = ModelGradientTest.model(GanKind.GAN, 53)) {
            Map<String, Tensor> extra = new LinkedHashMap<>(model.state().asMap());
            extra.put("generator/nope/kernel", Tensor.zeros(1));
            assertThrows(IllegalArgumentException.class, () -> model.loadState(new NamedTensors(extra)));
            Map<String, Tensor> bad = new LinkedHashMap<>(model.state().asMap());
            bad.put("generator/out/bias", Tensor.zeros(3));
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> model.loadState(new NamedTensors(bad)));
            assertTrue(e.getMessage().contains("generator/out/bias"), e.getMessage());
        }
    }

    @Test
    void labelsOutOfRangeAreRejectedWithLabelAndIndex() {
        try (ReferenceModel model = ModelGradientTest.model(GanKind.ACGAN, 59)) {
            Tensor noise = NoiseSampler.sample(model.spec(), 3, new SplittableRandom(1));
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> model.generator().generate(noise, new int[] {0, 7, 1}));
            assertTrue(e.getMessage().contains("label 7") && e.getMessage().contains("index 1"), e.getMessage());
            e = assertThrows(
                    IllegalArgumentException.class, () -> model.generate(noise, new int[] {0, 1, -1}, true, null));
            assertTrue(e.getMessage().contains("label -1") && e.getMessage().contains("index 2"), e.getMessage());
            DiscriminatorBatch good = ModelGradientTest.discriminatorBatch(model, new SplittableRandom(2));
            DiscriminatorBatch badLabels = new DiscriminatorBatch(
                    good.real().withLabels(new int[] {0, 3, 0}), good.fake(), 0.95f, 0f, 1f, 1f, good.dropoutMasks());
            e = assertThrows(IllegalArgumentException.class, () -> model.discriminatorLoss(badLabels));
            assertTrue(e.getMessage().contains("label 3") && e.getMessage().contains("index 1"), e.getMessage());
        }
    }

    @Test
    void wrongShapesAreRejectedWithExpectedAndActual() {
        try (ReferenceModel model = ModelGradientTest.model(GanKind.GAN, 61)) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class, () -> model.generator().generate(Tensor.zeros(2, 4), null));
            assertTrue(e.getMessage().contains("[2, 4]") && e.getMessage().contains("[n, 5]"), e.getMessage());
            ImageBatch wrong = ImageBatch.nhwc(1, 5, 4, 1, new float[20], null);
            e = assertThrows(
                    IllegalArgumentException.class, () -> model.discriminator().discriminate(wrong));
            assertTrue(e.getMessage().contains("5x4x1") && e.getMessage().contains("4x4x1"), e.getMessage());
            DiscriminatorBatch good = ModelGradientTest.discriminatorBatch(model, new SplittableRandom(2));
            e = assertThrows(
                    IllegalArgumentException.class,
                    () -> model.trainDiscriminator(new DiscriminatorBatch(good.real(), wrong, 1f, 0f, 0f, 0f, null)));
            assertTrue(e.getMessage().contains("5x4x1") && e.getMessage().contains("4x4x1"), e.getMessage());
            // Masks sized for the wrong batch are rejected too.
            e = assertThrows(
                    IllegalArgumentException.class,
                    () -> model.discriminatorLoss(
                            new DiscriminatorBatch(good.real(), good.real(), 1f, 0f, 0f, 0f, good.dropoutMasks())));
            assertTrue(e.getMessage().contains("dense1_dropout"), e.getMessage());
        }
    }

    @Test
    void cganDiscriminatorNeedsLabels() {
        try (ReferenceModel model = ModelGradientTest.model(GanKind.CGAN, 67)) {
            ImageBatch unlabelled = ModelGradientTest.images(2, null, new SplittableRandom(1));
            assertThrows(
                    IllegalArgumentException.class, () -> model.discriminator().discriminate(unlabelled));
            DiscriminatorOutput out = model.discriminator().discriminate(unlabelled.withLabels(new int[] {0, 2}));
            assertNull(out.classProbabilities());
            assertEquals(2, out.count());
            DiscriminatorOutput other = model.discriminator().discriminate(unlabelled.withLabels(new int[] {1, 2}));
            assertNotEquals(out.validity()[0], other.validity()[0]);
            assertEquals(out.validity()[1], other.validity()[1]);
        }
    }

    @Test
    void ganIgnoresLabels() {
        try (ReferenceModel model = ModelGradientTest.model(GanKind.GAN, 71)) {
            Tensor noise = NoiseSampler.sample(model.spec(), 2, new SplittableRandom(1));
            ImageBatch a = model.generator().generate(noise, null);
            ImageBatch b = model.generator().generate(noise, new int[] {99, -5});
            assertArrayEquals(a.pixels(), b.pixels());
            assertNull(a.labels());
        }
    }

    @Test
    void nchwImagesAreJudgedLikeNhwc() {
        try (ReferenceModel model = ModelGradientTest.model(GanKind.ACGAN, 73)) {
            ImageBatch nhwc = ModelGradientTest.images(2, new int[] {0, 1}, new SplittableRandom(1));
            ImageBatch rgbLike =
                    ImageBatch.nhwc(2, 4, 4, 1, nhwc.pixels(), nhwc.labels()).toLayout(Layout.NCHW);
            assertArrayEquals(
                    model.discriminator().discriminate(nhwc).validity(),
                    model.discriminator().discriminate(rgbLike).validity());
        }
    }

    @Test
    void closeIsIdempotentAndUseAfterCloseFails() {
        ReferenceModel model = ModelGradientTest.model(GanKind.ACGAN, 79);
        Generator view = model.generator();
        view.close(); // closing a view does nothing
        Tensor noise = NoiseSampler.sample(model.spec(), 1, new SplittableRandom(1));
        view.generate(noise, new int[] {1});
        model.close();
        model.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, model::state);
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> view.generate(noise, new int[] {1}));
        assertThrows(IllegalStateException.class, model::generator);
        assertThrows(
                IllegalStateException.class,
                () -> model.trainGenerator(new GeneratorBatch(noise, new int[] {1}, 1f, 1f, null, null)));
    }

    @Test
    void backendDescribesItselfAndLoadsStandaloneGenerators() {
        ReferenceBackend backend = new ReferenceBackend();
        assertEquals("reference", backend.name());
        assertEquals(-100, backend.priority());
        assertEquals(
                java.util.EnumSet.of(
                        Capability.CPU,
                        Capability.DETERMINISTIC,
                        Capability.GRADIENTS,
                        Capability.CONCURRENT_GENERATION,
                        Capability.CLASSIFIER,
                        Capability.BF16),
                backend.capabilities());
        try (ReferenceModel source = ModelGradientTest.model(GanKind.ACGAN, 83)) {
            source.trainGenerator(ModelGradientTest.generatorBatch(source, new SplittableRandom(1)));
            GanModel model = backend.createModel(
                    source.spec(), AdamConfig.acganDefaults(), AdamConfig.acganDefaults(), source.state());
            assertEquals("reference", model.backendName());
            Generator standalone = backend.loadGenerator(source.spec(), StateNames.generatorOnly(source.state()));
            Tensor noise = NoiseSampler.sample(source.spec(), 3, new SplittableRandom(2));
            int[] labels = {0, 1, 2};
            ImageBatch expected = model.generator().generate(noise, labels);
            assertEquals(expected, standalone.generate(noise, labels));
            standalone.close();
            standalone.close();
            assertThrows(IllegalStateException.class, () -> standalone.generate(noise, labels));
            model.close();
            assertThrows(
                    IllegalArgumentException.class,
                    () -> backend.loadGenerator(
                            source.spec(), source.state().filter(n -> !n.equals("generator/dense/bias"))));
        }
    }

    @Test
    void trainingIsDeterministic() {
        float[][] results = new float[2][];
        for (int r = 0; r < 2; r++) {
            try (ReferenceModel model = ModelGradientTest.model(GanKind.ACGAN, 89)) {
                for (int s = 0; s < 2; s++) {
                    model.trainDiscriminator(ModelGradientTest.discriminatorBatch(model, new SplittableRandom(s)));
                    model.trainGenerator(ModelGradientTest.generatorBatch(model, new SplittableRandom(s)));
                }
                results[r] = model.state().get("generator/deconv2/kernel").data();
            }
        }
        assertArrayEquals(results[0], results[1]);
    }

    @Test
    void generatorViewServesConcurrentCallers() throws Exception {
        try (ReferenceModel model = ModelGradientTest.model(GanKind.ACGAN, 97)) {
            Generator g = model.generator();
            List<Tensor> noises = new ArrayList<>();
            List<ImageBatch> expected = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                Tensor noise = NoiseSampler.sample(model.spec(), 3, new SplittableRandom(i));
                noises.add(noise);
                expected.add(g.generate(noise, new int[] {i % 3, 1, 2}));
            }
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<ImageBatch>> futures = new ArrayList<>();
                for (int i = 0; i < 16; i++) {
                    int k = i;
                    futures.add(pool.submit(() -> g.generate(noises.get(k), new int[] {k % 3, 1, 2})));
                }
                for (int i = 0; i < 16; i++) {
                    assertEquals(expected.get(i), futures.get(i).get());
                }
            } finally {
                pool.shutdown();
            }
        }
    }
}
