package dev.acgan.tck;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.acgan.api.checkpoint.Checkpoint;
import dev.acgan.api.data.DatasetSource;
import dev.acgan.api.model.ClassifierBatch;
import dev.acgan.api.model.ClassifierModel;
import dev.acgan.api.model.ClassifierOutput;
import dev.acgan.api.model.DiscriminatorLosses;
import dev.acgan.api.model.DiscriminatorOutput;
import dev.acgan.api.model.GanModel;
import dev.acgan.api.model.Generator;
import dev.acgan.api.model.StateNames;
import dev.acgan.api.spec.ClassifierPresets;
import dev.acgan.api.spec.ClassifierSpec;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spi.Capability;
import dev.acgan.api.spi.ComputeProbe;
import dev.acgan.api.spi.GanBackend;
import dev.acgan.api.tensor.ImageBatch;
import dev.acgan.api.tensor.NamedTensors;
import dev.acgan.api.tensor.Tensor;
import dev.acgan.api.train.AdamConfig;
import dev.acgan.api.train.GanTrainer;
import dev.acgan.api.train.LearningRateSchedule;
import dev.acgan.api.train.TrainingConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract part of the TCK: shapes, ranges, argument checks, lifecycle, determinism, checkpoint
 * round trips and resume, for GANs and (with {@link Capability#CLASSIFIER}) classifiers. A backend's test class extends this (and {@link GanBackendParityTck}) and
 * supplies the backend:
 *
 * <pre>{@code
 * class MyBackendTckTest extends GanBackendTck {
 *     @Override protected GanBackend backend() { return new MyBackend(); }
 * }
 * }</pre>
 *
 * Tests that need a capability the backend does not declare are reported as skipped.
 */
public abstract class GanBackendTck {

    /** The backend under test; may return a new instance per call. */
    protected abstract GanBackend backend();

    /** Creates a model of the spec with the TCK's seeded weights. */
    protected GanModel model(ModelSpec spec, long seed) {
        return backend()
                .createModel(
                        spec, AdamConfig.acganDefaults(), AdamConfig.acganDefaults(), TckFixtures.weights(spec, seed));
    }

    private void require(Capability c) {
        assumeTrue(backend().capabilities().contains(c), () -> backend().name() + " does not declare " + c);
    }

    @Test
    @DisplayName("backend declares a name, a version and at least CPU or GPU")
    void identity() {
        GanBackend b = backend();
        assertTrue(b.name() != null && b.name().matches("[a-z0-9\\-]+"), "name must be lower-case: " + b.name());
        assertTrue(b.capabilities().contains(Capability.CPU) || b.capabilities().contains(Capability.GPU));
        assertTrue(b.version() != null && !b.version().isBlank());
    }

    @Test
    @DisplayName("compute probe, when offered: argument checks, repeatable products, harmless second close")
    void computeProbeContract() {
        ComputeProbe probe = backend().computeProbe().orElse(null);
        assumeTrue(probe != null, () -> backend().name() + " offers no compute probe");
        assertThrows(IllegalArgumentException.class, () -> probe.prepareSgemm(0));
        assertThrows(IllegalArgumentException.class, () -> probe.sgemmSeconds(16, 0));
        ComputeProbe.Sgemm s = probe.prepareSgemm(48);
        try (s) {
            assertEquals(48, s.n());
            s.run();
            s.run();
        }
        assertDoesNotThrow(s::close);
        double seconds = probe.sgemmSeconds(64, 2);
        assertTrue(seconds > 0 && Double.isFinite(seconds), "sgemmSeconds: " + seconds);
    }

    @Test
    @DisplayName("generator output has the image shape, lies in [-1, 1] and carries the labels (every tiny spec)")
    void generatorShapeAndRange() {
        for (ModelSpec spec : TckFixtures.tinySpecs()) {
            try (GanModel m = model(spec, 11)) {
                for (int n : new int[] {1, 7}) {
                    int[] labels = TckFixtures.labels(spec, n, 3);
                    ImageBatch b = m.generator().generate(TckFixtures.noise(spec, n, 2), labels);
                    assertEquals(n, b.count());
                    assertEquals(spec.image().height(), b.height());
                    assertEquals(spec.image().width(), b.width());
                    assertEquals(spec.image().channels(), b.channels());
                    for (float v : b.pixels()) {
                        assertTrue(v >= -1f && v <= 1f && !Float.isNaN(v), spec.name() + ": pixel " + v);
                    }
                    if (spec.kind().conditionalGenerator()) {
                        assertArrayEquals(labels, b.labels());
                    }
                }
            }
        }
    }

    @Test
    @DisplayName("discriminator heads: validity in [0, 1], class probabilities sum to 1")
    void discriminatorHeads() {
        for (ModelSpec spec : TckFixtures.tinySpecs()) {
            try (GanModel m = model(spec, 12)) {
                ImageBatch images = TckFixtures.images(spec, 7, 5);
                DiscriminatorOutput out = m.discriminator().discriminate(images);
                assertEquals(7, out.validity().length);
                for (float p : out.validity()) {
                    assertTrue(p >= 0 && p <= 1, spec.name() + ": validity " + p);
                }
                if (spec.kind().auxiliaryClassifier()) {
                    assertEquals(7 * spec.numClasses(), out.classProbabilities().length);
                    for (int i = 0; i < 7; i++) {
                        double sum = 0;
                        for (int k = 0; k < spec.numClasses(); k++) {
                            float q = out.classProbabilities()[i * spec.numClasses() + k];
                            assertTrue(q >= 0 && q <= 1);
                            sum += q;
                        }
                        // float32 softmax: the sum is 1 within a few ulps of the largest term.
                        assertEquals(1.0, sum, 1e-5, spec.name() + ": class probabilities of image " + i);
                    }
                } else {
                    assertNull(out.classProbabilities());
                }
            }
        }
    }

    @Test
    @DisplayName("labels out of range, wrong noise and wrong image shapes are rejected clearly")
    void badInputsRejected() {
        ModelSpec spec = TckFixtures.tinyAcgan();
        try (GanModel m = model(spec, 13)) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> m.generator().generate(TckFixtures.noise(spec, 2, 1), new int[] {0, spec.numClasses()}));
            assertTrue(e.getMessage().contains(String.valueOf(spec.numClasses())), e.getMessage());
            assertThrows(
                    IllegalArgumentException.class,
                    () -> m.generator().generate(TckFixtures.noise(spec, 2, 1), new int[] {0, -1}));
            assertThrows(
                    IllegalArgumentException.class, () -> m.generator().generate(TckFixtures.noise(spec, 2, 1), null));
            assertThrows(
                    IllegalArgumentException.class,
                    () -> m.generator()
                            .generate(
                                    new Tensor(
                                            new int[] {2, spec.latentDim() + 1}, new float[2 * (spec.latentDim() + 1)]),
                                    new int[] {0, 1}));
            ImageBatch wrong = ImageBatch.nhwc(
                    1,
                    spec.image().height() + 1,
                    spec.image().width(),
                    1,
                    new float[(spec.image().height() + 1) * spec.image().width()],
                    new int[] {0});
            IllegalArgumentException e2 = assertThrows(
                    IllegalArgumentException.class, () -> m.discriminator().discriminate(wrong));
            assertTrue(e2.getMessage().contains("expects"), e2.getMessage());
        }
    }

    @Test
    @DisplayName("closing twice is harmless; use after close fails with IllegalStateException")
    void lifecycle() {
        ModelSpec spec = TckFixtures.tinyAcgan();
        GanModel m = model(spec, 14);
        Generator g = m.generator();
        m.close();
        assertDoesNotThrow(m::close);
        IllegalStateException e = assertThrows(
                IllegalStateException.class, () -> g.generate(TckFixtures.noise(spec, 1, 1), new int[] {0}));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertThrows(IllegalStateException.class, m::state);
        assertThrows(
                IllegalStateException.class, () -> m.trainDiscriminator(TckFixtures.discriminatorBatch(spec, 2, 2, 1)));

        Generator standalone = backend().loadGenerator(spec, TckFixtures.weights(spec, 14));
        standalone.close();
        assertDoesNotThrow(standalone::close);
        assertThrows(
                IllegalStateException.class, () -> standalone.generate(TckFixtures.noise(spec, 1, 1), new int[] {0}));
    }

    @Test
    @DisplayName("state round trip: loadState(state()) is exact and the model computes the same")
    void stateRoundTrip() {
        ModelSpec spec = TckFixtures.tinyCgan();
        NamedTensors weights = TckFixtures.weights(spec, 15);
        try (GanModel m = model(spec, 15)) {
            NamedTensors s = m.state();
            for (String name : weights.names()) {
                assertArrayEquals(weights.get(name).data(), s.get(name).data(), name);
            }
            m.trainDiscriminator(TckFixtures.discriminatorBatch(spec, 3, 3, 4));
            NamedTensors after = m.state();
            assertEquals(1f, after.get("adam/iterations/discriminator").data()[0]);
            try (GanModel copy =
                    backend().createModel(spec, AdamConfig.acganDefaults(), AdamConfig.acganDefaults(), after)) {
                assertEquals(after, copy.state());
            }
        }
    }

    @Test
    @DisplayName("the discriminator step changes no generator tensor, the generator step no discriminator tensor")
    void updatesTouchOnlyTheirNetwork() {
        for (ModelSpec spec : TckFixtures.tinySpecs()) {
            try (GanModel m = model(spec, 16)) {
                NamedTensors before = m.state();
                m.trainDiscriminator(TckFixtures.discriminatorBatch(spec, 4, 4, 6));
                NamedTensors afterD = m.state();
                for (String n : before.names()) {
                    if (n.startsWith("generator/")) {
                        assertEquals(before.get(n), afterD.get(n), spec.name() + ": D step changed " + n);
                    }
                    if (n.startsWith("discriminator/") && n.endsWith("/kernel")) {
                        assertNotEquals(before.get(n), afterD.get(n), spec.name() + ": D step left " + n);
                    }
                }
                m.trainGenerator(TckFixtures.generatorBatch(spec, 5, 7));
                NamedTensors afterG = m.state();
                for (String n : before.names()) {
                    if (n.startsWith("discriminator/")) {
                        assertEquals(afterD.get(n), afterG.get(n), spec.name() + ": G step changed " + n);
                    }
                    if (n.startsWith("generator/") && n.endsWith("/kernel")) {
                        assertNotEquals(afterD.get(n), afterG.get(n), spec.name() + ": G step left " + n);
                    }
                }
            }
        }
    }

    @Test
    @DisplayName("losses and gradients leave the state unchanged")
    void evaluationIsSideEffectFree() {
        require(Capability.GRADIENTS);
        ModelSpec spec = TckFixtures.tinyAcgan();
        try (GanModel m = model(spec, 17)) {
            NamedTensors before = m.state();
            m.discriminatorLoss(TckFixtures.discriminatorBatch(spec, 2, 3, 1));
            m.discriminatorGradients(TckFixtures.discriminatorBatch(spec, 2, 3, 1));
            m.generatorLoss(TckFixtures.generatorBatch(spec, 4, 1));
            m.generatorGradients(TckFixtures.generatorBatch(spec, 4, 1));
            assertEquals(before, m.state());
        }
    }

    @Test
    @DisplayName("determinism: the same state and inputs give bit-identical losses and updates")
    void deterministic() {
        require(Capability.DETERMINISTIC);
        ModelSpec spec = TckFixtures.tinyAcgan();
        List<NamedTensors> states = new ArrayList<>();
        List<DiscriminatorLosses> losses = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            try (GanModel m = model(spec, 18)) {
                for (int s = 0; s < 3; s++) {
                    losses.add(m.trainDiscriminator(TckFixtures.discriminatorBatch(spec, 5, 5, 100 + s)));
                    m.trainGenerator(TckFixtures.generatorBatch(spec, 10, 200 + s));
                }
                states.add(m.state());
            }
        }
        assertEquals(losses.subList(0, 3), losses.subList(3, 6));
        assertEquals(states.get(0), states.get(1));
    }

    @Test
    @DisplayName("one generator serves concurrent callers with the same results as one caller")
    void concurrentGeneration() throws Exception {
        require(Capability.CONCURRENT_GENERATION);
        ModelSpec spec = TckFixtures.tinyAcgan();
        try (Generator g = backend().loadGenerator(spec, TckFixtures.weights(spec, 19))) {
            List<Tensor> noises = new ArrayList<>();
            List<int[]> labels = new ArrayList<>();
            List<ImageBatch> expected = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                noises.add(TckFixtures.noise(spec, 3 + i, i));
                labels.add(TckFixtures.labels(spec, 3 + i, i));
                expected.add(g.generate(noises.get(i), labels.get(i)));
            }
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<ImageBatch>> futures = new ArrayList<>();
                for (int rep = 0; rep < 4; rep++) {
                    for (int i = 0; i < 8; i++) {
                        int k = i;
                        futures.add(pool.submit(() -> g.generate(noises.get(k), labels.get(k))));
                    }
                }
                for (int f = 0; f < futures.size(); f++) {
                    assertEquals(expected.get(f % 8), futures.get(f).get(), "concurrent call " + f);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    @DisplayName("checkpoint portability: a written and re-read checkpoint generates the same images")
    void checkpointRoundTrip(@TempDir Path dir) {
        ModelSpec spec = TckFixtures.tinyAcgan();
        DatasetSource data = syntheticDataset(spec, 24, 1);
        TrainingConfig cfg =
                TrainingConfig.defaults().withBatchSize(6).withMaxSteps(3).withSeed(5);
        try (GanTrainer t = GanTrainer.create(backend(), spec, cfg, data)) {
            t.run();
            Checkpoint cp = t.checkpoint();
            cp.write(dir.resolve("full"));
            cp.generatorOnly().write(dir.resolve("generator"));
            Tensor z = TckFixtures.noise(spec, 6, 9);
            int[] labels = TckFixtures.labels(spec, 6, 9);
            ImageBatch expected = t.model().generator().generate(z, labels);
            for (String which : List.of("full", "generator")) {
                Checkpoint read = Checkpoint.read(dir.resolve(which));
                try (Generator g = backend().loadGenerator(read.metadata().spec(), read.tensors())) {
                    assertEquals(expected, g.generate(z, labels), which);
                }
            }
        }
    }

    @Test
    @DisplayName("resume: 2 steps + checkpoint + 2 steps equals 4 uninterrupted steps")
    void resumeIsExact(@TempDir Path dir) {
        require(Capability.DETERMINISTIC);
        ModelSpec spec = TckFixtures.tinyAcgan();
        DatasetSource data = syntheticDataset(spec, 20, 2);
        TrainingConfig cfg =
                TrainingConfig.defaults().withBatchSize(6).withSeed(8).withMaxSteps(5);
        NamedTensors straight;
        try (GanTrainer t = GanTrainer.create(backend(), spec, cfg, data)) {
            t.run();
            straight = t.model().state();
        }
        try (GanTrainer t = GanTrainer.create(backend(), spec, cfg.withMaxSteps(2), data)) {
            t.run();
            t.checkpoint().write(dir.resolve("cp"));
        }
        try (GanTrainer t = GanTrainer.resume(backend(), Checkpoint.read(dir.resolve("cp")), cfg, data)) {
            assertEquals(2, t.position().step());
            t.run();
            assertEquals(5, t.position().step());
            assertEquals(straight, t.model().state());
        }
    }

    @Test
    @DisplayName("learning-rate schedule: a milestone continues exactly as a run resumed with the lower rate")
    void learningRateMilestoneIsAnExactRestart(@TempDir Path dir) {
        require(Capability.DETERMINISTIC);
        ModelSpec spec = TckFixtures.tinyAcgan();
        DatasetSource data = syntheticDataset(spec, 20, 2);
        TrainingConfig constant =
                TrainingConfig.defaults().withBatchSize(6).withSeed(8).withMaxSteps(4);
        TrainingConfig scheduled = constant.withLearningRateSchedule(LearningRateSchedule.parse("0.5@2"));
        NamedTensors withMilestone;
        try (GanTrainer t = GanTrainer.create(backend(), spec, scheduled, data)) {
            for (int i = 0; i < 3; i++) {
                t.step();
            }
            t.checkpoint().write(dir.resolve("after-milestone"));
            t.run();
            withMilestone = t.model().state();
        }
        try (GanTrainer t = GanTrainer.create(backend(), spec, constant.withMaxSteps(2), data)) {
            t.run();
            t.checkpoint().write(dir.resolve("before-milestone"));
        }
        AdamConfig half = constant.generatorOptimizer()
                .withLearningRate(constant.generatorOptimizer().learningRate() * 0.5);
        try (GanTrainer t = GanTrainer.resume(
                backend(),
                Checkpoint.read(dir.resolve("before-milestone")),
                constant.withOptimizers(half, half),
                data)) {
            t.run();
            assertEquals(withMilestone, t.model().state(), "2 steps, then 2 at half the rate from the checkpoint");
        }
        try (GanTrainer t =
                GanTrainer.resume(backend(), Checkpoint.read(dir.resolve("after-milestone")), scheduled, data)) {
            t.run();
            assertEquals(withMilestone, t.model().state(), "resumed after the milestone: still half the rate");
        }
        try (GanTrainer t = GanTrainer.create(backend(), spec, constant, data)) {
            t.run();
            assertNotEquals(withMilestone, t.model().state(), "the constant rate trains differently");
        }
    }

    @Test
    @DisplayName("resume with a generator EMA: 11 steps + checkpoint + 9 steps equals 20 uninterrupted steps")
    void resumeWithEmaIsExact(@TempDir Path dir) {
        require(Capability.DETERMINISTIC);
        ModelSpec spec = TckFixtures.tinyAcgan();
        DatasetSource data = syntheticDataset(spec, 20, 2);
        // The EMA is updated after steps 10 and 20: the checkpoint at step 11 holds an average that has moved
        // from the initial weights, and the resumed run makes the second update.
        TrainingConfig cfg = TrainingConfig.defaults()
                .withBatchSize(6)
                .withSeed(8)
                .withMaxSteps(20)
                .withGeneratorEma(0.9);
        Checkpoint straight;
        try (GanTrainer t = GanTrainer.create(backend(), spec, cfg, data)) {
            for (int i = 0; i < 11; i++) {
                t.step();
            }
            // Taking a checkpoint changes nothing, so the same trainer continues as the uninterrupted run.
            t.checkpoint().write(dir.resolve("cp"));
            t.run();
            straight = t.checkpoint();
        }
        try (GanTrainer t = GanTrainer.resume(backend(), Checkpoint.read(dir.resolve("cp")), cfg, data)) {
            assertEquals(11, t.position().step());
            t.run();
            assertEquals(20, t.position().step());
            Checkpoint resumed = t.checkpoint();
            assertTrue(resumed.hasGeneratorEma());
            assertEquals(straight.tensors(), resumed.tensors(), "every tensor, the EMA ones included");
            assertNotEquals(
                    StateNames.generatorOnly(resumed.tensors()),
                    resumed.generatorWeights(),
                    "the EMA differs from the raw generator");
        }
    }

    @Test
    @DisplayName("generator EMA: sampling with the EMA swapped in every step leaves the training state exact")
    void emaSamplingRestoresTheStateExactly() {
        require(Capability.DETERMINISTIC);
        ModelSpec spec = TckFixtures.tinyAcgan();
        DatasetSource data = syntheticDataset(spec, 20, 2);
        TrainingConfig cfg = TrainingConfig.defaults()
                .withBatchSize(6)
                .withSeed(4)
                .withMaxSteps(10)
                .withGeneratorEma(0.9);
        Tensor z = TckFixtures.noise(spec, 6, 9);
        int[] labels = TckFixtures.labels(spec, 6, 9);
        NamedTensors untouched;
        try (GanTrainer t = GanTrainer.create(backend(), spec, cfg, data)) {
            t.run();
            untouched = t.checkpoint().tensors();
        }
        try (GanTrainer t = GanTrainer.create(backend(), spec, cfg, data)) {
            List<ImageBatch> sampled = new ArrayList<>();
            t.addListener(new dev.acgan.api.train.TrainingListener() {
                @Override
                public void onStep(dev.acgan.api.train.Trainer trainer, dev.acgan.api.train.StepResult r) {
                    NamedTensors before = t.model().state();
                    sampled.add(t.withSamplingGenerator(g -> g.generate(z, labels)));
                    assertEquals(before, t.model().state(), "state after the swap at step " + r.step());
                }
            });
            t.run();
            assertEquals(untouched, t.checkpoint().tensors(), "sampling every step changed the training");
            ImageBatch raw = t.model().generator().generate(z, labels);
            ImageBatch averaged = sampled.get(sampled.size() - 1);
            assertNotEquals(raw, averaged, "the swapped-in generator is not the raw one");
            try (Generator g = backend()
                    .loadGenerator(spec, t.samplingWeights(), t.config().precision())) {
                ImageBatch loaded = g.generate(z, labels);
                double diff = 0;
                for (int i = 0; i < loaded.pixels().length; i++) {
                    diff = Math.max(diff, Math.abs(loaded.pixels()[i] - averaged.pixels()[i]));
                }
                // The same weights through the backend's inference-only generator: equal up to kernel choice.
                assertTrue(diff < 1e-4, "EMA generator vs loadGenerator of the EMA weights: " + diff);
            }
        }
    }

    // ------------------------------------------------------------------------------ classifiers

    /** A classifier of the spec with the TCK's seeded weights and LeNet's Adam settings. */
    protected ClassifierModel classifier(ClassifierSpec spec, long seed) {
        return backend().createClassifier(spec, ClassifierChecks.ADAM, TckFixtures.weights(spec, seed));
    }

    @Test
    @DisplayName("classifiers: offered exactly when CLASSIFIER is declared")
    void classifierCapability() {
        ClassifierSpec spec = TckFixtures.tinyClassifier();
        if (!backend().capabilities().contains(Capability.CLASSIFIER)) {
            assertThrows(UnsupportedOperationException.class, () -> classifier(spec, 1));
            return;
        }
        try (ClassifierModel m = classifier(spec, 1)) {
            assertEquals(spec, m.spec());
            assertEquals(backend().name(), m.backendName());
        }
    }

    @Test
    @DisplayName("classifier predictions: probabilities sum to 1, features of the feature output's size")
    void classifierPredictions() {
        require(Capability.CLASSIFIER);
        for (ClassifierSpec spec : TckFixtures.classifierSpecs()) {
            try (ClassifierModel m = classifier(spec, 21)) {
                int features = spec.validate()
                        .node(spec.network().outputs().get(ClassifierSpec.OUT_FEATURES))
                        .outputSize();
                for (int n : new int[] {1, 9}) {
                    ClassifierOutput out =
                            m.predict(TckFixtures.classifierBatch(spec, n, 3).images());
                    assertEquals(n, out.count());
                    assertEquals(spec.numClasses(), out.classes());
                    assertEquals(features, out.featureLength());
                    for (int i = 0; i < n; i++) {
                        double sum = 0;
                        for (int k = 0; k < spec.numClasses(); k++) {
                            float q = out.probabilities()[i * spec.numClasses() + k];
                            assertTrue(q >= 0 && q <= 1, spec.name() + ": probability " + q);
                            sum += q;
                        }
                        assertEquals(1.0, sum, 1e-5, spec.name() + ": probabilities of image " + i);
                    }
                    for (float f : out.features()) {
                        // both classifiers end their feature layer with a ReLU
                        assertTrue(f >= 0 && Float.isFinite(f), spec.name() + ": feature " + f);
                    }
                }
            }
        }
    }

    @Test
    @DisplayName("classifier inputs: wrong image shapes, missing or out-of-range labels, a bad state are rejected")
    void classifierBadInputsRejected() {
        require(Capability.CLASSIFIER);
        ClassifierSpec spec = TckFixtures.tinyClassifier();
        try (ClassifierModel m = classifier(spec, 22)) {
            ImageBatch good = TckFixtures.classifierBatch(spec, 2, 1).images();
            ImageBatch wrong = ImageBatch.nhwc(
                    1,
                    spec.image().height() + 1,
                    spec.image().width(),
                    2,
                    new float[(spec.image().height() + 1) * spec.image().width() * 2],
                    new int[] {0});
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.predict(wrong));
            assertTrue(e.getMessage().contains("expects"), e.getMessage());
            ClassifierBatch unlabelled = ClassifierBatch.of(good.withLabels(null));
            assertThrows(IllegalArgumentException.class, () -> m.train(unlabelled, 1e-3));
            assertThrows(
                    IllegalArgumentException.class,
                    () -> m.loss(ClassifierBatch.of(good.withLabels(new int[] {0, spec.numClasses()}))));
            assertThrows(IllegalArgumentException.class, () -> m.train(ClassifierBatch.of(good), 0));
            NamedTensors state = m.state();
            String kernel = "classifier/conv1/kernel";
            java.util.Map<String, Tensor> bad = new java.util.LinkedHashMap<>(state.asMap());
            bad.put(kernel, Tensor.zeros(1, 2));
            IllegalArgumentException e2 =
                    assertThrows(IllegalArgumentException.class, () -> m.loadState(new NamedTensors(bad)));
            assertTrue(e2.getMessage().contains(kernel), e2.getMessage());
            assertEquals(state, m.state(), "a rejected state changes nothing");
        }
    }

    @Test
    @DisplayName("classifier training: the loss of a batch falls, the counter counts; loss and gradients are pure")
    void classifierTrainingLearns() {
        require(Capability.CLASSIFIER);
        ClassifierSpec spec = ClassifierPresets.lenet(dev.acgan.api.spec.ImageShape.mnist(), 10);
        ClassifierBatch batch = ClassifierBatch.of(TckFixtures.mnist(64, 5));
        try (ClassifierModel m = classifier(spec, 23)) {
            NamedTensors before = m.state();
            double first = m.loss(batch);
            if (backend().capabilities().contains(Capability.GRADIENTS)) {
                m.gradients(batch);
            }
            assertEquals(before, m.state(), "loss and gradients are side-effect free");
            double last = first;
            for (int s = 0; s < 30; s++) {
                last = m.train(batch, 2e-3);
            }
            assertTrue(last < 0.5 * first, "30 Adam steps on one batch of 64 digits: loss " + first + " -> " + last);
            NamedTensors after = m.state();
            assertEquals(30f, after.get(StateNames.ITERATIONS_CLASSIFIER).data()[0]);
            for (String name : before.names()) {
                if (name.endsWith("/kernel")) {
                    assertNotEquals(before.get(name), after.get(name), name + " did not move");
                }
            }
            assertTrue(
                    m.predict(batch.images()).accuracy(batch.images().labels()) > 0.9,
                    "the batch it was trained on is mostly classified right");
        }
    }

    @Test
    @DisplayName("classifier state round trip and determinism: equal states and inputs give equal bits")
    void classifierStateAndDeterminism() {
        require(Capability.CLASSIFIER);
        ClassifierSpec spec = TckFixtures.tinyClassifier();
        List<NamedTensors> states = new ArrayList<>();
        List<Double> losses = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            try (ClassifierModel m = classifier(spec, 24)) {
                for (int s = 0; s < 3; s++) {
                    losses.add(m.train(TckFixtures.classifierBatch(spec, 6, 300 + s), 1e-2 / (s + 1)));
                }
                states.add(m.state());
            }
        }
        ImageBatch images = TckFixtures.classifierBatch(spec, 5, 9).images();
        try (ClassifierModel copy = backend().createClassifier(spec, ClassifierChecks.ADAM, states.get(0));
                ClassifierModel other = classifier(spec, 24)) {
            assertEquals(states.get(0), copy.state(), "loadState(state()) is exact");
            other.loadState(states.get(0));
            assertEquals(copy.predict(images), other.predict(images));
        }
        if (backend().capabilities().contains(Capability.DETERMINISTIC)) {
            assertEquals(losses.subList(0, 3), losses.subList(3, 6));
            assertEquals(states.get(0), states.get(1));
        }
    }

    @Test
    @DisplayName("classifier lifecycle: closing twice is harmless, use after close fails")
    void classifierLifecycle() {
        require(Capability.CLASSIFIER);
        ClassifierSpec spec = TckFixtures.tinyClassifier();
        ClassifierModel m = classifier(spec, 25);
        m.close();
        assertDoesNotThrow(m::close);
        ImageBatch images = TckFixtures.classifierBatch(spec, 1, 1).images();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.predict(images));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertThrows(IllegalStateException.class, m::state);
        assertThrows(IllegalStateException.class, () -> m.train(ClassifierBatch.of(images), 1e-3));
    }

    /** A labelled dataset of seeded images of the spec's shape (see {@link TckFixtures#dataset}). */
    protected static DatasetSource syntheticDataset(ModelSpec spec, int size, long seed) {
        return TckFixtures.dataset(spec, size, seed);
    }
}
