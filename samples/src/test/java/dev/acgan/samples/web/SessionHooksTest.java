package dev.acgan.samples.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.api.checkpoint.Checkpoint;
import dev.acgan.api.data.Datasets;
import dev.acgan.api.spec.ImageShape;
import dev.acgan.api.spec.Presets;
import dev.acgan.api.spi.Backends;
import dev.acgan.api.train.GanTrainer;
import dev.acgan.api.train.TrainingConfig;
import dev.acgan.samples.run.MetricsRow;
import dev.acgan.samples.run.ProgressReporter;
import dev.acgan.samples.run.RunLayout;
import dev.acgan.samples.run.TrainingSession;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hooks the web demo uses on {@link TrainingSession}: events after each output, pause, resume, stop. */
class SessionHooksTest {

    @TempDir
    Path tmp;

    /** What a session reported, in order. */
    static final class Recorder implements TrainingSession.Events {
        final List<String> events = new CopyOnWriteArrayList<>();
        final List<Long> stepNanos = new CopyOnWriteArrayList<>();

        @Override
        public void onStep(MetricsRow row) {
            events.add("step " + row.step());
            stepNanos.add(System.nanoTime());
        }

        @Override
        public void onGrid(long step, Path file) {
            assertTrue(Files.isRegularFile(file), file + " is written before the event");
            events.add("grid " + step);
        }

        @Override
        public void onCheckpoint(long step, Path dir) {
            assertTrue(Files.isRegularFile(dir.resolve(Checkpoint.METADATA_FILE)), dir + " is complete");
            events.add("checkpoint " + step);
        }
    }

    private GanTrainer trainer(long steps) {
        var spec = Presets.byName("gan", ImageShape.mnist(), 10, 16);
        return GanTrainer.create(
                Backends.discover().select(),
                spec,
                TrainingConfig.defaults().withBatchSize(4).withMaxSteps(steps),
                Datasets.embeddedMnist());
    }

    private TrainingSession session(RunLayout layout, GanTrainer t) {
        return new TrainingSession(
                layout,
                t,
                new TrainingSession.Options(3, 3, 2, 100, ProgressReporter.Mode.LOG),
                new PrintWriter(new StringWriter()),
                "test");
    }

    @Test
    void eventsFollowTheOutputsAndAPauseHoldsUntilResumed() throws Exception {
        RunLayout layout = new RunLayout(tmp.resolve("run")).prepare();
        Recorder rec = new Recorder();
        try (GanTrainer t = trainer(6);
                TrainingSession s = session(layout, t)) {
            s.addEvents(rec);
            s.addEvents(new TrainingSession.Events() {
                @Override
                public void onStep(MetricsRow row) {
                    if (row.step() == 2) {
                        s.pause();
                        assertTrue(s.paused());
                        new Thread(() -> {
                                    sleep(400);
                                    s.resume();
                                })
                                .start();
                    }
                }
            });
            TrainingSession.Result r = s.run(null);
            assertFalse(r.interrupted());
            assertEquals(6, r.step());
            assertFalse(s.paused());
        }
        assertEquals(
                List.of(
                        "grid 0",
                        "step 1",
                        "step 2",
                        "grid 2",
                        "step 3",
                        "checkpoint 3",
                        "step 4",
                        "grid 4",
                        "step 5",
                        "step 6",
                        "grid 6",
                        "checkpoint 6"),
                rec.events);
        long held = rec.stepNanos.get(2) - rec.stepNanos.get(1);
        assertTrue(held >= 350_000_000L, "the pause held the training between steps 2 and 3 (" + held / 1e6 + " ms)");
    }

    @Test
    void stoppingAPausedTrainingEndsItWithACheckpoint() throws Exception {
        RunLayout layout = new RunLayout(tmp.resolve("run")).prepare();
        Recorder rec = new Recorder();
        try (GanTrainer t = trainer(1000);
                TrainingSession s = session(layout, t)) {
            s.addEvents(rec);
            s.addEvents(new TrainingSession.Events() {
                @Override
                public void onStep(MetricsRow row) {
                    if (row.step() == 1) {
                        s.pause();
                        new Thread(() -> {
                                    sleep(200);
                                    s.requestStop();
                                })
                                .start();
                    }
                }
            });
            TrainingSession.Result r = s.run(null);
            assertTrue(r.interrupted());
            assertEquals(1, r.step());
            assertEquals(layout.checkpoint(1), r.checkpoint());
        }
        assertEquals(List.of("grid 0", "step 1", "grid 1", "checkpoint 1"), rec.events);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
