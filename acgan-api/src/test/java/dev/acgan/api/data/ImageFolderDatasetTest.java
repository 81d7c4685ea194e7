package dev.acgan.api.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.acgan.api.spec.ImageShape;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderDatasetTest {

    @TempDir
    Path dir;

    /** A greyscale PNG whose pixel (x, y) is {@code base + 10*y + x}. */
    private Path greyPng(String cls, String name, int h, int w, int base) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, base + 10 * y + x);
            }
        }
        return png(cls, name, img);
    }

    /** An RGB PNG filled with one colour. */
    private Path rgbPng(String cls, String name, int h, int w, int rgb) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rgb);
            }
        }
        return png(cls, name, img);
    }

    private Path png(String cls, String name, BufferedImage img) throws IOException {
        Path d = Files.createDirectories(dir.resolve(cls));
        Path f = d.resolve(name);
        assertTrue(ImageIO.write(img, "png", f.toFile()));
        return f;
    }

    @Test
    void classesAreSortedFolderNamesAndGreyValuesAreExact() throws IOException {
        greyPng("b_dog", "1.png", 2, 3, 100);
        greyPng("a_cat", "2.png", 2, 3, 50);
        greyPng("a_cat", "1.PNG", 2, 3, 0);
        Files.writeString(dir.resolve("a_cat").resolve("notes.txt"), "ignored");
        ImageFolderDataset ds = ImageFolderDataset.load(dir, new ImageShape(2, 3, 1), false);
        assertEquals(List.of("a_cat", "b_dog"), ds.info().classNames());
        assertEquals(3, ds.size());
        assertArrayEquals(new int[] {0, 0, 1}, new int[] {ds.label(0), ds.label(1), ds.label(2)});
        // Files in name order: a_cat/1.PNG (base 0), a_cat/2.png (base 50), b_dog/1.png (base 100).
        assertEquals(0, ds.rawByte(0, 0));
        assertEquals(50 + 12, ds.rawByte(1, 5));
        assertEquals(100 + 11, ds.rawByte(2, 4));
        float[] px = new float[6];
        ds.readImage(2, px, 0);
        assertEquals((100 + 10) / 127.5f - 1f, px[3], 0f);
    }

    @Test
    void rgbConvertsToGreyWithLumaWeightsAndGreyToRgbRepeats() throws IOException {
        rgbPng("c", "red.png", 2, 2, 0xC81E0A); // r=200 g=30 b=10
        greyPng("c", "zgrey.png", 2, 2, 40);
        ImageFolderDataset grey = ImageFolderDataset.load(dir, new ImageShape(2, 2, 1), false);
        int luma = (int) Math.round(0.299 * 200 + 0.587 * 30 + 0.114 * 10);
        assertEquals(luma, grey.rawByte(0, 0));
        assertEquals(luma, grey.rawByte(0, 3));

        ImageFolderDataset rgb = ImageFolderDataset.load(dir, new ImageShape(2, 2, 3), false);
        assertArrayEquals(new int[] {200, 30, 10}, new int[] {rgb.rawByte(0, 0), rgb.rawByte(0, 1), rgb.rawByte(0, 2)});
        // grey pixel (1,1) = 40 + 11 = 51 on all three channels.
        assertArrayEquals(
                new int[] {51, 51, 51}, new int[] {rgb.rawByte(1, 9), rgb.rawByte(1, 10), rgb.rawByte(1, 11)});
    }

    @Test
    void sizeMismatchIsAnErrorNamingTheFile() throws IOException {
        greyPng("a", "ok.png", 4, 4, 0);
        Path odd = greyPng("b", "odd.png", 5, 6, 0);
        DatasetException e = assertThrows(
                DatasetException.class, () -> ImageFolderDataset.load(dir, new ImageShape(4, 4, 1), false));
        assertEquals(
                odd + ": image is 5x6 (height x width) but the dataset expects 4x4; resize the images or"
                        + " enable resizing",
                e.getMessage());
    }

    @Test
    void resizeAveragesWhenShrinkingAndInterpolatesWhenEnlarging() throws IOException {
        // 4x4 -> 2x2: each output pixel is the mean of a 2x2 block of base + 10y + x.
        greyPng("a", "big.png", 4, 4, 0);
        ImageFolderDataset small = ImageFolderDataset.load(dir, new ImageShape(2, 2, 1), true);
        assertArrayEquals(
                new int[] {6, 8, 26, 28},
                new int[] {small.rawByte(0, 0), small.rawByte(0, 1), small.rawByte(0, 2), small.rawByte(0, 3)});

        ImageFolderDataset large = ImageFolderDataset.load(dir, new ImageShape(8, 8, 1), true);
        // Corners keep the corner values; the result stays within the source range.
        assertEquals(0, large.rawByte(0, 0));
        assertEquals(33, large.rawByte(0, 63));
        assertEquals(
                11, ImageFolderDataset.load(dir, new ImageShape(4, 4, 1), true).rawByte(0, 5));
    }

    @Test
    void resamplerIsExactForIntegerFactors() {
        byte[] src = {0, 100, (byte) 200, 50};
        byte[] up = Resampler.resize(src, 1, 4, 1, 1, 2);
        assertArrayEquals(new byte[] {50, (byte) 125}, up);
        byte[] twice = Resampler.resize(new byte[] {0, 100}, 1, 2, 1, 1, 4);
        // Output centres map to source positions -0.25, 0.25, 0.75, 1.25 (clamped): 0, 25, 75, 100.
        assertArrayEquals(new byte[] {0, 25, 75, 100}, twice);
    }

    @Test
    void inferredShapeComesFromTheFirstImage() throws IOException {
        greyPng("a", "1.png", 3, 5, 0);
        rgbPng("b", "1.png", 3, 5, 0x102030);
        assertEquals(new ImageShape(3, 5, 1), ImageFolderDataset.inferShape(dir));
        ImageFolderDataset ds = ImageFolderDataset.load(dir);
        assertEquals(2, ds.size());
        assertEquals(new ImageShape(3, 5, 1), ds.info().image());
    }

    @Test
    void inferredShapeOfColourImagesIsRgb() throws IOException {
        rgbPng("x", "1.png", 3, 5, 0x102030);
        greyPng("y", "1.png", 3, 5, 7);
        ImageFolderDataset ds = ImageFolderDataset.load(dir);
        assertEquals(new ImageShape(3, 5, 3), ds.info().image());
        assertArrayEquals(
                new int[] {0x10, 0x20, 0x30}, new int[] {ds.rawByte(0, 0), ds.rawByte(0, 1), ds.rawByte(0, 2)});
    }

    @Test
    void noClassFolders() throws IOException {
        BufferedImage img = new BufferedImage(2, 2, BufferedImage.TYPE_BYTE_GRAY);
        ImageIO.write(img, "png", dir.resolve("loose.png").toFile());
        DatasetException e = assertThrows(
                DatasetException.class, () -> ImageFolderDataset.load(dir, new ImageShape(2, 2, 1), false));
        assertTrue(e.getMessage().startsWith(dir + ": no class folders"), e.getMessage());
        assertTrue(e.getMessage().contains("found 1 image file(s) directly in"), e.getMessage());
    }

    @Test
    void emptyClassFolder() throws IOException {
        greyPng("a", "1.png", 2, 2, 0);
        Path empty = Files.createDirectories(dir.resolve("b"));
        Files.writeString(empty.resolve("readme.txt"), "x");
        DatasetException e = assertThrows(
                DatasetException.class, () -> ImageFolderDataset.load(dir, new ImageShape(2, 2, 1), false));
        assertTrue(e.getMessage().startsWith(empty + ": class folder holds no images"), e.getMessage());
    }

    @Test
    void unreadableImage() throws IOException {
        greyPng("a", "1.png", 2, 2, 0);
        Path bad = Files.writeString(dir.resolve("a").resolve("2.png"), "this is not a PNG");
        DatasetException e = assertThrows(
                DatasetException.class, () -> ImageFolderDataset.load(dir, new ImageShape(2, 2, 1), false));
        assertTrue(e.getMessage().startsWith(bad + ": not a readable image"), e.getMessage());
    }

    @Test
    void missingDirectory() {
        Path absent = dir.resolve("absent");
        DatasetException e = assertThrows(
                DatasetException.class, () -> ImageFolderDataset.load(absent, new ImageShape(2, 2, 1), false));
        assertTrue(e.getMessage().startsWith(absent + ": no such directory"), e.getMessage());
    }
}
