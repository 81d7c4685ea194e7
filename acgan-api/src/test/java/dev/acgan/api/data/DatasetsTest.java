package dev.acgan.api.data;

import static dev.acgan.api.data.IdxTestFiles.images;
import static dev.acgan.api.data.IdxTestFiles.labels;
import static dev.acgan.api.data.IdxTestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.api.spec.ImageShape;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {

    @TempDir
    Path dir;

    @Test
    void mnistSpecIsTheEmbeddedSet() {
        assertSame(EmbeddedMnist.load(), Datasets.fromSpec("mnist"));
        assertSame(EmbeddedMnist.load(), Datasets.fromSpec("  mnist "));
        DatasetException e = assertThrows(DatasetException.class, () -> Datasets.fromSpec("mnist", Split.TEST));
        assertTrue(e.getMessage().contains("no separate TEST split"), e.getMessage());
    }

    @Test
    void idxSpecReadsADirectory() {
        write(dir, "train-images-idx3-ubyte", images(4, 2, 2));
        write(dir, "train-labels-idx1-ubyte", labels(0, 1, 0, 1));
        write(dir, "t10k-images-idx3-ubyte", images(1, 2, 2));
        write(dir, "t10k-labels-idx1-ubyte", labels(1));
        assertEquals(4, Datasets.fromSpec("idx:" + dir).size());
        assertEquals(1, Datasets.fromSpec("idx:" + dir, Split.TEST).size());
        assertEquals(4, Datasets.idx(dir, Split.TRAIN).size());
    }

    @Test
    void imagesSpecReadsAFolder() throws Exception {
        Path cls = Files.createDirectories(dir.resolve("only"));
        ImageIO.write(
                new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY),
                "png",
                cls.resolve("a.png").toFile());
        DatasetSource ds = Datasets.fromSpec("images:" + dir);
        assertInstanceOf(ImageFolderDataset.class, ds);
        assertEquals(new ImageShape(2, 3, 1), ds.info().image());
        assertEquals(1, ds.size());
        assertEquals(
                new ImageShape(4, 4, 3),
                Datasets.imageFolder(dir, new ImageShape(4, 4, 3), true).info().image());
    }

    @Test
    void fashionMnistSpecWithDirectory() {
        Path absent = dir.resolve("fm");
        DatasetException e = assertThrows(DatasetException.class, () -> Datasets.fromSpec("fashion-mnist:" + absent));
        assertTrue(e.getMessage().contains("dataset-fashion-mnist"), e.getMessage());

        write(dir, "train-images-idx3-ubyte", images(2, 28, 28));
        write(dir, "train-labels-idx1-ubyte", labels(9, 0));
        DatasetSource ds = Datasets.fromSpec("fashion-mnist:" + dir);
        assertEquals("Ankle boot", ds.info().classNames().get(ds.label(0)));
    }

    @Test
    void unknownSpecListsValidForms() {
        for (String bad : new String[] {"cifar10", "idx", "images", "idx:", "mnist:foo", "", "  "}) {
            DatasetException e = assertThrows(DatasetException.class, () -> Datasets.fromSpec(bad), bad);
            assertTrue(e.getMessage().contains(Datasets.SPEC_FORMS), e.getMessage());
        }
    }

    @Test
    void decodeImageReadsBytesAsAFolderReadsFilesAndNamesTheSourceOfBadOnes() throws Exception {
        IdxDataset mnist = EmbeddedMnist.load();
        BufferedImage grey = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        for (int p = 0; p < 28 * 28; p++) {
            grey.getRaster().setSample(p % 28, p / 28, 0, mnist.rawByte(3, p));
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        ImageIO.write(grey, "png", out);
        byte[] png = out.toByteArray();
        assertEquals(new ImageShape(28, 28, 1), Datasets.imageShape(png, "digit"));
        byte[] px = Datasets.decodeImage(png, "digit", new ImageShape(28, 28, 1));
        for (int p = 0; p < px.length; p++) {
            assertEquals(mnist.rawByte(3, p), px[p] & 0xff, "pixel " + p);
        }
        // As images:DIR reads the same file.
        Files.createDirectories(dir.resolve("c"));
        Files.write(dir.resolve("c").resolve("a.png"), png);
        ImageFolderDataset folder = Datasets.imageFolder(dir, new ImageShape(28, 28, 3), false);
        byte[] rgb = Datasets.decodeImage(png, "digit", new ImageShape(28, 28, 3));
        for (int i = 0; i < rgb.length; i++) {
            assertEquals(folder.rawByte(0, i), rgb[i] & 0xff, "byte " + i);
        }

        DatasetException size = assertThrows(
                DatasetException.class, () -> Datasets.decodeImage(png, "f.parquet: row 4", new ImageShape(32, 32, 1)));
        assertTrue(size.getMessage().startsWith("f.parquet: row 4: image is 28x28"), size.getMessage());
        byte[] half = java.util.Arrays.copyOf(png, png.length / 2);
        DatasetException damaged = assertThrows(
                DatasetException.class,
                () -> Datasets.decodeImage(half, "f.parquet: row 5", new ImageShape(28, 28, 1)));
        assertTrue(damaged.getMessage().startsWith("f.parquet: row 5: "), damaged.getMessage());
        DatasetException empty =
                assertThrows(DatasetException.class, () -> Datasets.imageShape(new byte[0], "f.parquet: row 6"));
        assertTrue(empty.getMessage().startsWith("f.parquet: row 6: "), empty.getMessage());
    }
}
