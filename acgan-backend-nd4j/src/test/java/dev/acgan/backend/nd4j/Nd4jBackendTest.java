package dev.acgan.backend.nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.api.data.Datasets;
import dev.acgan.api.model.DiscriminatorBatch;
import dev.acgan.api.model.DiscriminatorLosses;
import dev.acgan.api.model.GanModel;
import dev.acgan.api.model.Generator;
import dev.acgan.api.model.GeneratorBatch;
import dev.acgan.api.model.GeneratorLosses;
import dev.acgan.api.model.Precision;
import dev.acgan.api.spec.InferredModel;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spec.ParameterInitializer;
import dev.acgan.api.spec.Presets;
import dev.acgan.api.spi.Backends;
import dev.acgan.api.spi.GanBackend;
import dev.acgan.api.tensor.ImageBatch;
import dev.acgan.api.tensor.NamedTensors;
import dev.acgan.api.tensor.Tensor;
import dev.acgan.api.train.AdamConfig;
import dev.acgan.api.train.DropoutMasks;
import dev.acgan.api.train.GanTrainer;
import dev.acgan.api.train.NoiseSampler;
import dev.acgan.api.train.StepResult;
import dev.acgan.api.train.TrainingConfig;
import dev.acgan.tck.TckFixtures;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Lifecycle, determinism, concurrency, state and argument checks of the ND4J backend. */
class Nd4jBackendTest {

    private static GanModel model(ModelSpec spec, long seed) {
        return new Nd4jBackend()
                .createModel(
                        spec, AdamConfig.acganDefaults(), AdamConfig.acganDefaults(), TckFixtures.weights(spec, seed));
    }

    /** One full step's worth of inputs, fixed by the seed. */
    private record Step(DiscriminatorBatch d, GeneratorBatch g, Tensor noise, int[] labels) {
        static Step of(ModelSpec spec, int n, long seed, ImageBatch fakes) {
            InferredModel inferred = spec.validate();
            SplittableRandom rnd = new SplittableRandom(seed);
            Tensor z = NoiseSampler.sample(spec, n, rnd);
            int[] labels = spec.kind().conditionalGenerator() ? NoiseSampler.labels(spec, n, rnd) : null;
            ImageBatch real = TckFixtures.realImages(spec, n, seed);
            if (!spec.kind().conditionalGenerator()) {
                real = real.withLabels(null);
            }
            ImageBatch fake = fakes != null ? fakes : real;
            DiscriminatorBatch d = new DiscriminatorBatch(
                    real, fake, 0.95f, 0f, 1f, 1f, DropoutMasks.draw(inferred.discriminator(), 2 * n, rnd));
            GeneratorBatch g = new GeneratorBatch(
                    z,
                    labels,
                    0.95f,
                    1f,
                    DropoutMasks.draw(inferred.generator(), n, rnd),
                    DropoutMasks.draw(inferred.discriminator(), n, rnd));
            return new Step(d, g, z, labels);
        }
    }

    @Test
    void isDiscoveredAsAServiceWithItsNameAndPriority() {
        GanBackend b = Backends.discover().find("nd4j").orElseThrow();
        assertEquals(Nd4jBackend.class, b.getClass());
        assertEquals(50, b.priority());
        assertTrue(b.capabilities().contains(dev.acgan.api.spi.Capability.CPU));
        assertTrue(!b.version().isBlank());
    }

    @Test
    void declaresNoBf16AndRefusesItWithTheReasonNeverRunningFp32Instead() {
        Nd4jBackend b = new Nd4jBackend();
        assertTrue(!b.capabilities().contains(dev.acgan.api.spi.Capability.BF16));
        assertEquals(Precision.FP32, b.resolvePrecision(Precision.AUTO));
        dev.acgan.api.spi.BackendException e = assertThrows(
                dev.acgan.api.spi.BackendException.class,
                () -> b.loadGenerator(TckFixtures.tinyDcgan(), NamedTensors.empty(), Precision.BF16));
        assertTrue(
                e.getMessage()
                        .startsWith("precision bf16 is not available on backend nd4j: ND4J 1.0.0-M2.1 "
                                + "bundles oneDNN 2.3"),
                e.getMessage());
        assertTrue(
                b.describeCompute(Precision.AUTO).startsWith("fp32 (oneDNN 2.3 in libnd4j, "),
                b.describeCompute(Precision.AUTO));
    }

    @Test
    void sameInputsTwiceGiveIdenticalResults() {
        for (ModelSpec spec : List.of(TckFixtures.tinyDcgan(), EdgeSpecs.cgan(), Presets.byName("acgan-mnist"))) {
            int n = spec.image().size() > 500 ? 6 : 5;
            List<Object> first = run(spec, n);
            List<Object> second = run(spec, n);
            assertEquals(first, second, spec.name() + ": two identical runs differ");
        }
    }

    /** Three rounds of generate, losses, gradients and both training steps; everything observable. */
    private static List<Object> run(ModelSpec spec, int n) {
        List<Object> out = new ArrayList<>();
        try (GanModel m = model(spec, 9)) {
            for (int round = 0; round < 3; round++) {
                Step s0 = Step.of(spec, n, 40 + round, null);
                ImageBatch fakes = m.generate(s0.noise(), s0.labels(), false, null);
                Step s = Step.of(spec, n, 40 + round, fakes);
                out.add(fakes);
                out.add(m.generate(s.noise(), s.labels(), true, s.g().generatorMasks()));
                out.add(m.discriminatorLoss(s.d()));
                out.add(m.discriminatorGradients(s.d()));
                out.add(m.trainDiscriminator(s.d()));
                out.add(m.generatorLoss(s.g()));
                out.add(m.generatorGradients(s.g()));
                out.add(m.trainGenerator(s.g()));
                out.add(m.state());
            }
        }
        return out;
    }

    @Test
    void lossCallsChangeNothingAndTrainingChangesOnlyItsNetwork() {
        ModelSpec spec = TckFixtures.tinyDcgan();
        try (GanModel m = model(spec, 3)) {
            Step s = Step.of(spec, 4, 8, null);
            NamedTensors before = m.state();
            DiscriminatorLosses d1 = m.discriminatorLoss(s.d());
            m.discriminatorGradients(s.d());
            m.generatorLoss(s.g());
            m.generatorGradients(s.g());
            m.generate(s.noise(), s.labels(), true, s.g().generatorMasks());
            assertEquals(before, m.state(), "loss, gradient and generate calls must not change the state");
            assertEquals(d1, m.discriminatorLoss(s.d()));

            m.trainDiscriminator(s.d());
            NamedTensors afterD = m.state();
            for (String name : before.names()) {
                boolean changed = !before.get(name).equals(afterD.get(name));
                boolean discriminator = name.contains("discriminator");
                if (!discriminator) {
                    assertTrue(!changed, name + " changed in the discriminator step");
                }
                if (name.startsWith("discriminator/") && !name.contains("moving")) {
                    assertTrue(changed, name + " did not change in the discriminator step");
                }
            }
            // the discriminator's BatchNorm moving statistics move in the discriminator step
            assertNotEquals(before.get("discriminator/bn1/moving_mean"), afterD.get("discriminator/bn1/moving_mean"));
            assertEquals(1f, afterD.get("adam/iterations/discriminator").data()[0]);

            m.trainGenerator(s.g());
            NamedTensors afterG = m.state();
            for (String name : before.names()) {
                boolean changed = !afterD.get(name).equals(afterG.get(name));
                if (name.startsWith("discriminator/")
                        || name.startsWith("adam/m/discriminator")
                        || name.startsWith("adam/v/discriminator")
                        || name.endsWith("discriminator")) {
                    assertTrue(!changed, name + " changed in the generator step");
                }
                if (name.startsWith("generator/")) {
                    assertTrue(changed, name + " did not change in the generator step");
                }
            }
            assertEquals(1f, afterG.get("adam/iterations/generator").data()[0]);
        }
    }

    @Test
    void stateRoundTripsAndLoadStateRejectsBadTensors() {
        ModelSpec spec = EdgeSpecs.acgan();
        try (GanModel a = model(spec, 1);
                GanModel b = model(spec, 2)) {
            Step s = Step.of(spec, 3, 5, null);
            a.trainDiscriminator(s.d());
            a.trainGenerator(s.g());
            NamedTensors st = a.state();
            b.loadState(st);
            assertEquals(st, b.state());
            assertEquals(a.generatorLoss(s.g()), b.generatorLoss(s.g()));

            Map<String, Tensor> wrong = new LinkedHashMap<>(st.asMap());
            wrong.put("generator/dense/kernel", Tensor.zeros(3, 3));
            assertThrows(IllegalArgumentException.class, () -> b.loadState(new NamedTensors(wrong)));
            Map<String, Tensor> unknown = new LinkedHashMap<>(st.asMap());
            unknown.put("generator/nope/kernel", Tensor.zeros(1));
            assertThrows(IllegalArgumentException.class, () -> b.loadState(new NamedTensors(unknown)));
            // Adam entries are optional: a parameters-only state resets the optimizer
            b.loadState(st.filter(name -> !name.startsWith("adam/")));
            assertEquals(0f, b.state().get("adam/iterations/generator").data()[0]);
            assertEquals(st.get("generator/dense/kernel"), b.state().get("generator/dense/kernel"));
        }
    }

    @Test
    void standaloneGeneratorMatchesTheModelsGenerator() {
        for (ModelSpec spec : List.of(EdgeSpecs.acgan(), EdgeSpecs.gan(), TckFixtures.tinyCgan())) {
            NamedTensors w = TckFixtures.weights(spec, 4);
            SplittableRandom rnd = new SplittableRandom(6);
            Tensor z = NoiseSampler.sample(spec, 5, rnd);
            int[] labels = spec.kind().conditionalGenerator() ? NoiseSampler.labels(spec, 5, rnd) : null;
            try (GanModel m = model(spec, 4);
                    Generator g = new Nd4jBackend().loadGenerator(spec, w.withPrefix("generator/"))) {
                assertEquals(m.generator().generate(z, labels), g.generate(z, labels));
                assertEquals(m.generate(z, labels, false, null), g.generate(z, labels));
            }
        }
    }

    @Test
    void oneGeneratorServesConcurrentCallers() throws Exception {
        ModelSpec spec = Presets.byName("acgan-mnist");
        NamedTensors w = ParameterInitializer.initialize(spec.validate(), 12);
        try (GanModel m =
                        new Nd4jBackend().createModel(spec, AdamConfig.acganDefaults(), AdamConfig.acganDefaults(), w);
                Generator standalone = new Nd4jBackend().loadGenerator(spec, w)) {
            for (Generator g : List.of(m.generator(), standalone)) {
                List<Tensor> noise = new ArrayList<>();
                List<int[]> labels = new ArrayList<>();
                List<ImageBatch> expected = new ArrayList<>();
                for (int k = 0; k < 8; k++) {
                    SplittableRandom rnd = new SplittableRandom(100 + k);
                    noise.add(NoiseSampler.sample(spec, 3 + k, rnd));
                    labels.add(NoiseSampler.labels(spec, 3 + k, rnd));
                    expected.add(g.generate(noise.get(k), labels.get(k)));
                }
                ExecutorService pool = Executors.newFixedThreadPool(4);
                try {
                    for (int rep = 0; rep < 3; rep++) {
                        List<Future<ImageBatch>> futures = new ArrayList<>();
                        for (int k = 0; k < 8; k++) {
                            int kk = k;
                            futures.add(pool.submit(() -> g.generate(noise.get(kk), labels.get(kk))));
                        }
                        for (int k = 0; k < 8; k++) {
                            assertEquals(expected.get(k), futures.get(k).get(), "concurrent call " + k);
                        }
                    }
                } finally {
                    pool.shutdownNow();
                }
            }
        }
    }

    @Test
    void closeIsIdempotentAndUseAfterCloseFailsClearly() {
        ModelSpec spec = TckFixtures.tinyAcgan();
        Step s = Step.of(spec, 2, 1, null);
        GanModel m = model(spec, 1);
        Generator view = m.generator();
        var judge = m.discriminator();
        view.close(); // closing a view does nothing
        judge.close();
        assertDoesNotThrow(() -> view.generate(s.noise(), s.labels()));
        m.close();
        assertDoesNotThrow(m::close);
        List<Executable> calls = List.of(
                () -> m.generate(s.noise(), s.labels(), false, null),
                () -> m.generate(s.noise(), s.labels(), true, null),
                () -> view.generate(s.noise(), s.labels()),
                () -> judge.discriminate(s.d().real()),
                () -> m.discriminatorLoss(s.d()),
                () -> m.discriminatorGradients(s.d()),
                () -> m.trainDiscriminator(s.d()),
                () -> m.generatorLoss(s.g()),
                () -> m.generatorGradients(s.g()),
                () -> m.trainGenerator(s.g()),
                m::state,
                () -> m.loadState(TckFixtures.weights(spec, 1)));
        for (Executable call : calls) {
            IllegalStateException e = assertThrows(IllegalStateException.class, call);
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
        }

        Generator g = new Nd4jBackend().loadGenerator(spec, TckFixtures.weights(spec, 1));
        g.generate(s.noise(), s.labels());
        g.close();
        assertDoesNotThrow(g::close);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> g.generate(s.noise(), s.labels()));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    @Test
    void badArgumentsFailWithIllegalArgumentException() {
        ModelSpec spec = TckFixtures.tinyAcgan();
        try (GanModel m = model(spec, 1)) {
            Step s = Step.of(spec, 2, 1, null);
            assertThrows(
                    IllegalArgumentException.class, () -> m.generate(Tensor.zeros(2, 99), s.labels(), false, null));
            assertThrows(IllegalArgumentException.class, () -> m.generator().generate(s.noise(), new int[] {0, 7}));
            assertThrows(IllegalArgumentException.class, () -> m.generator().generate(s.noise(), null));
            Map<String, float[]> badMask = new LinkedHashMap<>(s.d().dropoutMasks());
            badMask.put("drop1", new float[3]);
            DiscriminatorBatch bad = new DiscriminatorBatch(s.d().real(), s.d().fake(), 1f, 0f, 1f, 1f, badMask);
            assertThrows(IllegalArgumentException.class, () -> m.trainDiscriminator(bad));
            ImageBatch wrongShape = ImageBatch.nhwc(1, 3, 3, 1, new float[9], new int[] {0});
            assertThrows(IllegalArgumentException.class, () -> m.discriminator().discriminate(wrongShape));
            // a failed call leaves the model usable and unchanged
            assertEquals(0f, m.state().get("adam/iterations/discriminator").data()[0]);
            assertDoesNotThrow(() -> m.trainDiscriminator(s.d()));
        }
        assertThrows(IllegalArgumentException.class, () -> new Nd4jBackend().loadGenerator(spec, NamedTensors.empty()));
    }

    @Test
    void trainsAcganCganAndGanThroughTheStandardTrainer() {
        for (String preset : List.of("acgan-mnist", "cgan-mnist", "gan-mlp")) {
            ModelSpec spec = Presets.byName(preset);
            TrainingConfig cfg = TrainingConfig.defaults().withBatchSize(8).withMaxSteps(3);
            try (GanTrainer t = GanTrainer.create(new Nd4jBackend(), spec, cfg, Datasets.embeddedMnist())) {
                for (int k = 0; k < 3; k++) {
                    StepResult r = t.step();
                    DiscriminatorLosses d = r.discriminator();
                    GeneratorLosses g = r.generator();
                    assertTrue(Double.isFinite(d.total()) && Double.isFinite(g.total()), preset + " " + r);
                    assertTrue(d.total() > 0 && g.total() > 0, preset + " " + r);
                }
                assertEquals(
                        3f, t.model().state().get("adam/iterations/generator").data()[0]);
                ImageBatch images = t.model().generator().generate(new int[] {0, 1, 2}, 7);
                for (float v : images.pixels()) {
                    assertTrue(v >= -1f && v <= 1f);
                }
            }
        }
    }

    @Test
    void generatorOutputShapeRangeAndLabels() {
        for (ModelSpec spec : EdgeSpecs.all()) {
            try (GanModel m = model(spec, 2)) {
                int[] labels = spec.kind().conditionalGenerator() ? new int[] {0, 1, 1} : null;
                ImageBatch b = m.generator().generate(labels != null ? labels : new int[3], 5);
                assertEquals(3, b.count());
                assertEquals(spec.image().height(), b.height());
                assertEquals(spec.image().width(), b.width());
                assertEquals(spec.image().channels(), b.channels());
                assertArrayEquals(spec.kind().conditionalGenerator() ? labels : null, b.labels());
            }
        }
    }
}
