package dev.acgan.api.data;

import static dev.acgan.api.data.IdxTestFiles.gzip;
import static dev.acgan.api.data.IdxTestFiles.idx;
import static dev.acgan.api.data.IdxTestFiles.imagePixels;
import static dev.acgan.api.data.IdxTestFiles.images;
import static dev.acgan.api.data.IdxTestFiles.labels;
import static dev.acgan.api.data.IdxTestFiles.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

    @TempDir
    Path dir;

    @Test
    void readsRawImages() {
        Path f = write(dir, "train-images-idx3-ubyte", images(5, 4, 3));
        IdxImages img = IdxReader.readImages(f);
        assertEquals(5, img.count());
        assertEquals(4, img.rows());
        assertEquals(3, img.cols());
        assertEquals(1, img.channels());
        assertArrayEquals(imagePixels(5, 4, 3, 1), img.pixels());
        assertEquals(f.toString(), img.source());
    }

    @Test
    void readsGzipImagesDetectedByContentNotName() {
        byte[] gz = gzip(images(7, 2, 2));
        IdxImages named = IdxReader.readImages(write(dir, "a-images-idx3-ubyte.gz", gz));
        IdxImages unnamed = IdxReader.readImages(write(dir, "no-extension", gz));
        assertArrayEquals(imagePixels(7, 2, 2, 1), named.pixels());
        assertArrayEquals(named.pixels(), unnamed.pixels());
    }

    @Test
    void rawFileWithGzNameIsReadRaw() {
        IdxImages img = IdxReader.readImages(write(dir, "misnamed.gz", images(2, 3, 3)));
        assertEquals(2, img.count());
    }

    @Test
    void readsFourDimensionalImages() {
        byte[] px = imagePixels(3, 2, 2, 3);
        IdxImages img = IdxReader.readImages(
                write(dir, "rgb", idx(IdxReader.IMAGES_WITH_CHANNELS_MAGIC, new int[] {3, 2, 2, 3}, px)));
        assertEquals(3, img.channels());
        assertEquals(new dev.acgan.api.spec.ImageShape(2, 2, 3), img.shape());
        assertArrayEquals(px, img.pixels());
    }

    @Test
    void readsLabelsRawAndGzip() {
        IdxLabels raw = IdxReader.readLabels(write(dir, "l", labels(3, 1, 4, 1, 5)));
        IdxLabels gz = IdxReader.readLabels(write(dir, "l.gz", gzip(labels(3, 1, 4, 1, 5))));
        assertEquals(5, raw.count());
        assertEquals(8, raw.headerBytes());
        assertEquals(4, raw.label(2));
        assertEquals(5, raw.maxLabel());
        assertArrayEquals(raw.labels(), gz.labels());
    }

    @Test
    void readsFromStream() {
        IdxLabels l = IdxReader.readLabels("mem", new ByteArrayInputStream(gzip(labels(200, 0))));
        assertEquals(200, l.label(0));
        assertEquals("mem", l.source());
    }

    @Test
    void truncatedPayloadNamesFileOffsetAndExpectedSize() {
        byte[] full = images(10, 28, 28);
        Path f = write(dir, "train-images-idx3-ubyte", Arrays.copyOf(full, 16 + 784 * 3 + 100));
        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.readImages(f));
        String m = e.getMessage();
        assertTrue(
                m.startsWith(f.toString() + ": truncated at byte offset 2468: expected 7856 bytes (header 16 + 10"
                        + " images of 28x28)"),
                m);
        assertTrue(m.contains("5388 bytes early"), m);
    }

    @Test
    void truncatedGzipStreamReportsDecompressedOffset() {
        byte[] gz = gzip(images(50, 28, 28));
        Path f = write(dir, "t10k-images-idx3-ubyte.gz", Arrays.copyOf(gz, gz.length / 2));
        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.readImages(f));
        String m = e.getMessage();
        assertTrue(m.startsWith(f + ": truncated at byte offset "), m);
        assertTrue(m.contains("expected 39216 bytes (header 16 + 50 images of 28x28)"), m);
        assertTrue(m.contains("decompressed"), m);
    }

    @Test
    void truncatedHeader() {
        Path f = write(dir, "short", Arrays.copyOf(images(1, 2, 2), 10));
        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.readImages(f));
        assertTrue(e.getMessage().contains("truncated at byte offset 10"), e.getMessage());
        assertTrue(e.getMessage().contains("dimension 1 (rows) at byte offset 8"), e.getMessage());
        assertTrue(e.getMessage().contains("is 16 bytes"), e.getMessage());
    }

    @Test
    void emptyFile() {
        Path f = write(dir, "empty", new byte[0]);
        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.readLabels(f));
        assertTrue(e.getMessage().startsWith(f + ": empty file"), e.getMessage());
    }

    @Test
    void missingFile() {
        Path f = dir.resolve("nope");
        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.readImages(f));
        assertEquals(f + ": no such file", e.getMessage());
    }

    @Test
    void labelsFileReadAsImagesIsRejectedWithHint() {
        Path f = write(dir, "train-labels-idx1-ubyte", labels(1, 2, 3));
        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.readImages(f));
        String m = e.getMessage();
        assertTrue(m.contains("wrong magic number 0x00000801"), m);
        assertTrue(m.contains("expected 0x00000803"), m);
        assertTrue(m.contains("looks like a labels file"), m);
    }

    @Test
    void imagesFileReadAsLabelsIsRejected() {
        Path f = write(dir, "imgs", images(1, 2, 2));
        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.readLabels(f));
        assertTrue(e.getMessage().contains("looks like an images file"), e.getMessage());
    }

    @Test
    void nonIdxFileIsRejected() {
        Path f = write(dir, "png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.readImages(f));
        assertTrue(
                e.getMessage().contains("not an IDX file: magic number 0x89504E47 at byte offset 0"), e.getMessage());
    }

    @Test
    void nonByteDataTypeIsRejected() {
        Path f = write(dir, "floats", idx(0x00000D03, new int[] {1, 1, 1}, new byte[4]));
        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.readImages(f));
        assertTrue(
                e.getMessage().contains("unsupported IDX data type 0x0D (32-bit float) at byte offset 2"),
                e.getMessage());
    }

    @Test
    void zeroAndHugeDimensionsAreRejected() {
        Path zero = write(dir, "zero", idx(IdxReader.IMAGES_MAGIC, new int[] {3, 0, 28}, new byte[0]));
        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.readImages(zero));
        assertTrue(e.getMessage().contains("dimension 1 (rows) at byte offset 8 is 0"), e.getMessage());

        Path huge = write(dir, "huge", idx(IdxReader.IMAGES_MAGIC, new int[] {-1, 28, 28}, new byte[0]));
        e = assertThrows(DatasetException.class, () -> IdxReader.readImages(huge));
        assertTrue(e.getMessage().contains("dimension 0 (count) at byte offset 4 is 4294967295"), e.getMessage());

        Path tooMuch = write(dir, "big", idx(IdxReader.IMAGES_MAGIC, new int[] {10_000_000, 1000, 1000}, new byte[0]));
        e = assertThrows(DatasetException.class, () -> IdxReader.readImages(tooMuch));
        assertTrue(e.getMessage().contains("more than this reader holds in memory"), e.getMessage());
    }

    @Test
    void trailingBytesAreRejected() {
        byte[] good = images(2, 2, 2);
        byte[] bad = Arrays.copyOf(good, good.length + 5);
        Path f = write(dir, "trailing", bad);
        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.readImages(f));
        String m = e.getMessage();
        assertTrue(m.contains("unexpected trailing data at byte offset 24"), m);
        assertTrue(m.contains("has 5 more byte(s)"), m);

        byte[] l = labels(1, 2);
        Path g = write(dir, "trailing-labels.gz", gzip(Arrays.copyOf(l, l.length + 1)));
        e = assertThrows(DatasetException.class, () -> IdxReader.readLabels(g));
        assertTrue(e.getMessage().contains("trailing data at byte offset 10"), e.getMessage());
    }
}
