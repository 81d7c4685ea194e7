package dev.acgan.tensorboard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.Summary;

class EventFileWriterTest {

    @TempDir
    Path tmp;

    @Test
    void recordsReadBackWithTheirCrcsTagsAndValues() throws Exception {
        BufferedImage grid = new BufferedImage(20, 10, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 10; y++) {
            for (int x = 0; x < 20; x++) {
                grid.getRaster().setSample(x, y, 0, (x * 13 + y * 7) % 256);
            }
        }
        ByteArrayOutputStream rgb = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(3, 4, BufferedImage.TYPE_INT_RGB), "png", rgb);
        String yaml = "# settings\nmodel: acgan\nsteps: 5\n";
        Path file;
        try (EventFileWriter w = EventFileWriter.open(tmp.resolve("run"))) {
            file = w.file();
            w.addScalar("loss/D_total", 1, 1.3862943611198906);
            w.addScalar("loss/D_total", 2, 0.25);
            w.addImage("samples/grid", 2, grid);
            w.addPng("samples/rgb", 2, rgb.toByteArray());
            w.addText("config", 0, EventFileWriter.codeBlock("yaml", yaml));
        }
        assertTrue(file.getFileName().toString().startsWith("events.out.tfevents."), file.toString());
        assertEquals(tmp.resolve("run"), file.getParent());

        List<Event> events = EventRecords.read(file);
        assertEquals(6, events.size());
        assertEquals("brain.Event:2", events.get(0).getFileVersion());
        assertTrue(events.get(0).getWallTime() > 1.7e9, "wall time in seconds");

        Summary.Value d1 = value(events.get(1));
        assertEquals(1, events.get(1).getStep());
        assertEquals("loss/D_total", d1.getTag());
        assertEquals((float) 1.3862943611198906, d1.getSimpleValue());
        assertEquals(0.25f, value(events.get(2)).getSimpleValue());
        assertEquals(2, events.get(2).getStep());

        Summary.Image img = value(events.get(3)).getImage();
        assertEquals(20, img.getWidth());
        assertEquals(10, img.getHeight());
        assertEquals(1, img.getColorspace(), "grey");
        BufferedImage decoded = ImageIO.read(
                new ByteArrayInputStream(img.getEncodedImageString().toByteArray()));
        assertEquals(20, decoded.getWidth());
        assertEquals(10, decoded.getHeight());
        for (int y = 0; y < 10; y++) {
            for (int x = 0; x < 20; x++) {
                assertEquals(
                        grid.getRaster().getSample(x, y, 0), decoded.getRaster().getSample(x, y, 0));
            }
        }
        Summary.Image rgbImage = value(events.get(4)).getImage();
        assertEquals(3, rgbImage.getWidth());
        assertEquals(4, rgbImage.getHeight());
        assertEquals(3, rgbImage.getColorspace(), "RGB");
        assertArrayEquals(rgb.toByteArray(), rgbImage.getEncodedImageString().toByteArray());

        Summary.Value text = value(events.get(5));
        assertEquals("config", text.getTag());
        assertEquals("text", text.getMetadata().getPluginData().getPluginName());
        assertEquals(DataType.DT_STRING, text.getTensor().getDtype());
        assertEquals(0, text.getTensor().getTensorShape().getDimCount(), "a scalar string");
        assertEquals(1, text.getTensor().getStringValCount());
        assertEquals(
                "```yaml\n" + yaml + "```\n", text.getTensor().getStringVal(0).toString(StandardCharsets.UTF_8));

        // The module's own reader agrees.
        assertEquals(events, EventFiles.read(file));
    }

    @Test
    void maskedCrcIsTensorFlows() {
        byte[] digits = "123456789".getBytes(StandardCharsets.US_ASCII);
        // CRC32C("123456789") = 0xe3069283 (the check value of CRC-32C); rotated right by 15, plus 0xa282ead8.
        int rotated = Integer.rotateRight(0xe3069283, 15);
        assertEquals(rotated + 0xa282ead8, TfRecord.maskedCrc(digits, 0, digits.length));
        assertEquals(EventRecords.masked(digits, 0, digits.length), TfRecord.maskedCrc(digits, 0, digits.length));
    }

    @Test
    void eachWriterGetsItsOwnFile() {
        Path dir = tmp.resolve("two");
        try (EventFileWriter a = EventFileWriter.open(dir);
                EventFileWriter b = EventFileWriter.open(dir)) {
            assertNotEquals(a.file(), b.file());
            assertEquals(List.of(a.file(), b.file()).stream().sorted().toList(), EventFiles.list(dir));
        }
    }

    @Test
    void aDamagedRecordIsAnErrorAndACutTailIsTheEnd() throws Exception {
        Path file;
        try (EventFileWriter w = EventFileWriter.open(tmp.resolve("d"))) {
            file = w.file();
            w.addScalar("a", 1, 1);
            w.addScalar("a", 2, 2);
        }
        byte[] whole = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(whole, whole.length - 3));
        assertEquals(2, EventFiles.read(file).size(), "the cut last record is left out");

        byte[] damaged = whole.clone();
        damaged[damaged.length - 8] ^= 1;
        Files.write(file, damaged);
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> EventFiles.read(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("CRC"), e.getMessage());
    }

    @Test
    void notAPngIsRefused() {
        try (EventFileWriter w = EventFileWriter.open(tmp.resolve("p"))) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> w.addPng("x", 1, "GIF89a....".getBytes(StandardCharsets.UTF_8)));
            assertTrue(e.getMessage().contains("not a PNG"), e.getMessage());
        }
    }

    @Test
    void theProtoClassesNeedNoNativeCode() {
        // The module leaves JavaCPP out, so nothing here can load TensorFlow's native library: the tests above ran
        // the generated classes without it.
        assertThrows(ClassNotFoundException.class, () -> Class.forName("org.bytedeco.javacpp.Loader"));
        assertEquals("brain.Event:2", Summaries.fileVersion(0).getFileVersion());
    }

    private static Summary.Value value(Event e) {
        assertEquals(1, e.getSummary().getValueCount());
        return e.getSummary().getValue(0);
    }
}
