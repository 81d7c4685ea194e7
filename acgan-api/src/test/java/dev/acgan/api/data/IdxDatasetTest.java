package dev.acgan.api.data;

import static dev.acgan.api.data.IdxTestFiles.gzip;
import static dev.acgan.api.data.IdxTestFiles.images;
import static dev.acgan.api.data.IdxTestFiles.labels;
import static dev.acgan.api.data.IdxTestFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.api.spec.ImageShape;
import dev.acgan.api.tensor.ImageBatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxDatasetTest {

    @TempDir
    Path dir;

    @Test
    void convertsBytesToUnitRangePixels() {
        Path img = write(dir, "i", images(3, 2, 2));
        Path lab = write(dir, "l", labels(2, 0, 1));
        IdxDataset ds = IdxDataset.fromFiles(img, lab, null);
        assertEquals(3, ds.size());
        assertEquals(new ImageShape(2, 2, 1), ds.info().image());
        assertEquals(List.of("0", "1", "2"), ds.info().classNames());
        assertEquals(2, ds.label(0));
        float[] px = new float[4 + 1];
        ds.readImage(1, px, 1);
        // image 1, pixel p = (31 + 7p) % 256
        for (int p = 0; p < 4; p++) {
            assertEquals(ImageBatch.byteToPixel(31 + 7 * p), px[1 + p], 0f);
            assertEquals(31 + 7 * p, ds.rawByte(1, p));
        }
        ImageBatch b = ds.batch(new int[] {2, 0});
        assertEquals(2, b.count());
        assertArrayEquals(new int[] {1, 2}, b.labels());
    }

    @Test
    void extremeBytesMapToMinusOneAndOne() {
        byte[] px = {0, (byte) 255};
        Path img = write(dir, "i", IdxTestFiles.idx(IdxReader.IMAGES_MAGIC, new int[] {1, 1, 2}, px));
        IdxDataset ds = IdxDataset.fromFiles(img, write(dir, "l", labels(0)), List.of("only"));
        float[] out = new float[2];
        ds.readImage(0, out, 0);
        assertEquals(-1f, out[0], 0f);
        assertEquals(1f, out[1], 0f);
    }

    @Test
    void labelCountMustMatchImageCount() {
        Path img = write(dir, "imgs", images(4, 2, 2));
        Path lab = write(dir, "labs", labels(0, 1, 2));
        DatasetException e = assertThrows(DatasetException.class, () -> IdxDataset.fromFiles(img, lab, null));
        String m = e.getMessage();
        assertTrue(m.contains(img + " holds 4 images but " + lab + " holds 3 labels"), m);
    }

    @Test
    void labelOutOfRangeNamesIndexAndOffset() {
        Path img = write(dir, "imgs", images(4, 2, 2));
        Path lab = write(dir, "labs.gz", gzip(labels(0, 9, 10, 3)));
        DatasetException e =
                assertThrows(DatasetException.class, () -> IdxDataset.fromFiles(img, lab, IdxDataset.indexNames(10)));
        assertEquals(
                lab + ": label 10 of example 2 (byte offset 10) is out of range [0, 10) for 10 classes",
                e.getMessage());
    }

    @Test
    void classesInferredFromLargestLabel() {
        IdxDataset ds = IdxDataset.fromFiles(write(dir, "i", images(3, 1, 1)), write(dir, "l", labels(0, 4, 1)), null);
        assertEquals(5, ds.info().numClasses());
        assertArrayEquals(new int[] {1, 1, 0, 0, 1}, ds.classCounts());
    }

    @Test
    void directoryWithTrainAndTestSplits() {
        write(dir, "train-images-idx3-ubyte.gz", gzip(images(6, 3, 3)));
        write(dir, "train-labels-idx1-ubyte.gz", gzip(labels(0, 1, 2, 0, 1, 2)));
        write(dir, "t10k-images-idx3-ubyte", images(2, 3, 3));
        write(dir, "t10k-labels-idx1-ubyte", labels(1, 1));
        IdxDataset train = IdxDataset.fromDirectory(dir, Split.TRAIN);
        IdxDataset test = IdxDataset.fromDirectory(dir, Split.TEST);
        assertEquals(6, train.size());
        assertEquals(2, test.size());
        assertEquals(1, test.label(0));
        assertTrue(train.info().name().contains("(train)"), train.info().name());
    }

    @Test
    void tolerantNamesAndRawPreferredOverGzip() {
        write(dir, "Train-Images.idx3-ubyte", images(2, 2, 2));
        write(dir, "train-images-idx3-ubyte.gz", gzip(images(5, 2, 2)));
        write(dir, "train_labels_idx1_ubyte", labels(0, 1));
        IdxDataset ds = IdxDataset.fromDirectory(dir, Split.TRAIN);
        assertEquals(2, ds.size());
    }

    @Test
    void loneNamedPairServesAsTrainingSplit() {
        write(dir, "mnist-images-idx3-ubyte.gz", gzip(images(2, 2, 2)));
        write(dir, "mnist-labels-idx1-ubyte.gz", gzip(labels(0, 1)));
        assertEquals(2, IdxDataset.fromDirectory(dir, Split.TRAIN).size());
        DatasetException e = assertThrows(DatasetException.class, () -> IdxDataset.fromDirectory(dir, Split.TEST));
        assertTrue(e.getMessage().contains("no TEST images file"), e.getMessage());
    }

    @Test
    void missingFilesErrorListsDirectory() throws Exception {
        write(dir, "train-images-idx3-ubyte.gz", gzip(images(2, 2, 2)));
        write(dir, "notes.txt", new byte[1]);
        DatasetException e = assertThrows(DatasetException.class, () -> IdxDataset.fromDirectory(dir, Split.TRAIN));
        String m = e.getMessage();
        assertTrue(m.contains("no matching labels file train-labels-idx1-ubyte[.gz]"), m);
        assertTrue(m.contains("2 file(s): notes.txt, train-images-idx3-ubyte.gz"), m);

        e = assertThrows(DatasetException.class, () -> IdxDataset.fromDirectory(dir, Split.TEST));
        assertTrue(e.getMessage().contains("expected t10k-images-idx3-ubyte[.gz]"), e.getMessage());

        Path missing = dir.resolve("absent");
        e = assertThrows(DatasetException.class, () -> IdxDataset.fromDirectory(missing, Split.TRAIN));
        assertTrue(e.getMessage().startsWith(missing + ": no such directory"), e.getMessage());

        Path empty = Files.createDirectory(dir.resolve("empty"));
        e = assertThrows(DatasetException.class, () -> IdxDataset.fromDirectory(empty, Split.TRAIN));
        assertTrue(e.getMessage().contains("found no files"), e.getMessage());
    }
}
