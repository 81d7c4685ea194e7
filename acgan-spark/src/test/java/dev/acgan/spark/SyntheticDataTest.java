package dev.acgan.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.api.checkpoint.Checkpoint;
import dev.acgan.api.checkpoint.CheckpointException;
import dev.acgan.api.data.Datasets;
import dev.acgan.api.model.Generator;
import dev.acgan.api.model.StateNames;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spec.Presets;
import dev.acgan.api.spi.Backends;
import dev.acgan.api.spi.GanBackend;
import dev.acgan.api.train.GanTrainer;
import dev.acgan.api.train.TrainingConfig;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Synthetic data from a checkpoint over Spark's executors ({@code local[2]}). */
class SyntheticDataTest {

    static SparkSession spark;

    @TempDir
    static Path tmp;

    static Path checkpoint;

    @BeforeAll
    static void start() {
        spark = LocalSpark.session("local[2]");
        ModelSpec spec = Presets.byName("acgan");
        TrainingConfig cfg = TrainingConfig.forPreset("acgan-fast").withSeed(3).withBatchSize(8);
        try (GanTrainer t = GanTrainer.create(Backends.discover().select(), spec, cfg, Datasets.embeddedMnist())) {
            t.step();
            checkpoint = tmp.resolve("ckpt");
            t.checkpoint().write(checkpoint);
        }
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    static List<Row> rows(int partitions) {
        SyntheticData.Options o = SyntheticData.Options.of(3, 11, partitions).withRowsPerBatch(4);
        return SyntheticData.generate(spark, checkpoint, o).orderBy("row").collectAsList();
    }

    @Test
    void theSameRowsWhateverThePartitions() throws Exception {
        List<Row> one = rows(1);
        List<Row> three = rows(3);
        assertEquals(30, one.size());
        assertEquals(one.size(), three.size());
        for (int i = 0; i < one.size(); i++) {
            Row a = one.get(i);
            Row b = three.get(i);
            assertEquals(i, a.getLong(0));
            assertEquals(i / 3, a.getInt(1), "label of row " + i);
            assertEquals(SyntheticData.noiseSeed(11, i), a.getLong(2));
            assertEquals(a.getLong(0), b.getLong(0));
            assertEquals(a.getInt(1), b.getInt(1));
            assertEquals(a.getLong(2), b.getLong(2));
            assertArrayEquals((byte[]) a.get(3), (byte[]) b.get(3), "png of row " + i);
        }
        // Each row is an image of the model's shape, and regenerating it from (label, noise seed) gives it again.
        Checkpoint c = Checkpoint.read(checkpoint);
        GanBackend backend = Backends.discover().select();
        try (Generator g = backend.loadGenerator(c.metadata().spec(), StateNames.generatorOnly(c.tensors()))) {
            for (int i : new int[] {0, 13, 29}) {
                Row r = one.get(i);
                BufferedImage img = ImageIO.read(new ByteArrayInputStream((byte[]) r.get(3)));
                assertEquals(28, img.getWidth());
                assertEquals(28, img.getHeight());
                BufferedImage again = ImageIO.read(new ByteArrayInputStream(
                        SyntheticData.png(g.generate(new int[] {r.getInt(1)}, r.getLong(2)), 0)));
                int maxDiff = 0;
                for (int y = 0; y < 28; y++) {
                    for (int x = 0; x < 28; x++) {
                        int d = Math.abs(img.getRaster().getSample(x, y, 0)
                                - again.getRaster().getSample(x, y, 0));
                        maxDiff = Math.max(maxDiff, d);
                    }
                }
                assertTrue(maxDiff <= 1, "row " + i + " regenerated differs by " + maxDiff + " grey levels");
            }
        }
        // Images of different rows differ (the noise seeds do).
        assertTrue(!java.util.Arrays.equals(
                (byte[]) one.get(0).get(3), (byte[]) one.get(1).get(3)));
    }

    @Test
    void parquetHoldsTheRows() {
        Path out = tmp.resolve("synthetic.parquet");
        long n = SyntheticData.writeParquet(spark, checkpoint, SyntheticData.Options.of(2, 11, 2), out);
        assertEquals(20, n);
        assertTrue(Files.isRegularFile(out.resolve("_SUCCESS")));
        List<Row> back =
                spark.read().parquet(out.toUri().toString()).orderBy("row").collectAsList();
        assertEquals(20, back.size());
        assertEquals(9, back.get(19).getInt(1));
    }

    @Test
    void aMissingCheckpointIsOneErrorNamingIt() {
        Path missing = tmp.resolve("nope");
        CheckpointException e = assertThrows(
                CheckpointException.class,
                () -> SyntheticData.generate(spark, missing, SyntheticData.Options.of(1, 1, 1)));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void aCheckpointWithoutAClassConditionalGeneratorIsOneErrorNamingIt() {
        Path gan = tmp.resolve("gan");
        try (GanTrainer t = GanTrainer.create(
                Backends.discover().select(),
                Presets.byName("gan"),
                TrainingConfig.forPreset("gan").withBatchSize(8),
                Datasets.embeddedMnist())) {
            t.checkpoint().write(gan);
        }
        IllegalArgumentException g = assertThrows(
                IllegalArgumentException.class,
                () -> SyntheticData.writeParquet(spark, gan, SyntheticData.Options.of(1, 1, 1), tmp.resolve("g.pq")));
        assertTrue(g.getMessage().startsWith(gan + ": model "), g.getMessage());
        assertTrue(g.getMessage().contains("has no class-conditional generator"), g.getMessage());
        assertTrue(Files.notExists(tmp.resolve("g.pq")));
    }
}
