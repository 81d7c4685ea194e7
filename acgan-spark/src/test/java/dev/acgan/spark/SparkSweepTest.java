package dev.acgan.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.api.checkpoint.Checkpoint;
import dev.acgan.api.data.Datasets;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spec.Presets;
import dev.acgan.api.spi.Backends;
import dev.acgan.api.train.GanTrainer;
import dev.acgan.api.train.TrainingConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two seeds trained as two parallel tasks, judged by the classifier and ranked ({@code local[2]}). */
class SparkSweepTest {

    @TempDir
    Path tmp;

    @Test
    void twoSeedsAreTrainedJudgedRankedAndTheBestKept() throws Exception {
        ModelSpec spec = Presets.byName("acgan");
        TrainingConfig base =
                TrainingConfig.forPreset("acgan-fast").withBatchSize(8).withMaxSteps(3);
        List<TrainingConfig> configs = List.of(base.withSeed(5), base.withSeed(6));
        List<SparkSweep.Result> results;
        try (JavaSparkContext sc = new JavaSparkContext(LocalSpark.conf("local[2]"))) {
            results = SparkSweep.run(
                    sc, spec, configs, new SparkSweep.Options("mnist", null, 0, "mnist", 5), tmp.resolve("sweep"));
        }
        assertEquals(2, results.size());
        assertTrue(results.get(0).conditionalAccuracy() >= results.get(1).conditionalAccuracy());
        for (SparkSweep.Result r : results) {
            assertEquals(3, r.steps());
            assertTrue(r.fid() > 0 && Double.isFinite(r.fid()), "FID " + r.fid());
            assertTrue(r.classifierScore() >= 1, "classifier score " + r.classifierScore());
        }
        List<String> table = Files.readAllLines(tmp.resolve("sweep").resolve(SparkSweep.TABLE_FILE));
        assertEquals(3, table.size());
        assertTrue(table.get(1)
                .startsWith("1," + results.get(0).index() + "," + results.get(0).seed() + ","));

        // Each task is the local run of its seed; the best one is kept as a complete run directory.
        SparkSweep.Result best = results.get(0);
        try (GanTrainer t = GanTrainer.create(
                Backends.discover().select(), spec, configs.get(best.index()), Datasets.embeddedMnist())) {
            t.run();
            assertEquals(
                    best.stateSha256(),
                    SparkTraining.sha256(SparkTraining.encode(t.checkpoint().tensors())));
            Path bestDir = tmp.resolve("sweep/best");
            Checkpoint kept = Checkpoint.read(bestDir.resolve("checkpoints/step-000000003"));
            assertEquals(t.checkpoint().tensors(), kept.tensors());
            assertTrue(Files.isRegularFile(bestDir.resolve("generator").resolve(Checkpoint.METADATA_FILE)));
            assertTrue(Files.isRegularFile(bestDir.resolve("samples/grid-step-000000003.png")));
            List<String> metrics = Files.readAllLines(bestDir.resolve("metrics.csv"));
            assertEquals(SparkSweep.METRICS_HEADER, metrics.get(0));
            assertEquals(4, metrics.size(), metrics.toString());
            assertTrue(metrics.get(3).startsWith("3,"), metrics.get(3));
            assertEquals(
                    900,
                    javax.imageio.ImageIO.read(bestDir.resolve("loss.png").toFile())
                            .getWidth());
        }
    }
}
