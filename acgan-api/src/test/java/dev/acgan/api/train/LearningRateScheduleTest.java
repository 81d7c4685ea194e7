package dev.acgan.api.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.acgan.api.spec.SpecJson;
import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

    @Test
    void factorsApplyFromTheirMilestoneOn() {
        LearningRateSchedule s = LearningRateSchedule.parse(" 0.5@6000, 0.25 @ 9000 ");
        assertEquals(1, s.factorAt(0));
        assertEquals(1, s.factorAt(5999), "update 6000 still at the full rate");
        assertEquals(0.5, s.factorAt(6000), "the update after 6000 steps");
        assertEquals(0.5, s.factorAt(8999));
        assertEquals(0.25, s.factorAt(9000));
        assertEquals(0.25, s.factorAt(1_000_000));
        assertEquals("0.5@6000,0.25@9000", s.toString());
        assertEquals(s, LearningRateSchedule.parse(s.toString()));
    }

    @Test
    void blankIsTheConstantRate() {
        for (String text : new String[] {null, "", "  "}) {
            LearningRateSchedule s = LearningRateSchedule.parse(text);
            assertTrue(s.isConstant());
            assertEquals(1, s.factorAt(123));
            assertEquals("", s.toString());
        }
    }

    @Test
    void badTextNamesThePartAndTheForm() {
        assertMessage("6000:0.5", "'6000:0.5' is wrong (not FACTOR@STEP)");
        assertMessage("half@6000", "'half@6000' is wrong");
        assertMessage("0.5@0", "step must be at least 1, got 0");
        assertMessage("0@10", "factor must be positive and finite, got 0.0");
        assertMessage("-1@10", "factor must be positive and finite");
        assertMessage("Infinity@10", "factor must be positive and finite");
        assertMessage("0.5@10,", "'' is wrong");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.parse("0.5@900,0.25@800"));
        assertEquals("learning-rate milestones must have increasing steps, got 900 before 800", e.getMessage());
    }

    private static void assertMessage(String text, String part) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.parse(text));
        assertTrue(e.getMessage().contains(part), e.getMessage());
        assertTrue(e.getMessage().contains(LearningRateSchedule.FORM), e.getMessage());
    }

    @Test
    void trainingConfigKeepsItThroughEveryWitherAndJson() throws Exception {
        LearningRateSchedule s = LearningRateSchedule.parse("0.5@6000");
        TrainingConfig c = TrainingConfig.defaults().withLearningRateSchedule(s);
        assertTrue(TrainingConfig.defaults().learningRateSchedule().isConstant());
        TrainingConfig changed = c.withSeed(1)
                .withBatchSize(2)
                .withEpochs(3)
                .withMaxSteps(4)
                .withOptimizers(AdamConfig.acganDefaults(), AdamConfig.acganDefaults())
                .withLabelSmoothing(0.9f)
                .withAuxiliaryWeights(1f, 1f, 1f)
                .withGeneratorEma(0.5)
                .withPrecision(dev.acgan.api.model.Precision.BF16);
        assertEquals(s, changed.learningRateSchedule());

        ObjectMapper json = SpecJson.mapper();
        String text = json.writeValueAsString(c);
        assertEquals("0.5@6000", json.readTree(text).get("learningRateSchedule").asText(), text);
        assertEquals(c, json.readValue(text, TrainingConfig.class));
        // A checkpoint written before schedules existed has no such field: the constant rate.
        ObjectNode old = (ObjectNode) json.readTree(text);
        old.remove("learningRateSchedule");
        assertEquals(TrainingConfig.defaults(), json.readValue(json.writeValueAsString(old), TrainingConfig.class));
    }
}
