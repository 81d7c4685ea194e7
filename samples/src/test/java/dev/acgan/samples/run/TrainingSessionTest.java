package dev.acgan.samples.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.api.checkpoint.Checkpoint;
import dev.acgan.api.data.Datasets;
import dev.acgan.api.spec.ImageShape;
import dev.acgan.api.spec.Presets;
import dev.acgan.api.spi.Backends;
import dev.acgan.api.train.GanTrainer;
import dev.acgan.api.train.StepResult;
import dev.acgan.api.train.Trainer;
import dev.acgan.api.train.TrainingConfig;
import dev.acgan.api.train.TrainingListener;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stop path Ctrl-C takes, and the progress bar. */
class TrainingSessionTest {

    @TempDir
    Path tmp;

    @Test
    void stopRequestFinishesTheStepAndWritesACheckpoint() throws Exception {
        var data = Datasets.embeddedMnist();
        var spec = Presets.byName("gan", ImageShape.mnist(), 10, 16);
        TrainingConfig cfg = TrainingConfig.defaults().withBatchSize(8).withMaxSteps(50);
        RunLayout layout = new RunLayout(tmp.resolve("run")).prepare();
        StringWriter bar = new StringWriter();
        TrainingSession closeLater = null;
        try (GanTrainer trainer = GanTrainer.create(Backends.discover().select(), spec, cfg, data)) {
            TrainingSession session = new TrainingSession(layout, trainer,
                    new TrainingSession.Options(0, 3, 0, 10, ProgressReporter.Mode.BAR), new PrintWriter(bar, true),
                    "test");
            closeLater = session;
            trainer.addListener(new TrainingListener() {
                @Override
                public void onStep(Trainer t, StepResult r) {
                    if (r.step() == 2) {
                        session.requestStop(); // what the Ctrl-C hook does, from another thread
                    }
                }
            });
            TrainingSession.Result r = session.run(null);
            assertTrue(r.interrupted());
            assertEquals(2, r.step());
            assertEquals(layout.checkpoint(2), r.checkpoint());
        } finally {
            if (closeLater != null) {
                closeLater.close();
            }
        }
        assertEquals(2, Checkpoint.read(layout.checkpoint(2)).metadata().position().step());
        assertEquals("step-000000002", Files.readString(layout.latestPointer()).strip());
        assertEquals(2, MetricsCsv.readKeeping(layout.metrics(), Long.MAX_VALUE).size());
        assertEquals(List.of(layout.grid(0), layout.grid(2)), TrainingSession.gridFiles(layout.samples()));
        assertTrue(bar.toString().contains("\rstep 2/50 ["), bar.toString());
        assertTrue(bar.toString().contains("ETA"), bar.toString());
    }

    @Test
    void gifFrameSelectionKeepsFirstAndLast() {
        List<Integer> all = java.util.stream.IntStream.range(0, 1000).boxed().toList();
        List<Integer> sel = TrainingSession.select(all, 150);
        assertEquals(150, sel.size());
        assertEquals(0, sel.get(0));
        assertEquals(999, sel.get(149));
        assertEquals(List.of(1, 2), TrainingSession.select(List.of(1, 2), 150));
    }

    @Test
    void durations() {
        assertEquals("12s", ProgressReporter.duration(12.3));
        assertEquals("3m05s", ProgressReporter.duration(185));
        assertEquals("1h02m", ProgressReporter.duration(3725));
    }
}
