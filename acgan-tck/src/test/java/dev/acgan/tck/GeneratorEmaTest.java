package dev.acgan.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.api.checkpoint.Checkpoint;
import dev.acgan.api.checkpoint.CheckpointException;
import dev.acgan.api.checkpoint.CheckpointType;
import dev.acgan.api.data.DatasetSource;
import dev.acgan.api.inject.GeneratorLoader;
import dev.acgan.api.model.Generator;
import dev.acgan.api.model.StateNames;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.tensor.ImageBatch;
import dev.acgan.api.tensor.NamedTensors;
import dev.acgan.api.tensor.Tensor;
import dev.acgan.api.train.GanTrainer;
import dev.acgan.api.train.StepResult;
import dev.acgan.api.train.Trainer;
import dev.acgan.api.train.TrainingConfig;
import dev.acgan.api.train.TrainingListener;
import dev.acgan.tck.oracle.ReferenceBackend;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generator EMA of {@link GanTrainer} ({@link TrainingConfig#generatorEma()}) on the reference backend: the
 * average against the formula computed here, checkpoints, resume, the sampling swap and the generator export.
 * Bit-exact resume and the exactness of the sampling swap for continued training are
 * {@link GanBackendTck}'s ({@code resumeWithEmaIsExact}, {@code emaSamplingRestoresTheStateExactly}): the
 * reference backend keeps its weights in float64, so a float checkpoint of it does not resume bit for bit.
 */
class GeneratorEmaTest {

    private static final ReferenceBackend BACKEND = new ReferenceBackend();
    private static final ModelSpec SPEC = TckFixtures.tinyAcgan();
    private static final DatasetSource DATA = TckFixtures.dataset(SPEC, 20, 2);
    private static final double DECAY = 0.9;
    private static final TrainingConfig CFG =
            TrainingConfig.defaults().withBatchSize(6).withSeed(8).withGeneratorEma(DECAY);

    @Test
    void averageFollowsTheFormulaExactly() {
        Map<Long, NamedTensors> weights = new LinkedHashMap<>();
        try (GanTrainer t = GanTrainer.create(BACKEND, SPEC, CFG.withMaxSteps(25), DATA)) {
            weights.put(0L, t.model().generatorState());
            assertEquals(weights.get(0L), t.samplingWeights(), "the EMA starts at the initial weights");
            t.addListener(new TrainingListener() {
                @Override
                public void onStep(Trainer trainer, StepResult r) {
                    weights.put(r.step(), trainer.model().state().withPrefix("generator/"));
                }
            });
            t.run();
            // Updates after steps 10 and 20 only (EMA_EVERY = 10), with the warmed-up decay min(d, (1 + t) / (10 +
            // t)) to the 10th power; computed here in double and rounded to float value by value as the trainer
            // does, so equality is exact.
            assertEquals(10, GanTrainer.EMA_EVERY);
            NamedTensors expected = weights.get(0L);
            for (long step : new long[] {10, 20}) {
                double a = StrictMath.pow(Math.min(DECAY, (1.0 + step) / (10.0 + step)), 10);
                Map<String, Tensor> next = new LinkedHashMap<>();
                for (String name : expected.names()) {
                    float[] e = expected.get(name).data();
                    float[] w = weights.get(step).get(name).data();
                    float[] out = new float[e.length];
                    for (int i = 0; i < e.length; i++) {
                        out[i] = (float) (a * e[i] + (1 - a) * w[i]);
                    }
                    next.put(name, new Tensor(expected.get(name).shape(), out));
                }
                expected = new NamedTensors(next);
            }
            NamedTensors ema = t.samplingWeights();
            assertEquals(expected, ema);
            // Every generator parameter and BatchNorm moving statistic is averaged.
            assertEquals(t.model().generatorState().names(), ema.names());
            assertTrue(ema.contains("generator/bn1/moving_mean"), ema.names().toString());
            assertNotEquals(t.model().generatorState(), ema);
        }
    }

    @Test
    void theDecayWarmsUpToTheConfiguredOne() {
        // min(d, (1 + t) / (10 + t)): 11/20 after 10 steps, then d once (1 + t) / (10 + t) passes it (t > 8,990
        // for 0.999), each raised to EMA_EVERY.
        assertEquals(StrictMath.pow(0.55, 10), GanTrainer.emaFactor(0.999, 10));
        assertEquals(StrictMath.pow(1001.0 / 1010.0, 10), GanTrainer.emaFactor(0.999, 1000));
        assertEquals(StrictMath.pow(0.999, 10), GanTrainer.emaFactor(0.999, 9000));
        assertEquals(StrictMath.pow(0.999, 10), GanTrainer.emaFactor(0.999, 1_000_000));
    }

    @Test
    void offByDefaultAndCheckpointsHoldNoEma() {
        assertEquals(0, TrainingConfig.defaults().generatorEma());
        try (GanTrainer t = GanTrainer.create(
                BACKEND, SPEC, TrainingConfig.defaults().withBatchSize(6).withMaxSteps(10), DATA)) {
            t.run();
            assertFalse(t.emaEnabled());
            Checkpoint c = t.checkpoint();
            assertFalse(c.hasGeneratorEma());
            assertEquals(t.model().state(), c.tensors());
            assertEquals(t.model().generatorState(), t.samplingWeights());
            assertEquals(
                    StateNames.generatorOnly(c.tensors()), c.generatorOnly().tensors());
        }
    }

    @Test
    void samplingSwapsTheEmaInAndRestoresTheState() {
        try (GanTrainer t = GanTrainer.create(BACKEND, SPEC, CFG.withMaxSteps(20), DATA)) {
            t.run();
            NamedTensors before = t.model().state();
            Tensor z = TckFixtures.noise(SPEC, 6, 9);
            int[] labels = TckFixtures.labels(SPEC, 6, 9);
            ImageBatch raw = t.model().generator().generate(z, labels);
            ImageBatch averaged = t.withSamplingGenerator(g -> g.generate(z, labels));
            // The state as state() reports it comes back bit for bit (this backend's float64 internals are
            // rounded to float by it, which is why exactness for further training is a TCK test on float backends).
            assertEquals(before, t.model().state());
            assertNotEquals(raw, averaged);
            try (Generator g =
                    BACKEND.loadGenerator(SPEC, t.samplingWeights(), t.config().precision())) {
                assertEquals(g.generate(z, labels), averaged, "the swapped-in generator is the EMA one");
            }
            assertThrows(
                    IllegalStateException.class,
                    () -> t.withSamplingGenerator(g -> {
                        throw new IllegalStateException("fails inside");
                    }));
            assertEquals(before, t.model().state(), "restored after a failure too");
        }
    }

    @Test
    void checkpointAndGeneratorExportHoldTheEma(@TempDir Path dir) {
        Tensor z = TckFixtures.noise(SPEC, 6, 3);
        int[] labels = TckFixtures.labels(SPEC, 6, 3);
        NamedTensors ema;
        ImageBatch expected;
        try (GanTrainer t = GanTrainer.create(BACKEND, SPEC, CFG.withMaxSteps(20), DATA)) {
            t.run();
            ema = t.samplingWeights();
            expected = t.withSamplingGenerator(g -> g.generate(z, labels));
            Checkpoint c = t.checkpoint();
            for (Map.Entry<String, Tensor> e : ema.asMap().entrySet()) {
                assertEquals(e.getValue(), c.tensors().get(StateNames.EMA + e.getKey()));
            }
            c.write(dir.resolve("training"));
            c.generatorOnly().write(dir.resolve("generator"));
        }
        Checkpoint training = Checkpoint.read(dir.resolve("training"));
        assertTrue(training.hasGeneratorEma());
        assertEquals(ema, training.generatorWeights());
        Checkpoint generator = Checkpoint.read(dir.resolve("generator"));
        assertEquals(CheckpointType.GENERATOR, generator.metadata().type());
        assertEquals(ema, generator.tensors(), "generator/ holds the EMA under the plain names");
        assertEquals(DECAY, generator.metadata().config().generatorEma(), "and its config says so");
        GeneratorLoader loader = new GeneratorLoader(BACKEND);
        for (String which : new String[] {"training", "generator"}) {
            try (Generator g = loader.load(dir.resolve(which))) {
                assertEquals(expected, g.generate(z, labels), which);
            }
        }
    }

    @Test
    void resumeTurnsTheEmaOnFromTheCurrentWeightsOrOff(@TempDir Path dir) {
        TrainingConfig off = CFG.withGeneratorEma(0);
        try (GanTrainer t = GanTrainer.create(BACKEND, SPEC, off.withMaxSteps(5), DATA)) {
            t.run();
            t.checkpoint().write(dir.resolve("plain"));
        }
        Checkpoint plain = Checkpoint.read(dir.resolve("plain"));
        try (GanTrainer t = GanTrainer.resume(BACKEND, plain, CFG.withMaxSteps(8), DATA)) {
            assertTrue(t.emaEnabled());
            assertEquals(StateNames.generatorOnly(plain.tensors()), t.samplingWeights());
            t.run();
            t.checkpoint().write(dir.resolve("with-ema"));
        }
        Checkpoint withEma = Checkpoint.read(dir.resolve("with-ema"));
        assertTrue(withEma.hasGeneratorEma());
        try (GanTrainer t = GanTrainer.resume(BACKEND, withEma, off.withMaxSteps(9), DATA)) {
            assertFalse(t.emaEnabled());
            assertEquals(StateNames.withoutEma(withEma.tensors()), t.model().state());
            assertFalse(t.checkpoint().hasGeneratorEma());
        }
    }

    @Test
    void aDamagedEmaIsRefusedOnRead(@TempDir Path dir) {
        Checkpoint c;
        try (GanTrainer t = GanTrainer.create(BACKEND, SPEC, CFG.withMaxSteps(1), DATA)) {
            c = t.checkpoint();
        }
        Map<String, Tensor> extra = new LinkedHashMap<>(c.tensors().asMap());
        extra.put(StateNames.EMA + "generator/nonsense", Tensor.zeros(2));
        new Checkpoint(c.metadata(), new NamedTensors(extra)).write(dir.resolve("unknown"));
        CheckpointException e = assertThrows(CheckpointException.class, () -> Checkpoint.read(dir.resolve("unknown")));
        assertTrue(e.getMessage().contains("ema/generator/nonsense"), e.getMessage());

        Map<String, Tensor> missing = new LinkedHashMap<>(c.tensors().asMap());
        missing.remove(StateNames.EMA + "generator/bn1/moving_mean");
        new Checkpoint(c.metadata(), new NamedTensors(missing)).write(dir.resolve("missing"));
        e = assertThrows(CheckpointException.class, () -> Checkpoint.read(dir.resolve("missing")));
        assertTrue(e.getMessage().contains("lacks 'ema/generator/bn1/moving_mean'"), e.getMessage());
    }
}
