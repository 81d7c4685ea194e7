package dev.acgan.samples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.samples.config.ConfigFiles;
import dev.acgan.samples.run.MetricsCsv;
import dev.acgan.samples.run.MetricsRow;
import dev.acgan.samples.run.RunLayout;
import dev.acgan.samples.run.TensorBoardEvents;
import dev.acgan.samples.run.TrainingSession;
import dev.acgan.tensorboard.EventFileWriter;
import dev.acgan.tensorboard.TensorBoardListener;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.zip.CRC32C;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.Summary;

/**
 * {@code acgan train --tensorboard DIR} on a tiny real run (batch 8, 5 steps, grids and quality every 2 steps): the
 * event files, read back record by record with their CRCs checked here, hold every loss component and the speed
 * of each step as {@code metrics.csv} has them, the quality of the evaluated steps, every sample grid as the PNG
 * the run wrote, and {@code config.yaml}; a resumed run adds a file and logs no step twice.
 */
class TensorBoardTest {

    @TempDir
    static Path tmp;

    static Path run;
    static Path logs;
    static Cli.Result trained;

    @BeforeAll
    static void train() {
        run = tmp.resolve("run");
        logs = tmp.resolve("tb/run");
        trained = Cli.trainTiny(
                run,
                5,
                "--eval-every",
                "2",
                "--sample-every",
                "2",
                "--checkpoint-every",
                "0",
                "--tensorboard",
                logs.toString());
    }

    @Test
    void lossesSpeedAndQualityAsInMetricsCsv() throws Exception {
        Map<String, Map<Long, Summary.Value>> tags = byTagAndStep(readDir(logs));
        List<MetricsRow> rows = MetricsCsv.readKeeping(run.resolve("metrics.csv"), Long.MAX_VALUE);
        assertEquals(5, rows.size());
        check(tags, TensorBoardListener.D_TOTAL, rows, MetricsRow::dTotal, 1e-6);
        check(tags, TensorBoardListener.D_REAL_ADVERSARIAL, rows, MetricsRow::dRealAdv, 1e-6);
        check(tags, TensorBoardListener.D_FAKE_ADVERSARIAL, rows, MetricsRow::dFakeAdv, 1e-6);
        check(tags, TensorBoardListener.D_REAL_AUXILIARY, rows, MetricsRow::dRealAux, 1e-6);
        check(tags, TensorBoardListener.D_FAKE_AUXILIARY, rows, MetricsRow::dFakeAux, 1e-6);
        check(tags, TensorBoardListener.G_TOTAL, rows, MetricsRow::gTotal, 1e-6);
        check(tags, TensorBoardListener.G_ADVERSARIAL, rows, MetricsRow::gAdv, 1e-6);
        check(tags, TensorBoardListener.G_AUXILIARY, rows, MetricsRow::gAux, 1e-6);
        // metrics.csv rounds images/s to 0.1, the event file to a float.
        check(tags, TensorBoardListener.IMAGES_PER_SECOND, rows, MetricsRow::imagesPerSecond, 0.06);

        List<MetricsRow> evaluated = rows.stream().filter(MetricsRow::evaluated).toList();
        assertEquals(
                List.of(2L, 4L, 5L), evaluated.stream().map(MetricsRow::step).toList());
        check(tags, TensorBoardEvents.ACCURACY, evaluated, MetricsRow::evalAccuracy, 6e-5);
        check(tags, TensorBoardEvents.CLASSIFIER_SCORE, evaluated, MetricsRow::evalScore, 6e-5);
        check(tags, TensorBoardEvents.FID, evaluated, MetricsRow::evalFid, 6e-4);
        // metrics.csv keeps four decimals of the ratio.
        check(tags, TensorBoardEvents.CHECKERBOARD, evaluated, MetricsRow::evalCheckerboard, 6e-5);
    }

    @Test
    void theSampleGridsAsTheRunWroteThem() throws Exception {
        Map<Long, Summary.Value> grids = byTagAndStep(readDir(logs)).get(TensorBoardEvents.GRID);
        List<Path> files = TrainingSession.gridFiles(new RunLayout(run).samples());
        assertEquals(List.of(0L, 2L, 4L, 5L), List.copyOf(grids.keySet()));
        assertEquals(4, files.size());
        for (Path file : files) {
            long step = Long.parseLong(file.getFileName().toString().replaceAll("\\D", ""));
            Summary.Image image = grids.get(step).getImage();
            byte[] png = image.getEncodedImageString().toByteArray();
            assertArrayEquals(Files.readAllBytes(file), png, "grid of step " + step);
            BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(png));
            assertEquals(decoded.getWidth(), image.getWidth());
            assertEquals(decoded.getHeight(), image.getHeight());
            assertTrue(
                    image.getWidth() > 28 && image.getHeight() >= 10 * 28, image.getWidth() + "x" + image.getHeight());
        }
    }

    @Test
    void theConfigAsText() throws Exception {
        Summary.Value config =
                byTagAndStep(readDir(logs)).get(TensorBoardListener.CONFIG).get(0L);
        assertEquals("text", config.getMetadata().getPluginData().getPluginName());
        assertEquals(DataType.DT_STRING, config.getTensor().getDtype());
        String yaml = Files.readString(run.resolve("config.yaml"), StandardCharsets.UTF_8);
        assertTrue(yaml.contains("\ntensorboard: "), yaml);
        assertEquals(
                "```yaml\n" + yaml + "```\n", config.getTensor().getStringVal(0).toString(StandardCharsets.UTF_8));
        assertEquals(logs.toString(), ConfigFiles.read(run.resolve("config.yaml")).tensorboard);
        assertTrue(trained.out().contains("tensorboard --logdir " + logs), trained.out());
    }

    @Test
    void aResumedRunLogsEachStepOnce() throws Exception {
        Path dir = tmp.resolve("resumed");
        Path tb = tmp.resolve("tb/resumed");
        Cli.trainTiny(dir, 2, "--sample-every", "0", "--checkpoint-every", "0", "--tensorboard", tb.toString());
        // config.yaml keeps the directory: the resumed run logs there without the option.
        Cli.run("train", "--resume", dir.toString(), "--steps", "4").expect(0);
        assertEquals(2, EventFileWriter.eventFiles(tb).size());
        Map<String, Map<Long, Summary.Value>> tags = byTagAndStep(readDir(tb)); // fails on a step twice
        assertEquals(
                List.of(1L, 2L, 3L, 4L),
                List.copyOf(tags.get(TensorBoardListener.G_TOTAL).keySet()));
        check(
                tags,
                TensorBoardListener.G_TOTAL,
                MetricsCsv.readKeeping(dir.resolve("metrics.csv"), Long.MAX_VALUE),
                MetricsRow::gTotal,
                1e-6);
        assertEquals(
                List.of(0L, 2L),
                List.copyOf(tags.get(TensorBoardListener.CONFIG).keySet()));
        assertEquals(
                List.of(0L, 2L, 4L),
                List.copyOf(tags.get(TensorBoardEvents.GRID).keySet()));
    }

    @Test
    void badDirectoriesAreOneLineErrors() throws Exception {
        Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
        String line = ErrorsTest.fails(
                1,
                "acgan train: --tensorboard " + file + " is a file, not a directory",
                "train",
                "--steps",
                "1",
                "--outdir",
                tmp.resolve("never").toString(),
                "--tensorboard",
                file.toString());
        assertFalse(Files.exists(tmp.resolve("never")), line);
        ErrorsTest.fails(
                1,
                "acgan train: --tensorboard " + logs + " already holds TensorBoard event files of another run",
                "train",
                "--steps",
                "1",
                "--outdir",
                tmp.resolve("never").toString(),
                "--tensorboard",
                logs.toString());
        assertFalse(Files.exists(tmp.resolve("never")));
    }

    private static void check(
            Map<String, Map<Long, Summary.Value>> tags,
            String tag,
            List<MetricsRow> rows,
            ToDoubleFunction<MetricsRow> field,
            double tolerance) {
        Map<Long, Summary.Value> values = tags.get(tag);
        assertEquals(rows.stream().map(MetricsRow::step).toList(), List.copyOf(values.keySet()), tag + ": the steps");
        for (MetricsRow r : rows) {
            assertEquals(
                    field.applyAsDouble(r),
                    values.get(r.step()).getSimpleValue(),
                    tolerance,
                    tag + " at step " + r.step());
        }
    }

    /** The summary values by tag and step (in step order), asserting that none is written twice. */
    static Map<String, Map<Long, Summary.Value>> byTagAndStep(List<Event> events) {
        Map<String, Map<Long, Summary.Value>> out = new TreeMap<>();
        for (Event e : events) {
            for (Summary.Value v : e.getSummary().getValueList()) {
                Summary.Value before =
                        out.computeIfAbsent(v.getTag(), t -> new TreeMap<>()).put(e.getStep(), v);
                assertNull(before, v.getTag() + " written twice at step " + e.getStep());
            }
        }
        return out;
    }

    /** Every event of a directory's event files, each file checked to start with the file version. */
    static List<Event> readDir(Path dir) throws IOException {
        List<Event> all = new ArrayList<>();
        List<Path> files = EventFileWriter.eventFiles(dir);
        assertFalse(files.isEmpty(), "event files in " + dir);
        for (Path f : files) {
            assertTrue(f.getFileName().toString().startsWith("events.out.tfevents."), f.toString());
            List<Event> events = readRecords(f);
            assertEquals("brain.Event:2", events.get(0).getFileVersion(), f + ": first record");
            all.addAll(events);
        }
        return all;
    }

    /** TFRecord framing read byte by byte: uint64 length, masked CRC32C of it, the data, masked CRC32C of it. */
    static List<Event> readRecords(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        List<Event> events = new ArrayList<>();
        while (b.hasRemaining()) {
            int at = b.position();
            long length = b.getLong();
            assertEquals(masked(bytes, at, 8), b.getInt(), file + ": length CRC at byte " + at);
            byte[] data = new byte[Math.toIntExact(length)];
            b.get(data);
            assertEquals(masked(data, 0, data.length), b.getInt(), file + ": data CRC at byte " + at);
            events.add(Event.parseFrom(data));
        }
        return events;
    }

    private static int masked(byte[] data, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(data, off, len);
        int c = (int) crc.getValue();
        return Integer.rotateRight(c, 15) + 0xa282ead8;
    }
}
