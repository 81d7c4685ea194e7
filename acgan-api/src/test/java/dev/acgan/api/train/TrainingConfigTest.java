package dev.acgan.api.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.acgan.api.model.Precision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class TrainingConfigTest {

    private static final AdamConfig ADAM = AdamConfig.acganDefaults();

    @Test
    void defaultsAreThoseOfTheAcganExample() {
        TrainingConfig c = TrainingConfig.defaults();
        assertEquals(42, c.seed());
        assertEquals(100, c.batchSize());
        assertEquals(2, c.generatorBatchFactor());
        assertEquals(100, c.epochs());
        assertEquals(0, c.maxSteps());
        for (AdamConfig a : new AdamConfig[] {c.generatorOptimizer(), c.discriminatorOptimizer()}) {
            assertEquals(2e-4, a.learningRate());
            assertEquals(0.5, a.beta1());
            assertEquals(0.999, a.beta2());
            assertEquals(1e-7, a.epsilon());
        }
        assertEquals(0.95f, c.realLabel());
        assertEquals(0f, c.fakeLabel());
        assertEquals(0.95f, c.generatorTarget());
        assertEquals(1f, c.auxWeightReal());
        assertEquals(1f, c.auxWeightFake());
        assertEquals(1f, c.auxWeightGenerator());
        assertEquals(new AdamConfig(2e-4, 0.5, 0.999, 1e-7), AdamConfig.acganDefaults());
        assertEquals(Precision.FP32, c.precision());
    }

    @Test
    void precisionDefaultsToFp32AndIsKeptByEveryWither() {
        TrainingConfig b = TrainingConfig.defaults().withPrecision(Precision.BF16);
        assertEquals(Precision.BF16, b.precision());
        assertEquals(
                Precision.BF16,
                b.withSeed(1)
                        .withBatchSize(2)
                        .withEpochs(3)
                        .withMaxSteps(4)
                        .withOptimizers(ADAM, ADAM)
                        .withLabelSmoothing(0.9f)
                        .withAuxiliaryWeights(1f, 1f, 1f)
                        .precision());
        assertEquals(
                Precision.FP32, new TrainingConfig(1, 10, 1, 1, 0, ADAM, ADAM, 1f, 0f, 1f, 1f, 1f, 1f).precision());
        assertEquals(
                Precision.FP32,
                new TrainingConfig(1, 10, 1, 1, 0, ADAM, ADAM, 1f, 0f, 1f, 1f, 1f, 1f, null).precision(),
                "a checkpoint written before precisions existed");
        assertEquals(TrainingConfig.defaults(), b.withPrecision(Precision.FP32));
    }

    @Test
    void generatorEmaIsOffByDefaultKeptByEveryWitherAndValidated() {
        assertEquals(0, TrainingConfig.defaults().generatorEma());
        assertEquals(0, TrainingConfig.forPreset("acgan-fast").generatorEma());
        assertEquals(0, new TrainingConfig(1, 10, 1, 1, 0, ADAM, ADAM, 1f, 0f, 1f, 1f, 1f, 1f, null).generatorEma());
        TrainingConfig e = TrainingConfig.defaults().withGeneratorEma(0.999);
        assertEquals(0.999, e.generatorEma());
        assertEquals(true, e.emaEnabled());
        assertEquals(false, TrainingConfig.defaults().emaEnabled());
        assertEquals(
                0.999,
                e.withSeed(1)
                        .withBatchSize(2)
                        .withEpochs(3)
                        .withMaxSteps(4)
                        .withOptimizers(ADAM, ADAM)
                        .withLabelSmoothing(0.9f)
                        .withAuxiliaryWeights(1f, 1f, 1f)
                        .withPrecision(Precision.BF16)
                        .generatorEma());
        assertEquals(TrainingConfig.defaults(), e.withGeneratorEma(0));
        for (double bad : new double[] {-0.1, 1, 1.5, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertMessage(
                    "generatorEma must be in [0, 1) (0: off), got " + bad,
                    () -> TrainingConfig.defaults().withGeneratorEma(bad));
        }
    }

    @Test
    void aConfigWrittenBeforeTheEmaExistedReadsWithTheEmaOff() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = dev.acgan.api.spec.SpecJson.mapper();
        TrainingConfig c = TrainingConfig.defaults().withMaxSteps(7);
        com.fasterxml.jackson.databind.node.ObjectNode tree = json.valueToTree(c);
        assertEquals(0.0, tree.get("generatorEma").asDouble());
        tree.remove("generatorEma");
        assertEquals(c, json.treeToValue(tree, TrainingConfig.class));
        TrainingConfig on = c.withGeneratorEma(0.99);
        assertEquals(on, json.readValue(json.writeValueAsString(on), TrainingConfig.class));
    }

    @Test
    void precisionParsesItsLabels() {
        assertEquals(Precision.BF16, Precision.parse(" BF16 ", "--precision"));
        assertEquals(Precision.AUTO, Precision.parse("auto", "--precision"));
        assertEquals("fp32", Precision.parse("fp32", "--precision").label());
        assertMessage(
                "--precision must be fp32, bf16 or auto, got 'fp16'", () -> Precision.parse("fp16", "--precision"));
        assertMessage("precision must be fp32, bf16 or auto, got 'null'", () -> Precision.parse(null, "precision"));
    }

    @Test
    void withersChangeOneThing() {
        TrainingConfig d = TrainingConfig.defaults();
        assertEquals(7, d.withSeed(7).seed());
        assertEquals(d, d.withSeed(7).withSeed(42));
        assertEquals(32, d.withBatchSize(32).batchSize());
        assertEquals(3, d.withEpochs(3).epochs());
        assertEquals(500, d.withMaxSteps(500).maxSteps());
        AdamConfig g = ADAM.withLearningRate(1e-3);
        AdamConfig disc = ADAM.withBeta1(0.9);
        TrainingConfig o = d.withOptimizers(g, disc);
        assertEquals(g, o.generatorOptimizer());
        assertEquals(disc, o.discriminatorOptimizer());
        TrainingConfig s = d.withLabelSmoothing(1f);
        assertEquals(1f, s.realLabel());
        assertEquals(1f, s.generatorTarget());
        assertEquals(0f, s.fakeLabel());
        TrainingConfig w = d.withAuxiliaryWeights(2f, 0f, 1.5f);
        assertEquals(2f, w.auxWeightReal());
        assertEquals(0f, w.auxWeightFake());
        assertEquals(1.5f, w.auxWeightGenerator());
        assertEquals(d.withBatchSize(32).withEpochs(3), d.withEpochs(3).withBatchSize(32));
    }

    @Test
    void presetRecipes() {
        TrainingConfig d = TrainingConfig.defaults();
        for (String seedExample : new String[] {"acgan-mnist", "cgan-mnist", "gan-mlp", "something-else"}) {
            assertEquals(d, TrainingConfig.forPreset(seedExample), seedExample);
        }
        assertEquals(d.withAuxiliaryWeights(2f, 0f, 3f), TrainingConfig.forPreset("acgan-fast"));
    }

    @Test
    void validationMessagesNameTheField() {
        assertMessage(
                "batchSize must be at least 1, got 0",
                () -> TrainingConfig.defaults().withBatchSize(0));
        assertMessage(
                "generatorBatchFactor must be at least 1, got 0",
                () -> new TrainingConfig(1, 10, 0, 1, 0, ADAM, ADAM, 1f, 0f, 1f, 1f, 1f, 1f));
        assertMessage(
                "epochs must be at least 1, got 0",
                () -> TrainingConfig.defaults().withEpochs(0));
        assertMessage(
                "maxSteps must be 0 (no limit) or positive, got -1",
                () -> TrainingConfig.defaults().withMaxSteps(-1));
        NullPointerException npe = assertThrows(
                NullPointerException.class, () -> TrainingConfig.defaults().withOptimizers(null, ADAM));
        assertEquals("generatorOptimizer", npe.getMessage());
        NullPointerException npe2 = assertThrows(
                NullPointerException.class, () -> TrainingConfig.defaults().withOptimizers(ADAM, null));
        assertEquals("discriminatorOptimizer", npe2.getMessage());
        assertMessage(
                "realLabel, fakeLabel and generatorTarget must be in [0, 1], got 1.5, 0.0, 1.5",
                () -> TrainingConfig.defaults().withLabelSmoothing(1.5f));
        assertMessage(
                "realLabel, fakeLabel and generatorTarget must be in [0, 1], got 0.95, -0.1, 0.95",
                () -> new TrainingConfig(1, 10, 1, 1, 0, ADAM, ADAM, 0.95f, -0.1f, 0.95f, 1f, 1f, 1f));
        assertMessage(
                "realLabel, fakeLabel and generatorTarget must be in [0, 1], got NaN, 0.0, NaN",
                () -> TrainingConfig.defaults().withLabelSmoothing(Float.NaN));
        assertMessage(
                "auxiliary weights must be finite and non-negative",
                () -> TrainingConfig.defaults().withAuxiliaryWeights(-1f, 1f, 1f));
        assertMessage(
                "auxiliary weights must be finite and non-negative",
                () -> TrainingConfig.defaults().withAuxiliaryWeights(1f, Float.POSITIVE_INFINITY, 1f));
        assertMessage(
                "auxiliary weights must be finite and non-negative",
                () -> TrainingConfig.defaults().withAuxiliaryWeights(1f, 1f, Float.NaN));
        // boundaries are allowed
        TrainingConfig edge = new TrainingConfig(-1, 1, 1, 1, 0, ADAM, ADAM, 1f, 0f, 0f, 0f, 0f, 0f);
        assertEquals(1, edge.batchSize());
    }

    @Test
    void adamValidation() {
        assertMessage("learningRate must be positive, got 0.0", () -> new AdamConfig(0, 0.5, 0.999, 1e-7));
        assertMessage("learningRate must be positive, got NaN", () -> ADAM.withLearningRate(Double.NaN));
        assertMessage("beta1 and beta2 must be in [0, 1), got 1.0, 0.999", () -> ADAM.withBeta1(1.0));
        assertMessage("beta1 and beta2 must be in [0, 1), got -0.1, 0.999", () -> ADAM.withBeta1(-0.1));
        assertMessage("beta1 and beta2 must be in [0, 1), got 0.5, 1.0", () -> new AdamConfig(1e-3, 0.5, 1.0, 1e-7));
        assertMessage("epsilon must be positive, got 0.0", () -> new AdamConfig(1e-3, 0.5, 0.9, 0));
        assertMessage("epsilon must be positive, got -1.0E-7", () -> new AdamConfig(1e-3, 0.5, 0.9, -1e-7));
        AdamConfig zeroBetas = new AdamConfig(1e-3, 0, 0, 1e-8);
        assertEquals(0, zeroBetas.beta1());
        assertEquals(new AdamConfig(1e-3, 0.5, 0.999, 1e-7), ADAM.withLearningRate(1e-3));
        assertEquals(new AdamConfig(2e-4, 0.9, 0.999, 1e-7), ADAM.withBeta1(0.9));
    }

    @Test
    void positionStart() {
        assertEquals(new TrainingPosition(0, 0, 0), TrainingPosition.start());
    }

    private static void assertMessage(String message, Executable e) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertEquals(message, ex.getMessage());
    }
}
