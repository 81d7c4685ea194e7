package dev.acgan.tensorboard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.api.model.DiscriminatorLosses;
import dev.acgan.api.model.GeneratorLosses;
import dev.acgan.api.train.StepResult;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.Summary;

class TensorBoardListenerTest {

    @TempDir
    Path tmp;

    /** A step as the trainer reports it; the numbers differ per step and per {@code branch}. */
    static StepResult step(long step, int branch) {
        double s = step + 0.1 * branch;
        return new StepResult(
                step,
                0,
                (int) step - 1,
                100,
                64,
                DiscriminatorLosses.of(0.6 + s / 100, 0.7 - s / 100, 0.2 + s / 1000, 0.1),
                GeneratorLosses.of(0.9 + s / 50, 0.3 - s / 1000),
                1_000_000,
                30_000_000 + 1_000_000 * step,
                20_000_000);
    }

    @Test
    void everyLossComponentAndTheSpeedOfEachStep() throws Exception {
        Path dir = tmp.resolve("tb");
        List<StepResult> steps = new ArrayList<>();
        try (TensorBoardListener tb = TensorBoardListener.open(dir, 0)) {
            tb.config("model: acgan\n");
            tb.image("samples/grid", 0, new BufferedImage(8, 6, BufferedImage.TYPE_BYTE_GRAY));
            for (int i = 1; i <= 3; i++) {
                StepResult r = step(i, 0);
                steps.add(r);
                tb.onStep(null, r);
            }
            tb.scalar("quality/fid", 3, 80.25);
        }
        Map<String, Map<Long, Summary.Value>> byTag = byTagAndStep(EventRecords.readDir(dir));
        for (StepResult r : steps) {
            assertEquals((float) r.discriminator().total(), scalar(byTag, TensorBoardListener.D_TOTAL, r.step()));
            assertEquals(
                    (float) r.discriminator().realAdversarial(),
                    scalar(byTag, TensorBoardListener.D_REAL_ADVERSARIAL, r.step()));
            assertEquals(
                    (float) r.discriminator().fakeAdversarial(),
                    scalar(byTag, TensorBoardListener.D_FAKE_ADVERSARIAL, r.step()));
            assertEquals(
                    (float) r.discriminator().realAuxiliary(),
                    scalar(byTag, TensorBoardListener.D_REAL_AUXILIARY, r.step()));
            assertEquals(
                    (float) r.discriminator().fakeAuxiliary(),
                    scalar(byTag, TensorBoardListener.D_FAKE_AUXILIARY, r.step()));
            assertEquals((float) r.generator().total(), scalar(byTag, TensorBoardListener.G_TOTAL, r.step()));
            assertEquals(
                    (float) r.generator().adversarial(), scalar(byTag, TensorBoardListener.G_ADVERSARIAL, r.step()));
            assertEquals((float) r.generator().auxiliary(), scalar(byTag, TensorBoardListener.G_AUXILIARY, r.step()));
            assertEquals((float) (64 / r.seconds()), scalar(byTag, TensorBoardListener.IMAGES_PER_SECOND, r.step()));
        }
        assertEquals(80.25f, scalar(byTag, "quality/fid", 3));
        assertEquals(8, byTag.get("samples/grid").get(0L).getImage().getWidth());
        assertEquals(
                "```yaml\nmodel: acgan\n```\n",
                byTag.get("config").get(0L).getTensor().getStringVal(0).toString(StandardCharsets.UTF_8));
    }

    @Test
    void aResumedRunAddsAFileAndNoStepTwice() throws Exception {
        Path dir = tmp.resolve("resumed");
        try (TensorBoardListener tb = TensorBoardListener.open(dir, 0)) {
            tb.config("steps: 4\n");
            for (int i = 1; i <= 4; i++) {
                tb.onStep(null, step(i, 0));
            }
        }
        // Continues from the checkpoint of step 4: a second file with steps 5 and 6; the config of step 4 is new.
        try (TensorBoardListener tb = TensorBoardListener.open(dir, 4)) {
            assertEquals(4, tb.startStep());
            tb.config("steps: 6\n");
            tb.onStep(null, step(4, 1)); // the step of the checkpoint itself: already logged
            for (int i = 5; i <= 6; i++) {
                tb.onStep(null, step(i, 0));
            }
        }
        assertEquals(2, EventFiles.list(dir).size());
        // Branches from the checkpoint of step 2: the later steps of the earlier sessions go, the new ones come.
        try (TensorBoardListener tb = TensorBoardListener.open(dir, 2)) {
            tb.config("steps: 5\n");
            for (int i = 3; i <= 5; i++) {
                tb.onStep(null, step(i, 2));
            }
        }
        assertEquals(3, EventFiles.list(dir).size());

        List<Event> events = EventRecords.readDir(dir);
        assertEquals(
                3, events.stream().filter(e -> !e.getFileVersion().isEmpty()).count(), "one version per file");
        Map<String, Map<Long, Summary.Value>> byTag = byTagAndStep(events); // fails on a (tag, step) twice
        assertEquals(
                List.of(1L, 2L, 3L, 4L, 5L),
                List.copyOf(byTag.get(TensorBoardListener.D_TOTAL).keySet()));
        for (long s = 1; s <= 5; s++) {
            int branch = s <= 2 ? 0 : 2;
            assertEquals((float) step(s, branch).generator().total(), scalar(byTag, TensorBoardListener.G_TOTAL, s));
        }
        assertEquals(
                List.of(0L, 2L),
                List.copyOf(byTag.get(TensorBoardListener.CONFIG).keySet()));
        assertTrue(byTag.get(TensorBoardListener.CONFIG)
                .get(2L)
                .getTensor()
                .getStringVal(0)
                .toStringUtf8()
                .contains("steps: 5"));
    }

    @Test
    void aDamagedEarlierFileIsLeftAsItIs() throws Exception {
        Path dir = tmp.resolve("damaged");
        try (TensorBoardListener tb = TensorBoardListener.open(dir, 0)) {
            tb.onStep(null, step(1, 0));
        }
        Path file = EventFiles.list(dir).get(0);
        byte[] bytes = java.nio.file.Files.readAllBytes(file);
        bytes[bytes.length - 6] ^= 1;
        java.nio.file.Files.write(file, bytes);
        try (TensorBoardListener tb = TensorBoardListener.open(dir, 1)) {
            tb.onStep(null, step(2, 0));
        }
        assertEquals(2, EventFiles.list(dir).size());
        assertArrayEquals(bytes, java.nio.file.Files.readAllBytes(file));
        assertEquals(
                (float) step(2, 0).discriminator().total(),
                scalar(byTagAndStep(EventRecords.read(EventFiles.list(dir).get(1))), TensorBoardListener.D_TOTAL, 2));
    }

    /** The values by tag and step (in step order), asserting that none is written twice. */
    static Map<String, Map<Long, Summary.Value>> byTagAndStep(List<Event> events) {
        Map<String, Map<Long, Summary.Value>> out = new HashMap<>();
        for (Event e : events) {
            for (Summary.Value v : e.getSummary().getValueList()) {
                Summary.Value before = out.computeIfAbsent(v.getTag(), t -> new java.util.TreeMap<>())
                        .put(e.getStep(), v);
                assertEquals(null, before, v.getTag() + " written twice at step " + e.getStep());
            }
        }
        return out;
    }

    static float scalar(Map<String, Map<Long, Summary.Value>> byTag, String tag, long step) {
        Summary.Value v = byTag.getOrDefault(tag, Map.of()).get(step);
        assertTrue(v != null, tag + " at step " + step);
        return v.getSimpleValue();
    }
}
