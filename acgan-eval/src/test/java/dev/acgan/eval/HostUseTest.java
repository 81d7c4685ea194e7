package dev.acgan.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.api.data.Datasets;
import dev.acgan.api.spec.Presets;
import dev.acgan.api.spi.Backends;
import dev.acgan.api.spi.GanBackend;
import dev.acgan.api.tensor.ImageBatch;
import dev.acgan.api.train.GanTrainer;
import dev.acgan.api.train.StepResult;
import dev.acgan.api.train.Trainer;
import dev.acgan.api.train.TrainingConfig;
import dev.acgan.api.train.TrainingListener;
import dev.acgan.eval.classifier.Classifier;
import dev.acgan.eval.classifier.ClassifierData;
import dev.acgan.eval.classifier.CompiledClassifier;
import dev.acgan.eval.metrics.EvaluationReport;
import dev.acgan.eval.metrics.Evaluator;
import dev.acgan.eval.metrics.GeneratedSamples;
import dev.acgan.eval.render.ImageGrid;
import dev.acgan.eval.render.Images;
import dev.acgan.eval.render.LossPlot;
import dev.acgan.eval.render.PictureFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a host does with acgan-eval and no CLI (the code of docs/embedding.md's "Measuring and drawing"):
 * train a few steps, plot the losses, measure the generator with the shipped classifier on the same
 * backend, draw a grid.
 */
class HostUseTest {

    @Test
    void trainMeasureAndDraw(@TempDir Path dir) throws Exception {
        GanBackend backend = Backends.discover().select();
        TrainingConfig config = TrainingConfig.defaults().withBatchSize(8).withMaxSteps(3);
        try (GanTrainer trainer =
                GanTrainer.create(backend, Presets.byName("acgan-mnist"), config, Datasets.embeddedMnist())) {
            List<LossPlot.Row> losses = new ArrayList<>();
            trainer.addListener(new TrainingListener() {
                @Override
                public void onStep(Trainer t, StepResult r) {
                    losses.add(LossPlot.Row.of(r));
                }
            });
            trainer.run();
            LossPlot.write(losses, "my run", dir.resolve("loss.png"));
            assertEquals(3, losses.size());
            assertEquals(3, losses.get(2).step());
            PictureFiles.png(dir.resolve("loss.png"), LossPlot.WIDTH, 2 * LossPlot.CHART_HEIGHT);

            try (CompiledClassifier classifier = Classifier.builtIn("mnist").compile(backend)) {
                ImageBatch images = GeneratedSamples.generate(trainer.model().generator(), 10, 42L);
                EvaluationReport r = Evaluator.evaluate(classifier, ClassifierData.test("mnist"), images, 10);
                assertEquals(100, r.generatedImages());
                assertEquals(0.983, r.classifierTestAccuracy(), 1e-9);
                assertTrue(r.fid() > r.fidBaseline(), "3 steps are far from real digits: " + r.fid());
                Images.writePng(ImageGrid.render(images, 10, 10), dir.resolve("grid.png"));
                PictureFiles.png(dir.resolve("grid.png"), ImageGrid.extent(10, 28), ImageGrid.extent(10, 28));
            }
        }
    }
}
