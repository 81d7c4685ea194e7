package dev.acgan.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.api.checkpoint.Checkpoint;
import dev.acgan.api.data.DatasetException;
import dev.acgan.api.data.Datasets;
import dev.acgan.api.data.IdxDataset;
import dev.acgan.api.spec.ModelSpec;
import dev.acgan.api.spec.Presets;
import dev.acgan.api.train.TrainingConfig;
import dev.acgan.eval.render.LossPlot;
import dev.acgan.tensorboard.EventFileWriter;
import dev.acgan.tensorboard.TensorBoardListener;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import javax.imageio.ImageIO;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.Summary;

/**
 * Training on images Spark reads itself ({@code parquet:} and {@code binaryfile:}), in local mode
 * ({@code local[2,2]}), against the same digits read by the API ({@code images:DIR}).
 */
class SparkDatasetTest {

    static SparkSession session;
    static JavaSparkContext spark;

    @TempDir
    static Path tmp;

    static final ModelSpec SPEC = Presets.byName("acgan");
    static final TrainingConfig CONFIG =
            TrainingConfig.forPreset("acgan-fast").withSeed(7).withBatchSize(8).withMaxSteps(4);
    /** Digits used: 30 per worker, so the 4 steps of batch 8 cross an epoch of a share. */
    static final int COUNT = 60;

    static Path folder;
    /** The PNG of every digit, in the order {@code images:DIR} reads them (label, then file name). */
    static final List<byte[]> PNGS = new ArrayList<>();

    static final List<Integer> LABELS = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        session = LocalSpark.session("local[2,2]");
        spark = LocalSpark.context(session);
        IdxDataset mnist = Datasets.embeddedMnist();
        folder = tmp.resolve("digits");
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            order.add(i);
        }
        // The order of images:DIR: by class folder, then file name (the digit's index, zero-padded).
        order.sort((a, b) -> mnist.label(a) != mnist.label(b) ? mnist.label(a) - mnist.label(b) : a - b);
        for (int i : order) {
            byte[] png = png(mnist, i);
            Path file =
                    folder.resolve(Integer.toString(mnist.label(i))).resolve(String.format(Locale.ROOT, "%05d.png", i));
            Files.createDirectories(file.getParent());
            Files.write(file, png);
            PNGS.add(png);
            LABELS.add(mnist.label(i));
        }
    }

    @AfterAll
    static void stop() {
        if (session != null) {
            session.stop();
        }
    }

    static byte[] png(IdxDataset mnist, int index) throws Exception {
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int p = 0; p < 28 * 28; p++) {
            img.getRaster().setSample(p % 28, p / 28, 0, mnist.rawByte(index, p));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    /** The digits as Parquet (columns of {@link SyntheticData#SCHEMA}), rows shuffled over 3 files. */
    static Path parquet(String name, int damagedRow) {
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < PNGS.size(); r++) {
            byte[] png = PNGS.get(r);
            if (r == damagedRow) {
                png = Arrays.copyOf(png, png.length / 2);
            }
            rows.add(RowFactory.create((long) r, LABELS.get(r), 0L, png));
        }
        Collections.shuffle(rows, new Random(1));
        Path out = tmp.resolve(name);
        session.createDataFrame(rows, SyntheticData.SCHEMA)
                .repartition(3)
                .write()
                .mode(SaveMode.ErrorIfExists)
                .parquet(out.toString());
        return out;
    }

    static SparkTraining.Options options(int workers, String dataset) {
        return SparkTraining.Options.of(workers, 2, dataset).withPeriods(1, 0);
    }

    @Test
    void parquetAndBinaryFileTrainExactlyAsTheImageFolderAndWriteLossPng() throws Exception {
        SparkTraining.Report api =
                SparkTraining.train(spark, SPEC, CONFIG, options(2, "images:" + folder), tmp.resolve("api"));
        SparkTraining.Report pq = SparkTraining.train(
                spark, SPEC, CONFIG, options(2, "parquet:" + parquet("digits.parquet", -1)), tmp.resolve("pq"));
        SparkTraining.Report bin =
                SparkTraining.train(spark, SPEC, CONFIG, options(2, "binaryfile:" + folder), tmp.resolve("bin"));
        assertEquals(4, api.step());
        assertEquals(api.stateSha256(), pq.stateSha256(), "Parquet of the same PNGs");
        assertEquals(api.stateSha256(), bin.stateSha256(), "binaryFile over the same folder");
        byte[] tensors = Files.readAllBytes(api.checkpoint().resolve(Checkpoint.TENSORS_FILE));
        assertArrayEquals(tensors, Files.readAllBytes(pq.checkpoint().resolve(Checkpoint.TENSORS_FILE)));
        assertArrayEquals(tensors, Files.readAllBytes(bin.checkpoint().resolve(Checkpoint.TENSORS_FILE)));

        // Resuming a run on Parquet reads it again: 2 steps + resume to 4 = the 4 steps in one go. Both parts
        // write TensorBoard events (the resumed part into a second file of the same directory).
        Path pq2 = tmp.resolve("pq2");
        Path tb = tmp.resolve("tb");
        SparkTraining.Report first = SparkTraining.train(
                spark,
                SPEC,
                CONFIG.withMaxSteps(2),
                options(2, "parquet:" + tmp.resolve("digits.parquet")).withTensorBoard(tb.toString()),
                pq2);
        SparkTraining.Report resumed = SparkTraining.resume(spark, pq2, null, 4L);
        assertEquals(pq.stateSha256(), resumed.stateSha256(), "resumed on Parquet");
        List<Path> files = EventFileWriter.eventFiles(tb);
        assertEquals(2, files.size(), files.toString());
        List<String> logged = new ArrayList<>();
        for (Path f : files) {
            logged.addAll(summaries(f));
        }
        double d2 = first.rounds().get(0).dLoss();
        double g4 = resumed.rounds().get(0).gLoss();
        assertTrue(logged.contains(TensorBoardListener.D_TOTAL + "@2=" + (float) d2), logged.toString());
        assertTrue(logged.contains(TensorBoardListener.G_TOTAL + "@4=" + (float) g4), logged.toString());
        assertTrue(logged.contains("samples/grid@4=image"), logged.toString());

        // loss.png: the discriminator's and generator's charts of the rounds.
        for (String run : List.of("api", "pq", "bin")) {
            Path loss = tmp.resolve(run).resolve("loss.png");
            byte[] bytes = Files.readAllBytes(loss);
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(bytes, 4), run + ": not a PNG");
            BufferedImage img = ImageIO.read(loss.toFile());
            assertEquals(LossPlot.WIDTH, img.getWidth());
            assertEquals(2 * LossPlot.CHART_HEIGHT, img.getHeight());
        }
        Path keep = Path.of("target", "spark-dataset-test-loss.png");
        Files.createDirectories(keep.getParent());
        Files.copy(tmp.resolve("pq").resolve("loss.png"), keep, java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        // Synthetic data written by SyntheticData trains a model.
        Path synthetic = tmp.resolve("synthetic.parquet");
        long written = SyntheticData.writeParquet(
                session, tmp.resolve("pq").resolve("generator"), SyntheticData.Options.of(2, 3, 2), synthetic);
        assertEquals(20, written);
        SparkTraining.Report syn = SparkTraining.train(
                spark, SPEC, CONFIG.withMaxSteps(2), options(1, "parquet:" + synthetic), tmp.resolve("syn"));
        assertEquals(2, syn.step());
        assertTrue(Files.exists(tmp.resolve("syn").resolve("loss.png")));
    }

    /** The summary values of an event file as {@code tag@step=value} (TFRecords: length, CRC, data, CRC). */
    static List<String> summaries(Path file) throws Exception {
        List<String> out = new ArrayList<>();
        java.nio.ByteBuffer buf =
                java.nio.ByteBuffer.wrap(Files.readAllBytes(file)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        while (buf.remaining() >= 12) {
            int length = (int) buf.getLong();
            buf.getInt();
            byte[] data = new byte[length];
            buf.get(data);
            buf.getInt();
            Event e = Event.parseFrom(data);
            for (Summary.Value v : e.getSummary().getValueList()) {
                out.add(v.getTag() + "@" + e.getStep() + "="
                        + (v.hasImage() ? "image" : Float.toString(v.getSimpleValue())));
            }
        }
        return out;
    }

    @Test
    void aDamagedPngIsOneClearErrorNamingFileAndRow() {
        Path bad = parquet("damaged.parquet", 17);
        DatasetException e = assertThrows(
                DatasetException.class,
                () -> SparkTraining.train(spark, SPEC, CONFIG, options(2, "parquet:" + bad), tmp.resolve("bad")));
        String m = e.getMessage();
        assertTrue(m.contains("damaged.parquet") && m.contains(".parquet: row 17: "), m);
        assertTrue(m.contains("cannot decode image") || m.contains("not a readable image"), m);
        assertFalse(m.contains("\n"), "one line: " + m);
        assertTrue(Files.notExists(tmp.resolve("bad")), "the run directory was created");
    }
}
